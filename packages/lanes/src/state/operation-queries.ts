import { LanesError } from '../errors.js';
import { procStartTime } from '../local/proc-stat.js';
import { type LaneKey, laneKeyString, uniqueLaneKeys } from './lane-key.js';
import { isHolderAlive } from './process-liveness.js';
import type {
  FinishedStatus,
  JournalStep,
  LockHolder,
  OperationKind,
  OperationRecord,
  OperationStatus,
} from './records.js';
import type { BeginResult, TakeOverResult } from './results.js';
import type { StoreContext } from './store-context.js';

interface OperationRow {
  id: number;
  kind: OperationKind;
  status: OperationStatus;
  holder_pid: number;
  holder_hostname: string;
  holder_start_time: number | null;
  started_at: number;
  heartbeat_at: number;
  finished_at: number | null;
  error: string | null;
  lane_keys: string;
}

const selectOperations = `
  SELECT o.*, (
    SELECT json_group_array(json_object('env', k.env, 'service', k.service, 'lane', k.lane))
    FROM operation_lanes AS k WHERE k.operation_id = o.id
  ) AS lane_keys
  FROM operations AS o`;

export function beginOperation(
  ctx: StoreContext,
  kind: OperationKind,
  laneKeys: readonly LaneKey[],
  pid: number,
): BeginResult {
  const keys = uniqueLaneKeys(laneKeys);
  const db = ctx.connection;
  return db.write(() => {
    for (const key of keys) {
      const holder = db.get<OperationRow>(
        `${selectOperations} JOIN locks AS l ON l.operation_id = o.id
         WHERE l.env = ? AND l.service = ? AND l.lane = ? AND o.status = 'running'`,
        key.env,
        key.service,
        key.lane,
      );
      if (!holder) continue;
      if (isHolderAlive(holder.holder_pid, holder.holder_hostname, ctx.hostname, holder.holder_start_time)) {
        return { type: 'busy', laneKey: key, holder: lockHolder(holder) };
      }
      return { type: 'stale', laneKey: key, operation: operationRecord(ctx, holder) };
    }
    const now = ctx.now();
    const { lastInsertRowid } = db.run(
      `INSERT INTO operations (kind, status, holder_pid, holder_hostname, holder_start_time, started_at, heartbeat_at)
       VALUES (?, 'running', ?, ?, ?, ?, ?)`,
      kind,
      pid,
      ctx.hostname,
      procStartTime(pid) ?? null,
      now,
      now,
    );
    const id = Number(lastInsertRowid);
    for (const key of keys) {
      db.run(
        'INSERT INTO operation_lanes (operation_id, env, service, lane) VALUES (?, ?, ?, ?)',
        id,
        key.env,
        key.service,
        key.lane,
      );
      // A leftover row can only name a finished operation (checked above), so it is simply replaced.
      db.run(
        `INSERT INTO locks (env, service, lane, operation_id, acquired_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (env, service, lane) DO UPDATE SET
           operation_id = excluded.operation_id, acquired_at = excluded.acquired_at`,
        key.env,
        key.service,
        key.lane,
        id,
        now,
      );
    }
    return { type: 'started', operation: requireOperation(ctx, id) };
  });
}

export function takeOverOperation(ctx: StoreContext, operationId: number, pid: number): TakeOverResult {
  const db = ctx.connection;
  return db.write(() => {
    const operation = requireOperation(ctx, operationId);
    if (operation.status !== 'running') return { type: 'finished', operation };
    if (isHolderAlive(operation.holderPid, operation.holderHostname, ctx.hostname, operation.holderStartTime)) {
      return { type: 'busy', holder: holderOf(operation) };
    }
    const now = ctx.now();
    db.run(
      'UPDATE operations SET holder_pid = ?, holder_hostname = ?, holder_start_time = ?, heartbeat_at = ? WHERE id = ?',
      pid,
      ctx.hostname,
      procStartTime(pid) ?? null,
      now,
      operationId,
    );
    appendStep(ctx, operationId, 'taken-over', {
      fromPid: operation.holderPid,
      fromHostname: operation.holderHostname,
      toPid: pid,
      toHostname: ctx.hostname,
    });
    return { type: 'taken', operation: requireOperation(ctx, operationId), from: holderOf(operation) };
  });
}

export function isStale(ctx: StoreContext, operation: OperationRecord): boolean {
  if (operation.status !== 'running') return false;
  return !isHolderAlive(operation.holderPid, operation.holderHostname, ctx.hostname, operation.holderStartTime);
}

export function appendStep(ctx: StoreContext, operationId: number, step: string, data: unknown): JournalStep {
  const db = ctx.connection;
  return db.write(() => {
    requireRunning(ctx, operationId, `append step ${JSON.stringify(step)} to`);
    const { seq } = db.get<{ seq: number }>(
      'SELECT coalesce(max(seq), 0) + 1 AS seq FROM journal WHERE operation_id = ?',
      operationId,
    )!;
    const at = ctx.now();
    const json = JSON.stringify(data ?? null);
    db.run(
      'INSERT INTO journal (operation_id, seq, step, data, at) VALUES (?, ?, ?, ?, ?)',
      operationId,
      seq,
      step,
      json,
      at,
    );
    return { seq, step, data: JSON.parse(json), at };
  });
}

