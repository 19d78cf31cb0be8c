import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { admissionSettings, awsNames, awsSettings, LanesError, type Project } from '@lanes/core';
import { App, Aspects, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AppLaneStack } from './app-lane-stack.js';
import { BOOT_STACK_POLICY, BootStack } from './boot-stack.js';
import { BUILDSPEC_YAML, buildScript } from './ci-files.js';
import { type HeaderMatchOptions, rulesPerLane } from './header-match.js';
import { INFRA_STACK_POLICY, InfraStack } from './infra-stack.js';
import { stableJson } from './json-text.js';
import { albTrustedSources, checkAdmissionFits, laneSourceCidrs, TRUSTED_SOURCES_PARAMETER } from './lane-admission.js';
import { environmentJson, revisionEnvironment } from './lane-revision.js';
import { readLayerParams } from './layer-params.js';
import { PipelineStack } from './pipeline-stack.js';
import { checkPriorityCollisions, lanePriorities } from './priorities.js';
import { checkServiceQuotas } from './quotas.js';
import { type SynthWarning, templateSizeWarnings } from './template-size.js';

export interface SynthOptions {
  /** Folder to write into (created); files already there that synth does not write are left alone. */
  outDir: string;
  /**
   * How listener rules match lanes. @default carriers: the project's gateway carriers; mode: the project's
   * `aws.headerMatch`; ows: true
   */
  match?: Partial<HeaderMatchOptions> | undefined;
}

export interface SynthResult {
  outDir: string;
  /** Every written file, relative to `outDir`, sorted. */
  files: string[];
  /** What works but needs care, e.g. a template too large to send to CloudFormation inline. */
  warnings: SynthWarning[];
}

/** One synthesized CloudFormation template and where it goes. */
export interface SynthTemplate {
  path: string;
  stack: Stack;
}

/** The match options in force for a project. */
export function matchOptions(project: Project, given?: Partial<HeaderMatchOptions>): HeaderMatchOptions {
  return {
    carriers: given?.carriers ?? project.gateway.carriers,
    mode: given?.mode ?? awsSettings(project).headerMatch,
    ows: given?.ows ?? true,
  };
}

/**
 * Builds every stack of the infra repo in one CDK app with cdk-nag's AwsSolutions checks: the four layer templates
 * the pipelines deploy (`ci/templates/`) and the three pipelines (`ci/pipelines/`).
 */
export function buildStacks(match: HeaderMatchOptions): { app: App; templates: SynthTemplate[] } {
  if (match.carriers.length === 0) throw new LanesError('AWS_NO_CARRIER', 'route on at least one lane carrier', 'user');
  const app = new App({ analyticsReporting: false });
  const templates: SynthTemplate[] = [
    { path: 'ci/templates/infra.template.json', stack: new InfraStack(app, 'Infra') },
    { path: 'ci/templates/boot.template.json', stack: new BootStack(app, 'Boot') },
    {
      path: 'ci/templates/app-default.template.json',
      stack: new AppLaneStack(app, 'AppDefault', { kind: 'default', match }),
    },
    { path: 'ci/templates/app-lane.template.json', stack: new AppLaneStack(app, 'AppLane', { kind: 'lane', match }) },
  ];
  for (const kind of ['infra', 'boot', 'app'] as const) {
    const stack = new PipelineStack(app, `${kind[0]?.toUpperCase()}${kind.slice(1)}Pipeline`, kind);
    templates.push({ path: `ci/pipelines/${kind}-pipeline.template.json`, stack });
  }
  Aspects.of(app).add(new AwsSolutionsChecks());
  return { app, templates };
}

/** Synthesizes the app and returns each stack's template; throws `AWS_SYNTH_CHECKS` on any error annotation (cdk-nag). */
export function synthTemplates(app: App, templates: SynthTemplate[]): Map<string, Record<string, unknown>> {
  const assembly = app.synth();
  const errors: string[] = [];
  const out = new Map<string, Record<string, unknown>>();
  for (const { path, stack } of templates) {
    const artifact = assembly.getStackArtifact(stack.artifactId);
    for (const message of artifact.messages) {
      if (message.level === 'error') errors.push(`${message.id}: ${String(message.entry.data)}`);
    }
    out.set(path, artifact.template as Record<string, unknown>);
  }
  if (errors.length > 0)
    throw new LanesError('AWS_SYNTH_CHECKS', `synthesis checks failed:\n${errors.join('\n')}`, 'system');
  return out;
}

/** A template configuration file (CodePipeline's CloudFormation action): parameters, tags, stack policy. */
function templateConfig(parameters: Record<string, string>, tags: Record<string, string>, policy?: unknown): string {
  return stableJson({ Parameters: parameters, Tags: tags, ...(policy ? { StackPolicy: policy } : {}) });
}

function templateParameters(template: Record<string, unknown>): Set<string> {
  return new Set(Object.keys((template.Parameters as Record<string, unknown> | undefined) ?? {}));
}

function pick(params: Record<string, string>, allowed: Set<string>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter(([key]) => allowed.has(key)));
}

/**
 * The parameters of one lane's app stack for `ci/templates/app-lane.template.json` or `app-default` (the lane's
 * service params, names and rule priorities), the same `ci/build.sh` writes into `cfn-params.json`.
 */
