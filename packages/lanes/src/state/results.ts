import type { LaneKey } from './lane-key.js';
import type { LaneRecord, LockHolder, OperationRecord, ReplicaRecord } from './records.js';

/**
 * `busy`: a live process holds one of the lanes; nothing was locked. `stale`: its holder died; nothing was locked,
 * and the caller recovers that operation (`takeOverOperation`, then `finishOperation`) before beginning again.
 */
export type BeginResult =
  | { type: 'started'; operation: OperationRecord }
  | { type: 'busy'; laneKey: LaneKey; holder: LockHolder }
  | { type: 'stale'; laneKey: LaneKey; operation: OperationRecord };

/**
 * `taken`: the caller now holds the operation (and its locks). `busy`: another live process holds it (it took it
 * over first). `finished`: someone already finished it, so its locks are free.
 */
export type TakeOverResult =
  /** `from`: the holder that died, whose work the caller now finishes or undoes. */
  | { type: 'taken'; operation: OperationRecord; from: LockHolder }
  | { type: 'busy'; holder: LockHolder }
  | { type: 'finished'; operation: OperationRecord };

export type SetWeightsResult = { type: 'set'; lanes: LaneRecord[] } | { type: 'unknown-lane'; lane: string };

/** `replicas-live`: stop (and mark) these replicas first; nothing was deleted. */
export type DeleteLaneResult =
  | { type: 'deleted'; lane: LaneRecord }
  | { type: 'not-found' }
  | { type: 'replicas-live'; replicas: ReplicaRecord[] };

export type AllocatePortResult = { type: 'allocated'; port: number } | { type: 'exhausted'; min: number; max: number };

/** `lane-not-found`: the lane was deleted meanwhile (the supervisor samples while CLIs delete lanes). */
export type RecordSampleResult = { type: 'recorded' } | { type: 'lane-not-found' };
