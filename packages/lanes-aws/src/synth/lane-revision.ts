import { composeRevision, type DeclaredLane, LanesError, type Project, type ServiceModel } from '@lanes/core';

/**
 * A lane's revision on AWS: what the task definition runs. The same as locally (`composeRevision`): the image, and
 * the environment of `run.env` (the service's, then the declared lane's, then the deploy's overrides) plus the
 * port variable (`run.portEnv`, set to the container port, last, as a local replica gets its port).
 */
export interface LaneRevision {
  image: string;
  environment: Record<string, string>;
}

/** The container that runs the revision in every app template's task definition. */
export const REVISION_CONTAINER = 'app';

/**
 * The stack parameters of a revision. CloudFormation has no function that turns a parameter into a list of
 * name/value pairs, so the environment reaches the container as literal entries of the template (see
 * `specializeTemplate`) and is recorded in `Environment` (JSON) for promote; `PreviousImageUri` and
 * `PreviousEnvironment` record the revision before it, carried forward by every deploy path (the provider and
 * `ci/build.sh`): a pipeline run replaces the stack's tags but not its parameters, so rollback survives it.
 */
export const REVISION_PARAMETERS = {
  image: 'ImageUri',
  environment: 'Environment',
  previousImage: 'PreviousImageUri',
  previousEnvironment: 'PreviousEnvironment',
} as const;

/** CloudFormation's limit on one parameter value, in bytes. https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html */
export const MAX_PARAMETER_VALUE_BYTES = 4096;

/** The container port a lane listens on: the service's `ContainerPort` parameter, or the template's default. */
export function containerPortOf(params: Record<string, string>): string {
  return params.ContainerPort ?? '8080';
}

/** The environment of a lane's revision, composed from the project files as the local provider does. */
export function laneEnvironment(
  project: Project,
  service: string,
  lane: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const model = project.services[service];
  if (!model) throw new LanesError('LANES_SERVICE_UNKNOWN', `no service "${service}" in ${project.file}`, 'user');
  return revisionEnvironment(model, model.lanes[lane], overrides);
}

/** The environment of a revision of `model`, for a declared lane or (undefined) any other lane. */
export function revisionEnvironment(
  model: ServiceModel,
  declared: DeclaredLane | undefined,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const run = composeRevision(model, declared, { env: overrides }).run;
  return { ...run.env, [run.portEnv]: containerPortOf(model.params) };
}

/** An environment as one parameter value: JSON with sorted keys, checked against the parameter size limit. */
export function environmentJson(environment: Record<string, string>, where?: string): string {
  const json = JSON.stringify(Object.fromEntries(Object.entries(environment).sort(([a], [b]) => cmp(a, b))));
  if (where) checkParameterValue(REVISION_PARAMETERS.environment, json, where);
  return json;
}

/** The environment in a parameter written by `environmentJson`; `{}` for anything that is not a JSON object. */
export function parseEnvironment(json: string | undefined): Record<string, string> {
  try {
    const parsed = JSON.parse(json ?? '{}') as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  } catch {
    return {};
  }
}

/** Whether two revisions run the same thing. */
export function sameRevision(a: LaneRevision, b: LaneRevision): boolean {
  return a.image === b.image && environmentJson(a.environment) === environmentJson(b.environment);
}

/**
 * The app template with the revision's environment written into the container (`REVISION_CONTAINER`) of its task
 * definition, after the template's own variables (`LANES_*`), which win over a variable of the same name as the
 * platform's do locally. `ci/build.sh` does the same with jq (`specialize_template`); a test compares them.
 */
export function specializeTemplate(template: string, environment: Record<string, string>, where: string): string {
  let parsed: { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> };
  try {
    parsed = JSON.parse(template) as typeof parsed;
  } catch {
    throw new LanesError(
      'AWS_TEMPLATE_NOT_JSON',
      `${where}: the app template is not JSON, so its environment cannot be set`,
      'user',
    );
  }
  let containers = 0;
  for (const resource of Object.values(parsed.Resources ?? {})) {
    if (resource.Type !== 'AWS::ECS::TaskDefinition') continue;
    const definitions = (resource.Properties?.ContainerDefinitions ?? []) as {
      Name?: string;
      Environment?: unknown[];
    }[];
    for (const container of definitions) {
      if (container.Name !== REVISION_CONTAINER) continue;
      containers++;
      const base = (container.Environment ?? []) as { Name?: unknown }[];
      const taken = new Set(base.map((entry) => entry.Name).filter((name) => typeof name === 'string'));
      const added = Object.keys(environment)
        .sort(cmp)
        .filter((name) => !taken.has(name))
        .map((name) => ({ Name: name, Value: environment[name] ?? '' }));
      container.Environment = [...base, ...added];
    }
  }
  if (containers !== 1) {
    throw new LanesError(
      'AWS_TEMPLATE_NO_CONTAINER',
      `${where}: the app template must have exactly one task definition container "${REVISION_CONTAINER}", found ${containers}`,
      'user',
    );
  }
  return JSON.stringify(parsed);
}

export function checkParameterValue(key: string, value: string, where: string): void {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_PARAMETER_VALUE_BYTES) {
    throw new LanesError(
      'AWS_PARAMETER_TOO_LARGE',
      `${where}: parameter ${key} would be ${bytes} bytes, over CloudFormation's ${MAX_PARAMETER_VALUE_BYTES}-byte limit for one parameter value; move some of the environment into the image`,
      'user',
    );
  }
}

/** Code-unit order, as jq's `sort_by` orders keys, so both sides list the environment alike. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
