import { isProcessAlive } from '../local/index.js';
import type { StateStore } from '../state/state-store.js';
import type { LaneRecord, ReplicaRecord } from '../state/types.js';

/** The replicas recorded as running the lane's current revision: the set the gateway routes the lane to. */
export function servingReplicas(store: StateStore, lane: LaneRecord): ReplicaRecord[] {
  return store.listReplicas({ laneKey: lane, states: ['running'] }).filter((r) => r.revision === lane.currentRevision);
}

/** Whether a replica's process still runs (a replica whose pid was never recorded does not count). */
export function isReplicaAlive(replica: ReplicaRecord): boolean {
  return replica.pid !== undefined && isProcessAlive(replica.pid);
}
