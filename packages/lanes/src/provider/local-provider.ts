import { LanesError } from '../errors.js';
import { serviceLaneProblem } from '../lane-checks.js';
import { analyzeAndPromote, DEFAULT_ANALYSIS } from '../ops/canary-analysis.js';
import type { OpsContext } from '../ops/context.js';
import { deleteLane } from '../ops/delete-lane.js';
import { type DeployResult, deployLane } from '../ops/deploy.js';
import { readLaneLogs } from '../ops/lane-logs.js';
import { type PromoteResult, promoteFinishedByRecovery, promoteLane } from '../ops/promote.js';
import { sharesOf } from '../ops/promote-weights.js';
import { PLATFORM_ENV_NAMES } from '../ops/replica-ops.js';
import { composeRevision } from '../ops/revision.js';
import { rollbackLane } from '../ops/rollback.js';
import { routeService } from '../ops/route.js';
import { collectStatus } from '../ops/status.js';
import { type LaneKey, laneKeyString } from '../state/types.js';
import type { ProviderCapabilities } from './capabilities.js';
import type {
  DeployRequest,
  LaneProvider,
  LogsRequest,
  NotFound,
  PromoteRequest,
  ProviderDeleteResult,
  ProviderDeployResult,
  ProviderLogsResult,
  ProviderPromoteResult,
  ProviderRollbackResult,
  ProviderRouteResult,
  ProviderStatusResult,
  StatusRequest,
} from './lane-provider.js';
import { checkAnalysisOptions, checkDeployRequest } from './request-checks.js';
import { platformRunning, servingMessage } from './serving-note.js';

/** The embedded platform does everything the contract names. */
export const LOCAL_CAPABILITIES: ProviderCapabilities = {
  deploy: true,
  'deploy --set': true,
  'deploy --command': true,
  'deploy --cwd': true,
  'deploy --label': true,
  'deploy --image': true,
  'deploy --replicas': true,
  'deploy --weight': true,
  'deploy --ttl': true,
  route: true,
  promote: true,
  'promote --analyze': true,
  'promote --analyze (analysis block)': true,
  rollback: true,
  delete: true,
  status: true,
  'status --service': true,
  logs: true,
  'logs --follow': true,
};

/** `default 90%, gray 10%`. */
function shareText(shares: Record<string, number>): string {
  return Object.entries(shares)
    .map(([lane, share]) => `${lane} ${Math.round(share * 1000) / 10}%`)
    .join(', ');
}

/** Adds the human sentence to a local deploy result (the local ops carry one only on failures). */
async function deployOutcome(ctx: OpsContext, result: DeployResult): Promise<ProviderDeployResult> {
  if (result.type !== 'deployed') return result;
  if (result.finishedByRecovery) {
    return {
      ...result,
      message: `${result.finishedByRecovery.message}: ${result.lane} serves revision ${result.revision}`,
    };
  }
  const seconds = (result.durationMs / 1000).toFixed(1);
  const replicas = `${result.replicas} replica${result.replicas === 1 ? '' : 's'}`;
  const running = await platformRunning(ctx);
  const message = servingMessage(
    running,
    `${result.lane} serves revision ${result.revision} (${replicas}, ${seconds}s)`,
    `${result.lane}: revision ${result.revision} recorded (${replicas} started, ${seconds}s)`,
  );
  return { ...result, message, platformRunning: running };
}

async function promotedOutcome(
  ctx: OpsContext,
  result: Extract<PromoteResult, { type: 'promoted' }>,
): Promise<ProviderPromoteResult> {
  const by = result.finishedByRecovery ? ` (${result.finishedByRecovery.message})` : '';
  const moved = result.finishedByRecovery ? '' : ' (its weight went to default)';
  const traffic = `untagged traffic ${shareText(sharesOf(result.weights))}${moved}`;
  const running = await platformRunning(ctx);
  const message = servingMessage(
    running,
    `${result.lane} promoted${by}: default now serves its revision (default revision ${result.defaultRevision}); the lane was deleted; ${traffic}`,
    `${result.lane} promoted${by}: default revision ${result.defaultRevision} recorded; the lane was deleted; ${traffic}`,
  );
  return { ...result, message, platformRunning: running };
}

/** The `local` provider: the operations in `ops/` on the project's state database and lane gateway. */
export class LocalLaneProvider implements LaneProvider {
  readonly name = 'local';
  readonly capabilities = LOCAL_CAPABILITIES;

  constructor(private readonly ctx: OpsContext) {}

  async deploy(key: LaneKey, request: DeployRequest): Promise<ProviderDeployResult> {
    const service = this.ctx.project.services[key.service];
    const problem = serviceLaneProblem(this.ctx.project, key.service, key.lane);
    if (!service || problem)
      throw new LanesError('LANES_UNKNOWN_LANE', problem ?? `no service "${key.service}"`, 'user');
    checkDeployRequest(request);
    const ignored = this.ignoredDeployOption(key, service.run.portEnv, request);
    if (ignored) return { type: 'refused', lane: laneKeyString(key), message: ignored };
    const spec = composeRevision(service, service.lanes[key.lane], {
      ...(request.set ? { env: request.set } : {}),
      ...(request.command ? { command: request.command } : {}),
      ...(request.cwd ? { cwd: request.cwd } : {}),
      ...(request.image ? { image: request.image } : {}),
      ...(request.label ? { label: request.label } : {}),
    });
    const options = {
      ...(request.replicas !== undefined ? { replicas: request.replicas } : {}),
      ...(request.weight !== undefined ? { weight: request.weight } : {}),
      ...(request.ttlMs !== undefined ? { ttlMs: request.ttlMs } : {}),
    };
    return deployOutcome(this.ctx, await deployLane(this.ctx, key, { spec }, options));
  }

