/**
 * Names of services, envs and lanes, and the forms of the AWS names derived from them (aws-names.ts makes them). Every limit is checked here, when a name
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

/**
 * The AWS limits the derived names must fit. Stack names: letters, digits and `-`, starting with a letter
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html); target groups: letters,
 * digits and `-`, not at either end
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html); ECS services
 * and task families: letters, digits, `-` and `_`
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html); pipelines: letters, digits,
 * `.@-_` (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineDeclaration.html); ECR allows `-+`
 * between alphanumerics (the service model's `RepositoryName` pattern,
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html); exports: letters, digits,
 * `:` and `-` (CDK's `CfnOutput` check).
 */
export const AWS_NAME_LIMITS = {
  /** CloudFormation stack name. */
  stack: 128,
  /** ECS service name (letters, digits, `-`, `_`). */
  ecsService: 255,
  /** ECS task definition family (letters, digits, `-`, `_`). */
  taskFamily: 255,
  /** ELBv2 target group name (letters, digits, `-`; no `-` at either end). */
  targetGroup: 32,
  /** A value of an ALB listener rule's http-header condition. */
  albHeaderValue: 128,
  /** A Cloud Map service name used for DNS: one DNS label. */
  cloudMapName: MAX_DNS_LABEL_LENGTH,
  /** CodePipeline pipeline (and the CodeBuild project of the same name, at most 150). */
  pipeline: 100,
  /** ECR repository name. */
  repository: 256,
  /** CloudFormation export name. */
  exportName: 255,
} as const;

/**
 * Joins service, env and lane in every AWS name. Names are lowercase DNS labels without `--` (checked when they
 * enter), so they neither start nor end with `-` and a joined name splits back into its parts one way only: two
 * different (env, service, lane) never share a name.
 */
export const NAME_SEPARATOR = '--';
const SEP = NAME_SEPARATOR;

/** The longest service name: `{service}--{lane}` is one DNS label, with room for lanes of `MIN_LANE_ROOM`. */
export const MAX_SERVICE_LENGTH = AWS_NAME_LIMITS.cloudMapName - NAME_SEPARATOR.length - MIN_LANE_ROOM;

/**
 * How each AWS name is formed from env, service and lane: concatenation only, so a CDK token (a generic template's
 * parameter) passes through and the same form becomes `Fn::Join` there. No checks: use `awsNames` for real names.
 */
export const AWS_NAME_FORMS = {
  infraStack: (env: string) => `infra-environment-${env}`,
  bootStack: (env: string, service: string) => `boot-${service}${SEP}${env}`,
  appStack: (env: string, service: string, lane: string) => `app-${service}${SEP}${env}${SEP}${lane}`,
  infraPipeline: (env: string) => `infra-${env}`,
  bootPipeline: (env: string) => `boot-${env}`,
  appPipeline: (env: string, service: string) => `${service}${SEP}${env}`,
  repository: (env: string, service: string) => `${service}${SEP}${env}`,
  ecsCluster: (env: string) => `lanes-${env}`,
  ecsService: (service: string, lane: string) => `${service}${SEP}${lane}`,
  taskFamily: (env: string, service: string, lane: string) => `${service}${SEP}${env}${SEP}${lane}`,
  /** The target group while it fits (see `awsNames` for the hashed form). */
  readableTargetGroup: (env: string, service: string, lane: string) => `${service}${SEP}${env}${SEP}${lane}`,
  cloudMapNamespace: (env: string) => `${env}.lanes.internal`,
  /** The service's Cloud Map service (the boot stack's), which the default lane registers in. */
  serviceCloudMapName: (service: string) => service,
  /** The Cloud Map service of any other lane. */
  laneCloudMapName: (service: string, lane: string) => `${service}${SEP}${lane}`,
  logGroup: (env: string, service: string) => `/ecs/${env}/${service}`,
  logStreamPrefix: (lane: string) => lane,
  albHeaderValue: (lane: string) => `ctx=lane:${lane}`,
  /** Every export of a layer stack is `{stack}-{Key}`, with a key in PascalCase (no `-`). */
  infraExport: (env: string, key: string) => `${AWS_NAME_FORMS.infraStack(env)}-${key}`,
  bootExport: (env: string, service: string, key: string) => `${AWS_NAME_FORMS.bootStack(env, service)}-${key}`,
  /** The seed's Cloud Map export. */
  serviceArnExport: (env: string, service: string) =>
    `${AWS_NAME_FORMS.bootStack(env, service)}-${service}-service-arn`,
} as const;

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const DNS_LABEL_RULE = 'lowercase letters, digits and "-", starting and ending with a letter or digit, without "--"';

interface LaneLimit {
  max: number;
  why: string;
}

/** Every limit on the length of a lane name for this service and env, each with the name that imposes it. */
function laneLimits(service: string, env: string): LaneLimit[] {
  const limits = AWS_NAME_LIMITS;
  const forms = AWS_NAME_FORMS;
  const room = (limit: number, form: string) => limit - form.length + '<lane>'.length;
  const cloudMap = forms.laneCloudMapName(service, '<lane>');
  const stack = forms.appStack(env, service, '<lane>');
  const ecsService = forms.ecsService(service, '<lane>');
  const family = forms.taskFamily(env, service, '<lane>');
  const header = forms.albHeaderValue('<lane>');
  return [
    { max: MAX_DNS_LABEL_LENGTH, why: `a lane name is a DNS label (at most ${MAX_DNS_LABEL_LENGTH} characters)` },
    {
      max: room(limits.cloudMapName, cloudMap),
      why: `the Cloud Map name ${cloudMap} must be a DNS label of at most ${limits.cloudMapName} characters`,
    },
    {
      max: room(limits.stack, stack),
      why: `the stack name ${stack} can have at most ${limits.stack} characters`,
    },
    {
      max: room(limits.ecsService, ecsService),
      why: `the ECS service name ${ecsService} can have at most ${limits.ecsService} characters`,
    },
    {
      max: room(limits.taskFamily, family),
      why: `the task definition family ${family} can have at most ${limits.taskFamily} characters`,
    },
    {
      max: room(limits.albHeaderValue, header),
      why: `the ALB header value ${header} can have at most ${limits.albHeaderValue} characters`,
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

/** What is wrong with `name` as a part of AWS names, or `undefined`; `kind` is `lane`, `service` or `env`. */
function labelProblem(kind: string, name: string): string | undefined {
  if (name === '') return `${kind} name is empty; use ${DNS_LABEL_RULE}`;
  const shown = JSON.stringify(name);
  if (DNS_LABEL.test(name)) {
    if (!name.includes(NAME_SEPARATOR)) return undefined;
    return (
      `${kind} ${shown} contains "${NAME_SEPARATOR}": "${NAME_SEPARATOR}" separates the parts of AWS names ` +
      `(e.g. the stack app-{service}--{env}--{lane}), so no name may contain it: use "${name.replace(/-+/g, '-')}"`
    );
  }
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

/** The parts of a lane's stack name, or `undefined` when `stack` is not one (see `AwsNames.appStack`). */
export function parseAppStackName(stack: string): { env: string; service: string; lane: string } | undefined {
  if (!stack.startsWith('app-')) return undefined;
  const parts = stack.slice('app-'.length).split(NAME_SEPARATOR);
  if (parts.length !== 3) return undefined;
  const [service = '', env = '', lane = ''] = parts;
  if ([service, env, lane].some((part) => labelProblem('name', part) !== undefined)) return undefined;
  return { env, service, lane };
}
