import { createHash } from 'node:crypto';
import { LanesError } from './errors.js';

/**
 * Names of services, envs and lanes, and the AWS names derived from them. Every limit is checked here, when a name
 * enters (the project file, `--lane`, `--env`), so that a deploy never fails halfway on a name AWS refuses.
 */

/** The lane that serves untagged requests and requests for lanes a service does not have. */
export const DEFAULT_LANE = 'default';

/** Service names that would make the seed's `params/` layout ambiguous: `params/boot-dev.json` is the boot layer's. */
export const RESERVED_SERVICE_NAMES: readonly string[] = ['infra', 'boot'];

/** Env names are short because every stack, target group and log group name carries one. */
export const MAX_ENV_LENGTH = 16;

/** A lowercase DNS label: the longest label DNS (and Cloud Map) allows. */
export const MAX_DNS_LABEL_LENGTH = 63;

/** Room every service name leaves for lane names, so that `pr-12345` or `feature-checkout` always fit. */
export const MIN_LANE_ROOM = 16;

/** The AWS limits the derived names must fit. */
export const AWS_NAME_LIMITS = {
  /** CloudFormation stack name. */
  stack: 128,
  /** ECS service name (letters, digits, `-`, `_`). */
  ecsService: 255,
  /** ELBv2 target group name (letters, digits, `-`; no `-` at either end). */
  targetGroup: 32,
  /** A value of an ALB listener rule's http-header condition. */
  albHeaderValue: 128,
  /** A Cloud Map service name used for DNS: one DNS label. */
  cloudMapName: MAX_DNS_LABEL_LENGTH,
} as const;

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const DNS_LABEL_RULE = 'lowercase letters, digits and "-", starting and ending with a letter or digit';

/** The AWS names of one lane of one service in one env. */
export interface DerivedNames {
  /** CloudFormation stack of the lane: `app-{service}-{env}-{lane}` (<= 128). */
  stack: string;
  /** ECS service in the env's cluster: `{service}-{lane}` (<= 255). */
  ecsService: string;
  /**
   * ELBv2 target group, unique per account and region (<= 32): `{service}-{env}-{lane}` when that has at most 31
   * characters, else its first 23 characters (without trailing `-`), `-`, and the start of the SHA-256 (hex) of
   * `{service}/{env}/{lane}`, filled up to exactly 32 characters. Readable names are at most 31 characters and
   * hashed ones exactly 32, so a readable name never equals a hashed one.
   */
  targetGroup: string;
  /** The service's log group, created by the boot stack: `/ecs/{env}/{service}`. */
  logGroup: string;
  /** The awslogs stream prefix of the lane's containers: the lane name. */
  logStreamPrefix: string;
  /** The tracestate member an ALB listener rule matches: `ctx=lane:{lane}` (<= 128). */
  albHeaderValue: string;
  /** The lane's Cloud Map service, one DNS label: `{service}-{lane}` (<= 63). */
  cloudMapName: string;
}

const READABLE_TARGET_GROUP_MAX = AWS_NAME_LIMITS.targetGroup - 1;
const TARGET_GROUP_PREFIX = 23;

function targetGroupName(service: string, env: string, lane: string): string {
  const readable = `${service}-${env}-${lane}`;
  if (readable.length <= READABLE_TARGET_GROUP_MAX) return readable;
  const prefix = readable.slice(0, TARGET_GROUP_PREFIX).replace(/-+$/, '');
  const digest = createHash('sha256').update(`${service}/${env}/${lane}`).digest('hex');
  return `${prefix}-${digest.slice(0, AWS_NAME_LIMITS.targetGroup - prefix.length - 1)}`;
}

interface LaneLimit {
  max: number;
  why: string;
}

/** Every limit on the length of a lane name for this service and env, each with the name that imposes it. */
function laneLimits(service: string, env: string): LaneLimit[] {
  const limits = AWS_NAME_LIMITS;
  return [
    { max: MAX_DNS_LABEL_LENGTH, why: `a lane name is a DNS label (at most ${MAX_DNS_LABEL_LENGTH} characters)` },
    {
      max: limits.cloudMapName - service.length - 1,
      why: `the Cloud Map name ${service}-<lane> must be a DNS label of at most ${limits.cloudMapName} characters`,
    },
    {
      max: limits.stack - `app-${service}-${env}-`.length,
      why: `the stack name app-${service}-${env}-<lane> can have at most ${limits.stack} characters`,
    },
    {
      max: limits.ecsService - service.length - 1,
      why: `the ECS service name ${service}-<lane> can have at most ${limits.ecsService} characters`,
    },
    {
      max: limits.albHeaderValue - 'ctx=lane:'.length,
      why: `the ALB header value ctx=lane:<lane> can have at most ${limits.albHeaderValue} characters`,
    },
  ];
}

