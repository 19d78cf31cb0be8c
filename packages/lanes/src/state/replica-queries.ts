import { LanesError } from '../errors.js';
import type { LaneKey } from './lane-key.js';
import type { ReplicaRecord, ReplicaState } from './records.js';
import type { SqlValue } from './sqlite-connection.js';
import type { StoreContext } from './store-context.js';

interface ReplicaRow {
  id: number;
  env: string;
  service: string;
  lane: string;
  revision: number;
  port: number;
  pid: number | null;
  state: ReplicaState;
  started_at: number;
  stopped_at: number | null;
  log_file: string | null;
  exit_code: number | null;
  operation_id: number | null;
}

/** A replica to add, next to its lane key. */
export interface NewReplica {
  revision: number;
  /** From `allocatePort`; adding the replica turns that reservation into the replica's hold on the port. */
  port: number;
  /** The operation that starts it (what recovery stops if the operation is undone). */
  operationId?: number;
  logFile?: string;
  pid?: number;
  /** @default 'starting' */
  state?: ReplicaState;
}

/** Fields to change; absent fields keep their value. */
export interface ReplicaPatch {
  pid?: number;
  state?: ReplicaState;
  logFile?: string;
  startedAt?: number;
  /** `null` clears it (a restarted replica). */
  exitCode?: number | null;
  /** @default now, when `state` becomes `stopped` or `failed` */
  stoppedAt?: number;
}

export function addReplica(ctx: StoreContext, replica: LaneKey & NewReplica): ReplicaRecord {
  const db = ctx.connection;
  return db.write(() => {
    const { lastInsertRowid } = db.run(
      `INSERT INTO replicas (env, service, lane, revision, port, pid, state, started_at, log_file, operation_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      replica.env,
      replica.service,
      replica.lane,
      replica.revision,
      replica.port,
      replica.pid ?? null,
      replica.state ?? 'starting',
      ctx.now(),
      replica.logFile ?? null,
      replica.operationId ?? null,
    );
    db.run('DELETE FROM port_reservations WHERE port = ?', replica.port);
    return getReplica(ctx, Number(lastInsertRowid))!;
  });
}

export function updateReplica(ctx: StoreContext, id: number, patch: ReplicaPatch): ReplicaRecord {
  const db = ctx.connection;
  return db.write(() => {
    const current = getReplica(ctx, id);
    if (!current) throw new LanesError('LANES_STATE_NOT_FOUND', `replica #${id} does not exist`, 'system');
    const sets: string[] = [];
    const params: SqlValue[] = [];
    const set = (column: string, value: SqlValue) => {
      sets.push(`${column} = ?`);
      params.push(value);
    };
    if (patch.pid !== undefined) set('pid', patch.pid);
    if (patch.state !== undefined) set('state', patch.state);
    if (patch.exitCode !== undefined) set('exit_code', patch.exitCode);
    if (patch.logFile !== undefined) set('log_file', patch.logFile);
    if (patch.startedAt !== undefined) set('started_at', patch.startedAt);
    const ending = (patch.state === 'stopped' || patch.state === 'failed') && current.stoppedAt === undefined;
    if (patch.stoppedAt !== undefined || ending) set('stopped_at', patch.stoppedAt ?? ctx.now());
    if (sets.length > 0) db.run(`UPDATE replicas SET ${sets.join(', ')} WHERE id = ?`, ...params, id);
    return getReplica(ctx, id)!;
  });
}

export function getReplica(ctx: StoreContext, id: number): ReplicaRecord | undefined {
  const row = ctx.connection.get<ReplicaRow>('SELECT * FROM replicas WHERE id = ?', id);
  return row && replicaRecord(row);
}

export interface ListReplicasFilter {
  laneKey?: LaneKey;
  states?: readonly ReplicaState[];
}

/** Oldest first. */
export function listReplicas(ctx: StoreContext, filter: ListReplicasFilter): ReplicaRecord[] {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.laneKey) {
    where.push('env = ? AND service = ? AND lane = ?');
    params.push(filter.laneKey.env, filter.laneKey.service, filter.laneKey.lane);
  }
  if (filter.states) {
    if (filter.states.length === 0) return [];
    where.push(`state IN (${filter.states.map(() => '?').join(', ')})`);
    params.push(...filter.states);
  }
  const clause = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
  return ctx.connection.all<ReplicaRow>(`SELECT * FROM replicas${clause} ORDER BY id`, ...params).map(replicaRecord);
}

function replicaRecord(row: ReplicaRow): ReplicaRecord {
  return {
    id: row.id,
    env: row.env,
    service: row.service,
    lane: row.lane,
    revision: row.revision,
    port: row.port,
    operationId: row.operation_id ?? undefined,
    pid: row.pid ?? undefined,
    state: row.state,
    startedAt: row.started_at,
    stoppedAt: row.stopped_at ?? undefined,
    logFile: row.log_file ?? undefined,
    exitCode: row.exit_code ?? undefined,
  };
}
