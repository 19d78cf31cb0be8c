import { emit } from '../io-host.js';
import { isProcessAlive } from '../local/index.js';
import { LIVE_REPLICA_STATES } from '../state/types.js';
import type { OpsContext } from './context.js';
import { readPlatformInfo } from './gateway-link.js';
import { type LiveReplica, liveReplicas, stoppedSince } from './live-replicas.js';
import { beginOperation, type LaneBusy } from './operation.js';
import { retireReplicas } from './replica-ops.js';

export interface DownResult {
  type: 'down';
  /** Replicas whose process ran and was stopped (by this command or by the platform it stopped). */
  replicasStopped: number;
  /** Those replicas: a record of a replica whose process was already gone is cleared, not counted. */
  stopped: LiveReplica[];
  platformStopped: boolean;
  /** Lanes left alone because a live command holds them (their replicas keep running). */
  busy: LaneBusy[];
}

/**
 * Stops the platform: the supervisor (if `lanes up` runs elsewhere) and every replica. The lanes, revisions and
 * weights stay in the state database, so the next `lanes up` brings the same lanes back.
 */
export async function stopPlatform(ctx: OpsContext, options: { waitMs?: number } = {}): Promise<DownResult> {
  const platform = await readPlatformInfo(ctx.project);
  const alive = liveReplicas(ctx);
  let platformStopped = false;
  if (platform && platform.pid !== process.pid) {
    process.kill(platform.pid, 'SIGTERM');
    const deadline = Date.now() + (options.waitMs ?? 20_000);
    while (isProcessAlive(platform.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    platformStopped = !isProcessAlive(platform.pid);
  }
  const { busy } = await stopAllReplicas(ctx);
  const stopped = stoppedSince(alive);
  return { type: 'down', replicasStopped: stopped.length, stopped, busy, platformStopped };
}

/**
 * Stops every replica of the env, lane by lane under each lane's lock: a lane a live command is working on is left
 * to it (and reported), the others stop.
 */
export async function stopAllReplicas(ctx: OpsContext): Promise<Omit<DownResult, 'platformStopped'>> {
  const alive = liveReplicas(ctx);
  const lanes = ctx.store.listLanes({ env: ctx.project.env });
  const outcomes = await Promise.all(
    lanes.map(async (lane): Promise<number | LaneBusy> => {
      const begun = await beginOperation(ctx, 'down', [lane]);
      if (begun.type === 'busy') return begun;
      try {
        const replicas = ctx.store.listReplicas({ laneKey: lane, states: LIVE_REPLICA_STATES });
        await retireReplicas(ctx, replicas);
        ctx.store.finishOperation(begun.operation.id, 'succeeded');
        return replicas.length;
      } catch (error) {
        ctx.store.finishOperation(begun.operation.id, 'failed', (error as Error).message);
        throw error;
      }
    }),
  );
  const busy = outcomes.filter((o): o is LaneBusy => typeof o !== 'number');
  const stopped = stoppedSince(alive);
  const records = outcomes.reduce<number>((sum, o) => sum + (typeof o === 'number' ? o : 0), 0);
  emit(ctx.io, 'PLATFORM_DOWN', `stopped ${stopped.length} replica(s)`, {
    data: { replicas: stopped.length, pids: stopped.map((r) => r.pid), records, busy: busy.length },
  });
  return { type: 'down', replicasStopped: stopped.length, stopped, busy };
}