export function heartbeat(ctx: StoreContext, operationId: number): void {
  ctx.connection.run(
    `UPDATE operations SET heartbeat_at = ? WHERE id = ? AND status = 'running'`,
    ctx.now(),
    operationId,
  );
}

export function finishOperation(
  ctx: StoreContext,
  operationId: number,
  status: FinishedStatus,
  error: string | undefined,
): OperationRecord {
  const db = ctx.connection;
  return db.write(() => {
    requireRunning(ctx, operationId, `finish (${status})`);
    db.run(
      'UPDATE operations SET status = ?, finished_at = ?, error = ? WHERE id = ?',
      status,
      ctx.now(),
      error ?? null,
      operationId,
    );
    db.run('DELETE FROM locks WHERE operation_id = ?', operationId);
    return requireOperation(ctx, operationId);
  });
}

export function getOperation(ctx: StoreContext, operationId: number): OperationRecord | undefined {
  return ctx.connection.read(() => {
    const row = ctx.connection.get<OperationRow>(`${selectOperations} WHERE o.id = ?`, operationId);
    return row && operationRecord(ctx, row);
  });
}

export function getJournal(ctx: StoreContext, operationId: number): JournalStep[] {
  return ctx.connection
    .all<{ seq: number; step: string; data: string; at: number }>(
      'SELECT seq, step, data, at FROM journal WHERE operation_id = ? ORDER BY seq',
      operationId,
    )
    .map((row) => ({ seq: row.seq, step: row.step, data: JSON.parse(row.data), at: row.at }));
}

export interface ListOperationsFilter {
  laneKey?: LaneKey;
  status?: OperationStatus;
  /** @default 50 */
  limit?: number;
}

/** Newest first. */
export function listOperations(ctx: StoreContext, filter: ListOperationsFilter): OperationRecord[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.laneKey) {
    where.push(
      'EXISTS (SELECT 1 FROM operation_lanes AS f WHERE f.operation_id = o.id AND f.env = ? AND f.service = ? AND f.lane = ?)',
    );
    params.push(filter.laneKey.env, filter.laneKey.service, filter.laneKey.lane);
  }
  if (filter.status) {
    where.push('o.status = ?');
    params.push(filter.status);
  }
  const clause = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
  return ctx.connection.read(() =>
    ctx.connection
      .all<OperationRow>(`${selectOperations}${clause} ORDER BY o.id DESC LIMIT ?`, ...params, filter.limit ?? 50)
      .map((row) => operationRecord(ctx, row)),
  );
}

/** Oldest first. */
export function runningOperations(ctx: StoreContext): OperationRecord[] {
  return ctx.connection.read(() =>
    ctx.connection
      .all<OperationRow>(`${selectOperations} WHERE o.status = 'running' ORDER BY o.id`)
      .map((row) => operationRecord(ctx, row)),
  );
}

function requireOperation(ctx: StoreContext, operationId: number): OperationRecord {
  const operation = getOperation(ctx, operationId);
  if (!operation) throw new LanesError('LANES_STATE_NOT_FOUND', `operation #${operationId} does not exist`, 'system');
  return operation;
}

/** Writing to a finished operation is a bug in the caller (or a holder that was wrongly taken over). */
function requireRunning(ctx: StoreContext, operationId: number, action: string): void {
  const operation = requireOperation(ctx, operationId);
  if (operation.status !== 'running') {
    const lanes = operation.laneKeys.map(laneKeyString).join(', ');
    throw new LanesError(
      'LANES_OPERATION_NOT_RUNNING',
      `cannot ${action} ${operation.kind} #${operationId} (${lanes}): it already ended as ${operation.status}`,
      'system',
    );
  }
}

function operationRecord(ctx: StoreContext, row: OperationRow): OperationRecord {
  return {
    id: row.id,
    kind: row.kind,
    laneKeys: uniqueLaneKeys(JSON.parse(row.lane_keys) as LaneKey[]),
    status: row.status,
    holderPid: row.holder_pid,
    holderHostname: row.holder_hostname,
    holderStartTime: row.holder_start_time ?? undefined,
    startedAt: row.started_at,
    heartbeatAt: row.heartbeat_at,
    finishedAt: row.finished_at ?? undefined,
    error: row.error ?? undefined,
    journal: getJournal(ctx, row.id),
  };
}

function lockHolder(row: OperationRow): LockHolder {
  return {
    operationId: row.id,
    kind: row.kind,
    pid: row.holder_pid,
    hostname: row.holder_hostname,
    startTime: row.holder_start_time ?? undefined,
    startedAt: row.started_at,
    heartbeatAt: row.heartbeat_at,
  };
}

function holderOf(operation: OperationRecord): LockHolder {
  return {
    operationId: operation.id,
    kind: operation.kind,
    pid: operation.holderPid,
    hostname: operation.holderHostname,
    startTime: operation.holderStartTime,
    startedAt: operation.startedAt,
    heartbeatAt: operation.heartbeatAt,
  };
}
