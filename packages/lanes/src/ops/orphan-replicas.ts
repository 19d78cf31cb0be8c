import { emit } from '../io-host.js';
import { listReplicaProcesses, stopReplica } from '../local/index.js';
import { LIVE_REPLICA_STATES, laneKeyString } from '../state/types.js';
import type { OpsContext } from './context.js';

const LIVE: ReadonlySet<string> = new Set(LIVE_REPLICA_STATES);

/**
 * Stops the replica processes of this project's state folder that the state does not count as live (their row is
 * stopped, failed or gone): left behind by a command killed between steps, they would hold a port and serve nobody.
 * A live row's processes are left to the operation or the supervisor that owns them. Returns how many were stopped.
 */
export async function stopOrphanReplicas(ctx: OpsContext): Promise<number> {
  let stopped = 0;
  for (const found of listReplicaProcesses(ctx.project.stateDir)) {
    const replica = ctx.store.getReplica(found.replicaId);
    if (replica && LIVE.has(replica.state)) continue;
    const result = await stopReplica(found.pid, { graceMs: 2000 });
    if (result.type !== 'stopped' || result.how === 'already-gone') continue;
    stopped += 1;
    const lane = replica ? laneKeyString(replica) : undefined;
    emit(
      ctx.io,
      'ORPHAN_REPLICA_STOPPED',
      `stopped pid ${found.pid}: a process of replica ${found.replicaId}${lane ? ` of ${lane}` : ''} that no operation owns (state: ${replica?.state ?? 'unknown'})`,
      { level: 'warn', ...(lane ? { lane } : {}), data: { pid: found.pid, replica: found.replicaId } },
    );
  }
  return stopped;
}
