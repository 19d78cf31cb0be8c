// The state store's public types and key helpers, for the code that uses the store (`StateStore` itself is in
// state-store.ts).
export { type LaneKey, laneKeyString, parseLaneKey } from './lane-key.js';
export type { LaneFields } from './lane-queries.js';
export type { ListOperationsFilter } from './operation-queries.js';
export { isProcessAlive } from './process-liveness.js';
export {
  type FinishedStatus,
  type JournalStep,
  LANE_STATUSES,
  type LaneHistoryEntry,
  type LaneRecord,
  type LaneStatus,
  LIVE_REPLICA_STATES,
  type LockHolder,
  OPERATION_KINDS,
  OPERATION_STATUSES,
  type OperationKind,
  type OperationRecord,
  type OperationStatus,
  REPLICA_STATES,
  type ReplicaRecord,
  type ReplicaState,
  type RevisionRecord,
  type Sample,
  type SampleRecord,
} from './records.js';
export type { ListReplicasFilter, NewReplica, ReplicaPatch } from './replica-queries.js';
export type {
  AllocatePortResult,
  BeginResult,
  DeleteLaneResult,
  RecordSampleResult,
  SetWeightsResult,
  TakeOverResult,
} from './results.js';
export { SAMPLES_PER_LANE } from './sample-queries.js';
export { SCHEMA_VERSION } from './schema.js';