export function laneParameters(
  project: Project,
  service: string,
  lane: string,
  imageUri: string,
): Record<string, string> {
  const model = project.services[service];
  if (!model) throw new LanesError('LANES_SERVICE_UNKNOWN', `no service "${service}" in ${project.file}`, 'user');
  const names = awsNames(project.env, service, lane);
  const base = { ...model.params, ServiceName: service, Env: project.env, ImageUri: imageUri };
  if (lane === 'default') return base;
  return {
    ...base,
    Lane: lane,
    TargetGroupName: names.targetGroup,
    RulePriorities: lanePriorities(service, lane).join(','),
    [TRUSTED_SOURCES_PARAMETER]: laneSourceCidrs(admissionSettings(project), lane).join(','),
  };
}

/**
 * Generates the infra repo for `project.env` into `options.outDir`: `ci/templates/` (infra, boot, app-default,
 * app-lane), `ci/pipelines/` (the three pipelines), `ci/buildspec.yaml`, `ci/build.sh`, `ci/config/` (template
 * configurations with the stack policies), `ci/stack-policies/`, and a copy of the env's `params/`. Checks first,
 * from the project's declared lanes: rule priorities unique per listener and ALB quotas (`aws.albRulesQuota`).
 */
export async function synthesize(project: Project, options: SynthOptions): Promise<SynthResult> {
  const match = matchOptions(project, options.match);
  const ruleQuota = awsSettings(project).albRulesQuota;
  const admission = admissionSettings(project);
  checkAdmissionFits(admission, match);
  const services = Object.values(project.services).sort((a, b) => a.name.localeCompare(b.name));
  for (const service of services) {
    checkPriorityCollisions(
      service.name,
      Object.keys(service.lanes).filter((lane) => lane !== 'default'),
    );
    checkServiceQuotas(service, match, ruleQuota);
  }
  const { app, templates } = buildStacks(match);
  let rendered: Map<string, Record<string, unknown>>;
  try {
    rendered = synthTemplates(app, templates);
  } finally {
    await rm(app.outdir, { recursive: true, force: true });
  }
  const files = new Map<string, string>();
  for (const [path, template] of rendered) files.set(path, stableJson(template));
  files.set('ci/buildspec.yaml', BUILDSPEC_YAML);
  files.set('ci/build.sh', buildScript(rulesPerLane(match), ruleQuota));
  files.set('ci/stack-policies/infra.json', stableJson(INFRA_STACK_POLICY));
  files.set('ci/stack-policies/boot.json', stableJson(BOOT_STACK_POLICY));

  const env = project.env;
  const infraParams = templateParameters(rendered.get('ci/templates/infra.template.json') ?? {});
  const bootParams = templateParameters(rendered.get('ci/templates/boot.template.json') ?? {});
  const layers = { infra: await readLayerParams(project, 'infra'), boot: await readLayerParams(project, 'boot') };
  const infraGiven = layers.infra;
  files.set(
    `ci/config/infra-${env}.json`,
    templateConfig(pick({ ...infraGiven, Env: env }, infraParams), { 'lanes:env': env }, INFRA_STACK_POLICY),
  );
  for (const service of services) {
    const parameters = pick(
      {
        ...layers.boot,
        ...service.params,
        ServiceName: service.name,
        Env: env,
        HealthCheckPath: service.params.HealthCheckPath ?? service.healthCheck.path,
        DefaultTargetGroupName: awsNames(env, service.name, 'default').targetGroup,
      },
      bootParams,
    );
    files.set(
      `ci/config/${awsNames(env, service.name, 'default').bootStack}.json`,
      templateConfig(parameters, { 'lanes:env': env, 'lanes:service': service.name }, BOOT_STACK_POLICY),
    );
  }
  for (const service of services) {
    // The environment of each lane's revision, for ci/build.sh (declared lanes; any other lane gets `Service`).
    const lanes = Object.fromEntries(
      Object.entries(service.lanes).map(([lane, declared]) => [lane, revisionEnvironment(service, declared)]),
    );
    // Who may choose a lane by header on the ALB (ci/build.sh's `TrustedSourceCidrs`): open lanes get no condition.
    const sources = {
      TrustedSourceCidrs: albTrustedSources(admission).join(','),
      OpenLanes: [...admission.openLanes].sort(),
    };
    const environments = { Service: revisionEnvironment(service, undefined), Lanes: lanes, Admission: sources };
    for (const [lane, environment] of [['*', environments.Service] as const, ...Object.entries(lanes)]) {
      environmentJson(environment, `lane ${env}/${service.name}/${lane}`);
    }
    // Named after the app pipeline that reads it (`app-{service}--{env}`), so that two services never share it.
    files.set(`ci/config/app-${awsNames(env, service.name, 'default').appPipeline}.json`, stableJson(environments));
  }
  for (const [name, params] of Object.entries(paramsFiles(project, layers))) {
    files.set(`params/${name}-${env}.json`, stableJson({ Parameters: params }));
  }

  const written = [...files.keys()].sort();
  for (const path of written) {
    const target = join(options.outDir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, files.get(path) ?? '', path.endsWith('.sh') ? { mode: 0o755 } : {});
  }
  return { outDir: options.outDir, files: written, warnings: templateSizeWarnings(files) };
}

/** The env's parameter files the project was loaded with: `infra`, `boot` and each service's. */
function paramsFiles(
  project: Project,
  layers: Record<'infra' | 'boot', Record<string, string>>,
): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [layer, params] of Object.entries(layers)) {
    if (Object.keys(params).length > 0) out[layer] = params;
  }
  for (const service of Object.values(project.services)) {
    if (Object.keys(service.params).length > 0) out[service.name] = service.params;
  }
  return out;
}
