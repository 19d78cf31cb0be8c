import { isProcessAlive } from '../local/index.js';
import { LIVE_REPLICA_STATES, laneKeyString } from '../state/types.js';
import type { OpsContext } from './context.js';
import { isReplicaAlive } from './serving-replicas.js';

/** A replica process that ran when looked at: its record's id and its pid. */
export interface LiveReplica {
  id: number;
  lane: string;
  pid: number;
}

/**
 * The env's replicas whose process really runs: a record says `running` also for a replica that was killed, so
 * counting records would report work that was not done (`lanes down` said "2 stopped" with one alive).
 */
export function liveReplicas(ctx: OpsContext): LiveReplica[] {
  return ctx.store
    .listReplicas({ states: LIVE_REPLICA_STATES })
    .filter((replica) => replica.env === ctx.project.env && isReplicaAlive(replica))
    .map((replica) => ({ id: replica.id, lane: laneKeyString(replica), pid: replica.pid as number }));
}

/** Of the replicas alive `before`, the ones whose process is gone now. */
export function stoppedSince(before: readonly LiveReplica[]): LiveReplica[] {
  return before.filter((replica) => !isProcessAlive(replica.pid));
}
