import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { RevisionSpec } from '../model.js';
import type { LaneKey } from './lane-key.js';
import {
  deleteLane,
  getLane,
  type LaneFields,
  listLanes,
  setLaneStatus,
  setWeights,
  upsertLane,
} from './lane-queries.js';
import type { ListOperationsFilter } from './operation-queries.js';
import * as operations from './operation-queries.js';
import { allocatePort, releasePort } from './port-queries.js';
import type {
  FinishedStatus,
  JournalStep,
  LaneHistoryEntry,
  LaneRecord,
  LaneStatus,
  OperationKind,
  OperationRecord,
  ReplicaRecord,
  RevisionRecord,
  Sample,
  SampleRecord,
} from './records.js';
import {
  addReplica,
  getReplica,
  type ListReplicasFilter,
  listReplicas,
  type NewReplica,
  type ReplicaPatch,
  updateReplica,
} from './replica-queries.js';
import type {
  AllocatePortResult,
  BeginResult,
  DeleteLaneResult,
  RecordSampleResult,
  SetWeightsResult,
  TakeOverResult,
} from './results.js';
import * as revisions from './revision-queries.js';
import { recentSamples, recordSample } from './sample-queries.js';
import { migrate } from './schema.js';
import { SqliteConnection } from './sqlite-connection.js';
import type { StoreContext } from './store-context.js';

export interface StateStoreOptions {
  /** Clock for every timestamp. @default Date.now */
  now?: () => number;
  /** This machine's name, recorded with holders; only holders from this machine can be found dead. @default os.hostname() */
  hostname?: string;
  /** How long a statement waits for another process's transaction. @default 5000 */
  busyTimeoutMs?: number;
}

/** The file name of the database inside the state folder. */
export const STATE_FILE = 'state.db';

/**
 * The local platform's state: `<stateDir>/state.db`, shared by every lanes process of the project. Each method is
 * one transaction, so a process killed at any point leaves the database consistent; group several calls with
 * `transaction`. All methods are synchronous.
 */
export class StateStore {
  readonly #ctx: StoreContext;

  private constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /**
   * Opens the database, creating the folder and file if needed, and migrates it to this version's schema.
   * Throws `LanesError` `LANES_STATE_UNREADABLE` (damaged or inaccessible file) or `LANES_STATE_TOO_NEW`.
   */
  static open(stateDir: string, options: StateStoreOptions = {}): StateStore {
    mkdirSync(stateDir, { recursive: true });
    const connection = SqliteConnection.open(join(stateDir, STATE_FILE), options.busyTimeoutMs ?? 5000);
    try {
      migrate(connection);
    } catch (error) {
      connection.close();
      throw error;
    }
    return new StateStore({ connection, now: options.now ?? Date.now, hostname: options.hostname ?? hostname() });
  }

  /** Absolute path of `state.db`. */
  get file(): string {
    return this.#ctx.connection.file;
  }

  close(): void {
    this.#ctx.connection.close();
  }

  /** Runs `fn` as one write transaction: the calls it makes all happen, or none does (on a throw or a crash). */
  transaction<T>(fn: () => T): T {
    return this.#ctx.connection.write(fn);
  }

  // Operations and locks

