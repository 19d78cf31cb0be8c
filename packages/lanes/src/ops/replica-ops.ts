import { LanesError } from '../errors.js';
import { emit } from '../io-host.js';
import { declaredService } from '../lane-checks.js';
import {
  findReplicaProcess,
  isPortFree,
  logFileFor,
  readLastLines,
  replicaMarkers,
  startReplica,
  stopReplica,
  waitHealthy,
} from '../local/index.js';
import type { RevisionSpec } from '../model.js';
import type { LaneKey, ReplicaRecord } from '../state/types.js';
import { laneKeyString } from '../state/types.js';
import { type OpsContext, STEPS } from './context.js';
import { readPlatformInfo } from './gateway-link.js';
import { replicaPortRange } from './port-range.js';
import { waitingReporter } from './waiting-progress.js';

/** A replica that passed its first health check, or why it did not. */
export type LaunchResult =
  | { type: 'healthy'; replica: ReplicaRecord }
  | { type: 'failed'; reason: string; logTail: string[]; replicaId: number | undefined };

const LOG_TAIL_LINES = 20;

async function allocateFreePort(ctx: OpsContext): Promise<number> {
  const [min, max] = replicaPortRange(ctx);
  for (let attempt = 0; attempt < 50; attempt++) {
    const allocated = ctx.store.allocatePort(min, max);
    if (allocated.type === 'exhausted') break;
    if (await isPortFree(allocated.port)) return allocated.port;
    // Something outside lanes holds it: leave it allocated so we do not pick it again soon.
  }
  throw new LanesError('LANES_PORTS_EXHAUSTED', `no free local port in ${min}-${max} for a replica`, 'system');
}

/** The variables the platform sets on every replica (`platformEnv`); a revision's own value would be overwritten. */
export const PLATFORM_ENV_NAMES = [
  'LANES_ENV',
  'LANES_SERVICE',
  'LANES_LANE',
  'LANES_REVISION',
  'LANES_GATEWAY_URL',
] as const;

/**
 * The environment every replica gets from the platform, on top of its revision's. The gateway URL is the running
 * gateway's (its port may have been picked at start), else the configured one.
 */
export async function platformEnv(ctx: OpsContext, key: LaneKey, revision: number): Promise<Record<string, string>> {
  const { gateway } = ctx.project;
  const running = await readPlatformInfo(ctx.project);
  const host = gateway.host === '0.0.0.0' ? '127.0.0.1' : gateway.host;
  return {
    LANES_ENV: key.env,
    LANES_SERVICE: key.service,
    LANES_LANE: key.lane,
    LANES_REVISION: String(revision),
    LANES_GATEWAY_URL: running?.url ?? `http://${host}:${gateway.port}`,
  };
}

/**
 * Starts one replica of a revision and waits for its first passing health check. Every fact is written to the
 * database and the operation's journal before the next step, so a killed CLI leaves nothing untracked.
 */
export async function launchReplica(
  ctx: OpsContext,
  operationId: number,
  key: LaneKey,
  revision: number,
  spec: RevisionSpec,
): Promise<LaunchResult> {
  const service = declaredService(ctx.project, key.service);
  const port = await allocateFreePort(ctx);
  const replicaId = ctx.store.addReplica({ ...key, revision, port, state: 'starting', operationId }).id;
  const logFile = logFileFor(ctx.project.stateDir, key, replicaId);
  ctx.store.updateReplica(replicaId, { logFile });
  const lane = laneKeyString(key);
  emit(ctx.io, 'REPLICA_STARTING', `starting replica ${replicaId} of ${lane} (revision ${revision}) on port ${port}`, {
    lane,
    data: { replica: replicaId, port, revision },
  });
  const extraEnv = { ...(await platformEnv(ctx, key, revision)), ...replicaMarkers(ctx.project.stateDir, replicaId) };
  const started = startReplica({ run: spec.run, port, logFile, extraEnv });
  if (started.type !== 'started') {
    ctx.store.updateReplica(replicaId, { state: 'failed', stoppedAt: Date.now() });
    ctx.store.releasePort(port);
    return { type: 'failed', reason: started.message, logTail: [], replicaId };
  }
  ctx.store.updateReplica(replicaId, { pid: started.pid, startedAt: Date.now() });
  ctx.store.appendStep(operationId, STEPS.replicaStarted, { lane, replicaId, pid: started.pid, port, revision });
  const health = await waitHealthy({
    url: `http://127.0.0.1:${port}`,
    path: service.healthCheck.path,
    timeoutMs: service.startTimeoutMs,
    intervalMs: 25, // a replica is usually up in tens of ms: polling slower would make every deploy slower
    pid: started.pid,
    onFailedCheck: waitingReporter(ctx, lane, replicaId, service.startTimeoutMs),
  });
  if (health.type === 'healthy') {
    ctx.store.updateReplica(replicaId, { state: 'running' });
    emit(ctx.io, 'REPLICA_HEALTHY', `replica ${replicaId} of ${lane} is healthy after ${health.afterMs} ms`, {
      lane,
      data: { replica: replicaId, port, afterMs: health.afterMs },
    });
    return { type: 'healthy', replica: ctx.store.getReplica(replicaId)! };
  }
  const reason =
    health.type === 'exited'
      ? `replica ${replicaId} exited before passing its health check`
      : `replica ${replicaId} did not pass its health check (${service.healthCheck.path}) within ${service.startTimeoutMs} ms: ${health.lastError}`;
  await stopReplica(started.pid, { graceMs: 1000 });
  ctx.store.updateReplica(replicaId, { state: 'failed', stoppedAt: Date.now() });
  ctx.store.releasePort(port);
  const logTail = await readLastLines(logFile, LOG_TAIL_LINES);
  emit(ctx.io, 'REPLICA_FAILED', reason, { level: 'warn', lane, data: { replica: replicaId, logTail } });
  return { type: 'failed', reason, logTail, replicaId };
}

/** Stops replicas (SIGTERM, then SIGKILL after the grace time) and records them stopped. */
export async function retireReplicas(ctx: OpsContext, replicas: readonly ReplicaRecord[]): Promise<void> {
  await Promise.all(
    replicas.map(async (replica) => {
      const lane = laneKeyString(replica);
      ctx.store.updateReplica(replica.id, { state: 'draining' });
      emit(ctx.io, 'REPLICA_STOPPING', `stopping replica ${replica.id} of ${lane}`, {
        level: 'debug',
        lane,
        data: { replica: replica.id },
      });
      // A replica without a pid was started by a CLI that died before recording it: find it by its markers.
      const pid = replica.pid ?? findReplicaProcess(ctx.project.stateDir, replica.id);
      if (pid !== undefined) await stopReplica(pid, { graceMs: 5000 });
      ctx.store.updateReplica(replica.id, { state: 'stopped', stoppedAt: Date.now() });
      ctx.store.releasePort(replica.port);
      emit(ctx.io, 'REPLICA_STOPPED', `stopped replica ${replica.id} of ${lane}`, {
        lane,
        data: { replica: replica.id },
      });
    }),
  );
}