  async route(service: string, weights: Record<string, number>): Promise<ProviderRouteResult> {
    const result = await routeService(this.ctx, service, weights);
    if (result.type !== 'routed') return result;
    const shares = shareText(result.shares);
    const running = await platformRunning(this.ctx);
    const message = servingMessage(
      running,
      `${service}: untagged traffic ${shares}`,
      `${service}: weights recorded (untagged traffic ${shares})`,
    );
    return { ...result, message, platformRunning: running };
  }

  async promote(key: LaneKey, options: PromoteRequest = {}): Promise<ProviderPromoteResult> {
    if (options.analysis) checkAnalysisOptions(options.analysis);
    // default is refused as "already the default lane" by the promote itself, whether it runs or not.
    const missing = key.lane === 'default' ? undefined : this.missingLane(key);
    if (missing) {
      // The lane is gone because a killed promote of it was finished by recovery: a retry answers as that promote.
      const done = await promoteFinishedByRecovery(this.ctx, key);
      return done ? promotedOutcome(this.ctx, done) : missing;
    }
    if (options.analysis) return this.analyzeAndPromote(key, options.analysis, options.signal);
    const result = await promoteLane(this.ctx, key);
    return result.type === 'promoted' ? promotedOutcome(this.ctx, result) : result;
  }

  private async analyzeAndPromote(
    key: LaneKey,
    analysis: NonNullable<PromoteRequest['analysis']>,
    signal: AbortSignal | undefined,
  ): Promise<ProviderPromoteResult> {
    const result = await analyzeAndPromote(this.ctx, key, { ...DEFAULT_ANALYSIS, ...analysis }, signal);
    if (result.type === 'busy' || result.type === 'refused') return result;
    if (result.type === 'aborted') return { ...result, message: `analysis of ${result.lane}: NOT promoted` };
    const { promote } = result;
    if (promote.type === 'promoted') return { ...result, message: `analysis of ${result.lane}: promoted` };
    const message = `analysis of ${result.lane}: promote failed: ${promote.type}: ${promote.message}`;
    if (promote.type === 'reverted') return { ...promote, steps: result.steps, message };
    return { type: 'failed', lane: result.lane, steps: result.steps, message };
  }

  async rollback(key: LaneKey): Promise<ProviderRollbackResult> {
    const missing = this.missingLane(key);
    if (missing) return missing;
    const result = await rollbackLane(this.ctx, key);
    return result.type === 'no-previous' ? result : deployOutcome(this.ctx, result);
  }

  async delete(key: LaneKey): Promise<ProviderDeleteResult> {
    const result = await deleteLane(this.ctx, key);
    if (result.type !== 'deleted') return result;
    const stopped = `${result.replicasStopped} replica${result.replicasStopped === 1 ? '' : 's'} stopped`;
    const declared = this.ctx.project.services[key.service]?.lanes[key.lane] !== undefined;
    // lanes up deploys every declared lane that has no revision: this one would come back unasked.
    const comesBack = declared
      ? `; it is declared in ${this.ctx.project.file} (services.${key.service}.lanes.${key.lane}), so the next lanes up deploys it again: remove it there to keep it deleted`
      : '';
    return { ...result, declared, message: `${result.lane} deleted (${stopped})${comesBack}` };
  }

  /** What a deploy would silently not apply: a variable the platform sets itself, a weight for an existing lane. */
  private ignoredDeployOption(key: LaneKey, portEnv: string, request: DeployRequest): string | undefined {
    const owned = Object.keys(request.set ?? {}).find(
      (name) => name === portEnv || (PLATFORM_ENV_NAMES as readonly string[]).includes(name),
    );
    if (owned === portEnv) return `--set ${owned}: the platform sets ${owned} to each replica's own port`;
    if (owned) return `--set ${owned}: the platform sets ${owned} on every replica (${PLATFORM_ENV_NAMES.join(', ')})`;
    if (request.weight !== undefined && (key.lane === 'default' || this.ctx.store.getLane(key))) {
      const lane = laneKeyString(key);
      return `--weight sets the weight of a new lane; ${lane} exists: use lanes route ${key.service} ${key.lane}=${request.weight}`;
    }
    return undefined;
  }

  /** The answer for a lane the platform does not have, as `delete` gives it; undefined when it has the lane. */
  private missingLane(key: LaneKey): NotFound | undefined {
    if (this.ctx.store.getLane(key)) return undefined;
    const lane = laneKeyString(key);
    return { type: 'not-found', lane, message: `there is no lane ${lane}` };
  }

  async status(request: StatusRequest = {}): Promise<ProviderStatusResult> {
    const status = await collectStatus(this.ctx);
    const lanes = status.lanes.filter((lane) => !request.service || lane.service === request.service);
    return { type: 'platform', ...status, lanes };
  }

  async logs(
    key: LaneKey,
    request: LogsRequest,
    onLine: (source: string, line: string) => void,
  ): Promise<ProviderLogsResult> {
    const read = await readLaneLogs(this.ctx, key, request, onLine);
    // A deleted lane's logs stay readable; a lane that never was has none.
    const missing = read === undefined ? this.missingLane(key) : undefined;
    if (missing) return missing;
    return { type: 'done', lane: laneKeyString(key), sources: read?.sources ?? 0 };
  }
}
