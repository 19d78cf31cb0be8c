import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  type DeployRequest,
  derivedNames,
  firstUnsupported,
  type LaneKey,
  type LaneProvider,
  type LaneProviderFactory,
  laneKeyString,
  type Project,
  type PromoteRequest,
  type ProviderDeleteResult,
  type ProviderDeployResult,
  type ProviderFeature,
  type ProviderLogsResult,
  type ProviderPromoteResult,
  type ProviderRollbackResult,
  type ProviderRouteResult,
  type ProviderStatusResult,
  type StatusRequest,
  unsupported,
} from '@lanes/core';
import { awsProviderOptions } from '../aws-session.js';
import { AwsLaneProvider, type AwsLaneProviderOptions } from '../deploy/aws-lane-provider.js';
import { systemClock } from '../deploy/clock.js';
import type { AwsContext } from '../deploy/context.js';
import type { AwsDeployResult } from '../deploy/results.js';
import { analyzeAndPromoteOnAws } from './aws-canary-analysis.js';
import { AWS_CAPABILITIES } from './aws-capabilities.js';
import { canaryTarget, routeOnAws } from './aws-route.js';

export interface AwsAdapterOptions extends AwsLaneProviderOptions {
  clients: AwsLaneProviderOptions['clients'] & { cloudwatch: CloudWatchClient };
  /** How long after a canary step its CloudWatch metrics are read. @default 60000 */
  metricSettleMs?: number;
}

/** The deploy options a stack cannot take, as contract features. */
const DEPLOY_OPTIONS = [
  ['set', 'deploy --set'],
  ['command', 'deploy --command'],
  ['cwd', 'deploy --cwd'],
  ['replicas', 'deploy --replicas'],
  ['weight', 'deploy --weight'],
  ['ttlMs', 'deploy --ttl'],
] as const satisfies readonly (readonly [keyof DeployRequest, ProviderFeature])[];

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** Adds the human sentence to what `AwsLaneProvider.deploy` answers (its failures carry one already). */
function deployOutcome(result: AwsDeployResult): ProviderDeployResult {
  if (result.type !== 'deployed') return result;
  const how = result.recreated ? ', recreated' : '';
  const message = `${result.lane} runs ${result.image} (${result.stack} ${result.status}${how}, ${seconds(result.durationMs)})`;
  return { ...result, message };
}

/**
 * The `aws` provider of the lanes contract: deploy, promote, rollback, delete and status are `AwsLaneProvider`'s
 * (CloudFormation change sets); route and `promote --analyze` move the lane stack's `CanaryWeight` and judge the
 * steps on CloudWatch's ALB metrics; what a stack cannot do is `unsupported`, with the reason.
 */
export class AwsProviderAdapter implements LaneProvider {
  readonly name = 'aws';
  readonly capabilities = AWS_CAPABILITIES;
  private readonly project: Project;
  private opened: Promise<{ stacks: AwsLaneProvider; ctx: AwsContext; options: AwsAdapterOptions }> | undefined;

  /**
   * @param options the clients and templates, or, to open them only when an AWS call is due (synthesizing the
   *   templates takes seconds; a refusal needs none of it), the project and a loader.
   */
  constructor(
    private readonly options: AwsAdapterOptions | { project: Project; load: () => Promise<AwsAdapterOptions> },
  ) {
    this.project = options.project;
  }

  private open() {
    this.opened ??= ('load' in this.options ? this.options.load() : Promise.resolve(this.options)).then((options) => ({
      options,
      stacks: new AwsLaneProvider(options),
      ctx: {
        project: options.project,
        io: options.io,
        cloudformation: options.clients.cloudformation,
        codepipeline: options.clients.codepipeline,
        templates: options.templates,
        templateUpload: options.templateUpload,
        clock: options.clock ?? systemClock,
        pollMs: options.pollMs ?? 5000,
        timeoutMs: options.timeoutMs ?? 3_600_000,
      },
    }));
    return this.opened;
  }

  async deploy(key: LaneKey, request: DeployRequest): Promise<ProviderDeployResult> {
    const given = DEPLOY_OPTIONS.filter(([option]) => request[option] !== undefined).map(([, feature]) => feature);
    const refused = firstUnsupported(this, given);
    if (refused) return refused;
    if (!request.image) {
      const message = '--provider aws needs --image <uri> (the container image to run)';
      return { type: 'refused', lane: laneKeyString(key), message };
    }
    const label = request.label ? { label: request.label } : {};
    const { stacks } = await this.open();
    return deployOutcome(await stacks.deploy(key, { imageUri: request.image, ...label }));
  }

  async route(service: string, weights: Record<string, number>): Promise<ProviderRouteResult> {
    const target = canaryTarget(service, weights);
    if ('problem' in target) return { type: 'refused', message: target.problem };
    return routeOnAws((await this.open()).ctx, service, target);
  }

  async promote(key: LaneKey, options: PromoteRequest = {}): Promise<ProviderPromoteResult> {
    if (!options.analysis) return this.promoteNow(key);
    if (this.project.services[key.service]?.analysis) return unsupported(this, 'promote --analyze (analysis block)');
    const { ctx, options: opened } = await this.open();
    const deps = {
      ctx,
      cloudwatch: opened.clients.cloudwatch,
      promote: (k: LaneKey) => this.promoteNow(k),
      settleMs: opened.metricSettleMs ?? 60_000,
    };
    return analyzeAndPromoteOnAws(deps, key, options.analysis, options.signal);
  }

  private async promoteNow(key: LaneKey): Promise<ProviderPromoteResult> {
    const result = await (await this.open()).stacks.promote(key);
    if (result.type !== 'promoted') return result;
    const message = `${result.lane} promoted: default now runs ${result.image}; the lane's stack was deleted (${seconds(result.durationMs)})`;
    return { ...result, message };
  }

  async rollback(key: LaneKey): Promise<ProviderRollbackResult> {
    const result = await (await this.open()).stacks.rollback(key);
    return result.type === 'not-found' || result.type === 'no-previous' ? result : deployOutcome(result);
  }

  async delete(key: LaneKey): Promise<ProviderDeleteResult> {
    const result = await (await this.open()).stacks.delete(key);
    if (result.type !== 'deleted') return result;
    return { ...result, message: `${result.lane} deleted (stack ${result.stack}, ${seconds(result.durationMs)})` };
  }

  async status(request: StatusRequest = {}): Promise<ProviderStatusResult> {
    const env = this.project.env;
    const lanes = (await (await this.open()).stacks.status(env)).filter(
      (l) => !request.service || l.service === request.service,
    );
    return { type: 'stacks', provider: this.name, env, lanes };
  }

  async logs(key: LaneKey): Promise<ProviderLogsResult> {
    const names = derivedNames(key.service, key.env, key.lane);
    const refusal = unsupported(this, 'logs');
    const message = refusal.message
      .replace('/ecs/<env>/<service>', names.logGroup)
      .replace('<lane>/', `${names.logStreamPrefix}/`);
    return { ...refusal, message };
  }
}

/** The `aws` entry of the provider registry: `lanes --provider aws` (see @lanes/core `openLaneProvider`). */
export const awsLaneProviderFactory: LaneProviderFactory = async (session, options) =>
  new AwsProviderAdapter({
    project: session.project,
    load: () => awsProviderOptions(session.project, session.io, options.region),
  });
