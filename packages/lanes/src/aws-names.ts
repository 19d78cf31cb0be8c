import { createHash } from 'node:crypto';
import { LanesError } from './errors.js';
import {
  AWS_NAME_FORMS,
  AWS_NAME_LIMITS,
  DEFAULT_LANE,
  envNameProblem,
  laneNameProblem,
  serviceNameProblem,
} from './naming.js';

/** Every AWS name of one lane of one service in one env, and of the layers it stands on. */
export interface AwsNames {
  /** `infra-environment-{env}` (<= 128). */
  infraStack: string;
  /** `boot-{service}--{env}` (<= 128). */
  bootStack: string;
  /** The lane's stack: `app-{service}--{env}--{lane}` (<= 128). */
  appStack: string;
  /** `infra-{env}`. */
  infraPipeline: string;
  /** `boot-{env}`. */
  bootPipeline: string;
  /** The service's app pipeline and its CodeBuild project: `{service}--{env}` (<= 100). */
  appPipeline: string;
  /** The service's ECR repository: `{service}--{env}`. */
  repository: string;
  /** The env's ECS cluster: `lanes-{env}`. */
  ecsCluster: string;
  /** ECS service in the env's cluster: `{service}--{lane}` (<= 255). */
  ecsService: string;
  /** Task definition family: `{service}--{env}--{lane}` (<= 255). */
  taskFamily: string;
  /**
   * ELBv2 target group, unique per account and region (<= 32): `{service}--{env}--{lane}` when that has at most 31
   * characters, else its first 23 characters (without trailing `-`), `-`, and the start of the SHA-256 (hex) of
   * `{service}/{env}/{lane}`, filled up to exactly 32 characters. Readable names are at most 31 characters and
   * hashed ones exactly 32, so a readable name never equals a hashed one.
   */
  targetGroup: string;
  /** The env's Cloud Map namespace: `{env}.lanes.internal`. */
  cloudMapNamespace: string;
  /** The lane's Cloud Map service, one DNS label: `{service}--{lane}` (<= 63); the default lane's is `{service}`. */
  cloudMapName: string;
  /** The service's log group, created by the boot stack: `/ecs/{env}/{service}`. */
  logGroup: string;
  /** The awslogs stream prefix of the lane's containers: the lane name. */
  logStreamPrefix: string;
  /** The tracestate member an ALB listener rule matches: `ctx=lane:{lane}` (<= 128). */
  albHeaderValue: string;
  /** The boot stack's Cloud Map export: `boot-{service}--{env}-{service}-service-arn` (<= 255). */
  serviceArnExport: string;
}

const READABLE_TARGET_GROUP_MAX = AWS_NAME_LIMITS.targetGroup - 1;
const TARGET_GROUP_PREFIX = 23;

function targetGroupName(env: string, service: string, lane: string): string {
  const readable = AWS_NAME_FORMS.readableTargetGroup(env, service, lane);
  if (readable.length <= READABLE_TARGET_GROUP_MAX) return readable;
  const prefix = readable.slice(0, TARGET_GROUP_PREFIX).replace(/-+$/, '');
  const digest = createHash('sha256').update(`${service}/${env}/${lane}`).digest('hex');
  return `${prefix}-${digest.slice(0, AWS_NAME_LIMITS.targetGroup - prefix.length - 1)}`;
}

/**
 * Every AWS name of one lane (`default` included) and of the layers under it: the one place they are made.
 * Throws a `LanesError` (`LANES_NAME_INVALID`) when a name was not checked at the edge: a name that does not fit, or
 * that could be read as another (service, env, lane), must never reach AWS.
 */
export function awsNames(env: string, service: string, lane: string): AwsNames {
  const problem = envNameProblem(env) ?? serviceNameProblem(service, env) ?? laneNameProblem(lane, { service, env });
  if (problem) throw new LanesError('LANES_NAME_INVALID', problem, 'user');
  const forms = AWS_NAME_FORMS;
  return {
    infraStack: forms.infraStack(env),
    bootStack: forms.bootStack(env, service),
    appStack: forms.appStack(env, service, lane),
    infraPipeline: forms.infraPipeline(env),
    bootPipeline: forms.bootPipeline(env),
    appPipeline: forms.appPipeline(env, service),
    repository: forms.repository(env, service),
    ecsCluster: forms.ecsCluster(env),
    ecsService: forms.ecsService(service, lane),
    taskFamily: forms.taskFamily(env, service, lane),
    targetGroup: targetGroupName(env, service, lane),
    cloudMapNamespace: forms.cloudMapNamespace(env),
    cloudMapName: lane === DEFAULT_LANE ? forms.serviceCloudMapName(service) : forms.laneCloudMapName(service, lane),
    logGroup: forms.logGroup(env, service),
    logStreamPrefix: forms.logStreamPrefix(lane),
    albHeaderValue: forms.albHeaderValue(lane),
    serviceArnExport: forms.serviceArnExport(env, service),
  };
}