  /** Locks every key for a new operation held by `pid`, or none of them. */
  beginOperation(kind: OperationKind, laneKeys: readonly LaneKey[], pid: number = process.pid): BeginResult {
    return operations.beginOperation(this.#ctx, kind, laneKeys, pid);
  }

  /**
   * Makes `pid` the holder of a running operation whose holder died, so it can finish or undo it under the same
   * locks. Journals a `taken-over` step `{ fromPid, fromHostname, toPid, toHostname }`.
   */
  takeOverOperation(staleOperationId: number, pid: number = process.pid): TakeOverResult {
    return operations.takeOverOperation(this.#ctx, staleOperationId, pid);
  }

  /**
   * Whether a running operation's holder is gone (pid dead, a zombie, or reused by another process), so its locks
   * are stale. A holder on another machine cannot be checked and counts as alive.
   */
  isStale(operation: OperationRecord): boolean {
    return operations.isStale(this.#ctx, operation);
  }

  /** Appends a journal step; `data` is stored as JSON. Throws `LANES_OPERATION_NOT_RUNNING` once the operation ended. */
  appendStep(operationId: number, step: string, data: unknown = null): JournalStep {
    return operations.appendStep(this.#ctx, operationId, step, data);
  }

  /** Records that the holder is still working (shown by `status`); no effect once the operation ended. */
  heartbeat(operationId: number): void {
    operations.heartbeat(this.#ctx, operationId);
  }

  /** Ends the operation and releases its locks, together. */
  finishOperation(operationId: number, status: FinishedStatus, error?: string): OperationRecord {
    return operations.finishOperation(this.#ctx, operationId, status, error);
  }

  getOperation(operationId: number): OperationRecord | undefined {
    return operations.getOperation(this.#ctx, operationId);
  }

  /** The operation's steps in the order appended. */
  getJournal(operationId: number): JournalStep[] {
    return operations.getJournal(this.#ctx, operationId);
  }

  /** Newest first. */
  listOperations(filter: ListOperationsFilter = {}): OperationRecord[] {
    return operations.listOperations(this.#ctx, filter);
  }

  /** Oldest first; includes operations whose holder died (not yet recovered). */
  runningOperations(): OperationRecord[] {
    return operations.runningOperations(this.#ctx);
  }

  // Lanes

  getLane(key: LaneKey): LaneRecord | undefined {
    return getLane(this.#ctx, key);
  }

  listLanes(filter: { env?: string; service?: string } = {}): LaneRecord[] {
    return listLanes(this.#ctx, filter);
  }

  /** Creates the lane, or changes the fields given. Accepts a whole `LaneRecord` with changes. */
  upsertLane(lane: LaneKey & LaneFields): LaneRecord {
    return upsertLane(this.#ctx, lane);
  }

  setLaneStatus(key: LaneKey, status: LaneStatus): LaneRecord {
    return setLaneStatus(this.#ctx, key, status);
  }

  /** Sets the weights of the service's lanes; lanes not named get 0. Changes nothing if a named lane is unknown. */
  setWeights(env: string, service: string, weights: Record<string, number>): SetWeightsResult {
    return setWeights(this.#ctx, env, service, weights);
  }

  /**
   * Deletes the lane with its replica rows (all must be stopped or failed) and samples; keeps its revisions and
   * history for audit.
   */
  deleteLane(key: LaneKey): DeleteLaneResult {
    return deleteLane(this.#ctx, key);
  }

  // Revisions

  /** Records a new immutable revision and returns its number (1, 2, ... per lane key, never reused). */
  addRevision(key: LaneKey, spec: RevisionSpec, operationId: number): number {
    return revisions.addRevision(this.#ctx, key, spec, operationId);
  }

  getRevision(key: LaneKey, number: number): RevisionRecord | undefined {
    return revisions.getRevision(this.#ctx, key, number);
  }

  /** Oldest first. */
  listRevisions(key: LaneKey): RevisionRecord[] {
    return revisions.listRevisions(this.#ctx, key);
  }

  /** Makes `number` the lane's current revision and records it in the lane's history. */
  setCurrentRevision(key: LaneKey, number: number, operationId: number): void {
    revisions.setCurrentRevision(this.#ctx, key, number, operationId);
  }

  /**
   * What `rollback` goes back to: the revision current just before the current one. Rolling back a rollback
   * goes forward again. Undefined for a lane with a single revision in its history.
   */
  previousRevision(key: LaneKey): number | undefined {
    return revisions.previousRevision(this.#ctx, key);
  }

  /** Which revision was current when, oldest first. */
  laneHistory(key: LaneKey): LaneHistoryEntry[] {
    return revisions.laneHistory(this.#ctx, key);
  }

  // Replicas and ports

  /** Adds a replica (state `starting` unless given); it takes over the port's reservation. */
  addReplica(replica: LaneKey & NewReplica): ReplicaRecord {
    return addReplica(this.#ctx, replica);
  }

  updateReplica(id: number, patch: ReplicaPatch): ReplicaRecord {
    return updateReplica(this.#ctx, id, patch);
  }

  getReplica(id: number): ReplicaRecord | undefined {
    return getReplica(this.#ctx, id);
  }

  /** Oldest first. */
  listReplicas(filter: ListReplicasFilter = {}): ReplicaRecord[] {
    return listReplicas(this.#ctx, filter);
  }

  /** Reserves a free port for `pid` (see `allocatePort` in port-queries.ts for how long it stays reserved). */
  allocatePort(min: number, max: number, pid: number = process.pid): AllocatePortResult {
    return allocatePort(this.#ctx, min, max, pid);
  }

  releasePort(port: number): void {
    releasePort(this.#ctx, port);
  }

  // Samples

  /** Records a sample and keeps only the lane's last `SAMPLES_PER_LANE`. */
  recordSample(key: LaneKey, sample: Omit<Sample, 'at'> & { at?: number }): RecordSampleResult {
    return recordSample(this.#ctx, key, sample);
  }

  /** The last `count` samples, newest first. */
  recentSamples(key: LaneKey, count: number): SampleRecord[] {
    return recentSamples(this.#ctx, key, count);
  }
}