function tightestLimit(service: string, env: string): LaneLimit {
  return laneLimits(service, env).reduce((tightest, limit) => (limit.max < tightest.max ? limit : tightest));
}

/** The longest lane name whose derived AWS names all fit, for this service and env. */
export function maxLaneLength(service: string, env: string): number {
  return tightestLimit(service, env).max;
}

/** What is wrong with `name` as a DNS label, or `undefined`; `kind` is `lane`, `service` or `env`. */
function labelProblem(kind: string, name: string): string | undefined {
  if (name === '') return `${kind} name is empty; use ${DNS_LABEL_RULE}`;
  if (DNS_LABEL.test(name)) return undefined;
  const shown = JSON.stringify(name);
  const lower = name.toLowerCase();
  if (lower !== name && DNS_LABEL.test(lower)) {
    const why = kind === 'lane' ? ' (ALB header matching ignores case, so they could not be told apart)' : '';
    return `${kind} ${shown} has uppercase letters; ${kind} names are lowercase${why}: use "${lower}"`;
  }
  const dashed = lower.replace(/[_.\s]+/g, '-');
  const hint = dashed !== lower && DNS_LABEL.test(dashed) ? ` (did you mean "${dashed}"?)` : '';
  return `invalid ${kind} name ${shown}: use ${DNS_LABEL_RULE}${hint}`;
}

/**
 * What is wrong with a lane name for this service and env, or `undefined` when it is fine. `default` is fine: it
 * names the default lane; code that declares additional lanes must refuse it (see `DEFAULT_LANE`).
 */
export function laneNameProblem(lane: string, context: { service: string; env: string }): string | undefined {
  const problem = labelProblem('lane', lane);
  if (problem) return problem;
  const { service, env } = context;
  const limit = tightestLimit(service, env);
  if (lane.length <= limit.max) return undefined;
  return (
    `lane "${lane}" is ${lane.length} characters; for service "${service}" in env "${env}" lanes can be at most ` +
    `${limit.max} characters because ${limit.why}`
  );
}

/** What is wrong with an env name, or `undefined` when it is fine. */
export function envNameProblem(env: string): string | undefined {
  const problem = labelProblem('env', env);
  if (problem) return `${problem} (e.g. "dev" or "prod")`;
  if (env.length <= MAX_ENV_LENGTH) return undefined;
  return `env "${env}" is ${env.length} characters; env names can be at most ${MAX_ENV_LENGTH} characters because every stack, target group and log group name carries one`;
}

/** What is wrong with a service name in this env, or `undefined` when it is fine. */
export function serviceNameProblem(service: string, env: string): string | undefined {
  const problem = labelProblem('service', service);
  if (problem) return problem;
  if (RESERVED_SERVICE_NAMES.includes(service)) {
    return `service name "${service}" is reserved: params/${service}-{env}.json is the ${service} layer's parameter file; choose another name`;
  }
  const room = maxLaneLength(service, env);
  if (room >= MIN_LANE_ROOM) return undefined;
  const longest = service.length - (MIN_LANE_ROOM - room);
  return (
    `service "${service}" is ${service.length} characters; in env "${env}" service names can be at most ${longest} ` +
    `characters so that lane names of ${MIN_LANE_ROOM} characters still fit (${tightestLimit(service, env).why})`
  );
}

/**
 * The AWS names of one lane. Throws a `LanesError` (`NAME_INVALID`) when a name was not checked at the edge: a
 * name that does not fit must never reach AWS.
 */
export function derivedNames(service: string, env: string, lane: string): DerivedNames {
  const problem = envNameProblem(env) ?? serviceNameProblem(service, env) ?? laneNameProblem(lane, { service, env });
  if (problem) throw new LanesError('NAME_INVALID', problem, 'user');
  return {
    stack: `app-${service}-${env}-${lane}`,
    ecsService: `${service}-${lane}`,
    targetGroup: targetGroupName(service, env, lane),
    logGroup: `/ecs/${env}/${service}`,
    logStreamPrefix: lane,
    albHeaderValue: `ctx=lane:${lane}`,
    cloudMapName: `${service}-${lane}`,
  };
}
