import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  awsNames,
  checkAnalysisOptions,
  type DeployRequest,
  firstUnsupported,
  type LaneKey,
  type LaneProvider,
  type LaneProviderFactory,
  laneKeyString,
  type OperationOptions,
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
  /** CloudFormation goes on without us: Ctrl-C stops waiting and the answer says what it still does. */
  readonly interruptible = true;
  private readonly project: Project;
  private opened: Promise<{ stacks: AwsLaneProvider; options: AwsAdapterOptions }> | undefined;

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
    }));
    return this.opened;
  }

  async deploy(key: LaneKey, request: DeployRequest, options: OperationOptions = {}): Promise<ProviderDeployResult> {
    const given = DEPLOY_OPTIONS.filter(([option]) => request[option] !== undefined).map(([, feature]) => feature);
    const refused = firstUnsupported(this, given);
    if (refused) return refused;
    if (!request.image) {
      const message = '--provider aws needs --image <uri> (the container image to run)';
      return { type: 'refused', lane: laneKeyString(key), message };
    }
    const label = request.label ? { label: request.label } : {};
    const env = request.set ? { env: request.set } : {};
    const { stacks } = await this.open();
    return deployOutcome(await stacks.deploy(key, { imageUri: request.image, ...label, ...env }, options));
  }

  async route(service: string, weights: Record<string, number>): Promise<ProviderRouteResult> {
    const target = canaryTarget(service, weights);
    if ('problem' in target) return { type: 'refused', message: target.problem };
    const { stacks } = await this.open();
    return stacks.operate({}, (ctx) => routeOnAws(ctx, service, target));
  }

  async promote(key: LaneKey, options: PromoteRequest = {}): Promise<ProviderPromoteResult> {
    if (!options.analysis) return this.promoteNow(key, options.signal);
    checkAnalysisOptions(options.analysis);
    if (this.project.services[key.service]?.analysis) return unsupported(this, 'promote --analyze (analysis block)');
    const { stacks, options: opened } = await this.open();
    // The analysis answers Ctrl-C itself (traffic back to default, nothing promoted), so its context has no signal:
    // the weight's way back to 0 must not be interrupted too.
    return stacks.operate({}, (ctx) => {
      const deps = {
        ctx,
        cloudwatch: opened.clients.cloudwatch,
        promote: (k: LaneKey) => this.promoteNow(k, options.signal),
        settleMs: opened.metricSettleMs ?? 60_000,
      };
      return analyzeAndPromoteOnAws(deps, key, options.analysis ?? {}, options.signal);
    });
  }

  private async promoteNow(key: LaneKey, signal?: AbortSignal): Promise<ProviderPromoteResult> {
    const result = await (await this.open()).stacks.promote(key, { signal });
    if (result.type !== 'promoted') return result;
    const message = `${result.lane} promoted: default now runs ${result.image}; the lane's stack was deleted (${seconds(result.durationMs)})`;
    return { ...result, message };
  }

  async rollback(key: LaneKey, options: OperationOptions = {}): Promise<ProviderRollbackResult> {
    const result = await (await this.open()).stacks.rollback(key, options);
    return result.type === 'not-found' || result.type === 'no-previous' ? result : deployOutcome(result);
  }

  async delete(key: LaneKey, options: OperationOptions = {}): Promise<ProviderDeleteResult> {
    const result = await (await this.open()).stacks.delete(key, options);
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
    const names = awsNames(key.env, key.service, key.lane);
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
