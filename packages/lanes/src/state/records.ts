import type { RevisionSpec } from '../model.js';
import type { LaneKey } from './lane-key.js';

export const OPERATION_KINDS = ['deploy', 'promote', 'rollback', 'delete', 'route', 'gc', 'up', 'down'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

export const OPERATION_STATUSES = ['running', 'succeeded', 'failed', 'reverted'] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];
/** How an operation ended: `reverted` means it undid its own changes (the old revision keeps serving). */
export type FinishedStatus = Exclude<OperationStatus, 'running'>;

export const LANE_STATUSES = ['active', 'deleting'] as const;
export type LaneStatus = (typeof LANE_STATUSES)[number];

export const REPLICA_STATES = ['starting', 'running', 'draining', 'stopped', 'failed'] as const;
export type ReplicaState = (typeof REPLICA_STATES)[number];
/** States in which a replica may still have a process, and so holds its port. */
export const LIVE_REPLICA_STATES = ['starting', 'running', 'draining'] as const satisfies readonly ReplicaState[];

/** Timestamps everywhere are ms since the epoch. */
export interface LaneRecord extends LaneKey {
  /** Undefined while the lane's first deploy is in flight. */
  currentRevision: number | undefined;
  /** Share of the service's untagged traffic (relative to the other lanes' weights). */
  weight: number;
  desiredReplicas: number;
  /** `gc` deletes the lane this long after its last deploy. */
  ttlMs: number | undefined;
  status: LaneStatus;
  createdAt: number;
  /** When the lane was created or last got a current revision (deploy, rollback): what `gc --older-than` reads. */
  updatedAt: number;
}

/** Immutable once recorded. Numbers are per lane key and never reused, even after the lane is deleted. */
export interface RevisionRecord extends LaneKey {
  number: number;
  spec: RevisionSpec;
  createdAt: number;
  operationId: number;
}

/** One period during which `revision` was the lane's current revision. */
export interface LaneHistoryEntry extends LaneKey {
  revision: number;
  fromTime: number;
  /** Undefined for the current revision. */
  toTime: number | undefined;
  /** The operation that made this revision current. */
  operationId: number;
}

export interface ReplicaRecord extends LaneKey {
  id: number;
  revision: number;
  port: number;
  /** The operation that started it (undefined if it was added without one). */
  operationId: number | undefined;
  /** Undefined until the process is spawned. */
  pid: number | undefined;
  state: ReplicaState;
  /** When the row was added (just before the process is spawned), unless updated when it was. */
  startedAt: number;
  stoppedAt: number | undefined;
  /** Undefined until known (a log file name may depend on the replica id). */
  logFile: string | undefined;
  exitCode: number | undefined;
}

export interface OperationRecord {
  id: number;
  kind: OperationKind;
  /** Sorted by env, service, lane. */
  laneKeys: LaneKey[];
  status: OperationStatus;
  holderPid: number;
  holderHostname: string;
  /** The holder's start time (see `procStartTime`), undefined where unknown: with the pid, it names one process. */
  holderStartTime: number | undefined;
  startedAt: number;
  heartbeatAt: number;
  finishedAt: number | undefined;
  error: string | undefined;
  /** Every step so far, in order: what recovery reads to know how far the operation got. */
  journal: JournalStep[];
}

/** One step of an operation's journal, in the order appended (`seq` 1, 2, ...). */
export interface JournalStep {
  seq: number;
  step: string;
  data: unknown;
  at: number;
}

/** Who holds a lane's lock, for `lane dev/shop/gray is busy: deploy #12 (pid 4242) started 14s ago`. */
export interface LockHolder {
  operationId: number;
  kind: OperationKind;
  pid: number;
  hostname: string;
  /** See `OperationRecord.holderStartTime`. */
  startTime: number | undefined;
  startedAt: number;
  heartbeatAt: number;
}

/** One health sample of a lane, recorded by the supervisor for the alarms. */
export interface Sample {
  at: number;
  running: number;
  desired: number;
  healthy: number;
  requests: number;
  errors5xx: number;
}

export interface SampleRecord extends LaneKey, Sample {}
