import { LanesError } from '../errors.js';
import { type LaneKey, laneKeyOf, laneKeyString } from './lane-key.js';
import { type LaneRecord, type LaneStatus, LIVE_REPLICA_STATES } from './records.js';
import { listReplicas } from './replica-queries.js';
import type { DeleteLaneResult, SetWeightsResult } from './results.js';
import type { StoreContext } from './store-context.js';

interface LaneRow {
  env: string;
  service: string;
  lane: string;
  generation: number;
  current_revision: number | null;
  weight: number;
  desired_replicas: number;
  ttl_ms: number | null;
  status: LaneStatus;
  created_at: number;
  updated_at: number;
}

/**
 * Fields of `upsertLane`, next to the key. Absent (or undefined) fields keep their value on update and take the
 * default on insert, so a whole `LaneRecord` can be passed back with a change.
 */
export interface LaneFields {
  desiredReplicas: number;
  /** @default 0 */
  weight?: number | undefined;
  /** `null` removes the TTL. @default null */
  ttlMs?: number | null | undefined;
  /** @default 'active' */
  status?: LaneStatus | undefined;
}

const byKey = 'env = ? AND service = ? AND lane = ?';

export function getLane(ctx: StoreContext, key: LaneKey): LaneRecord | undefined {
  const row = laneRow(ctx, key);
  return row && laneRecord(row);
}

/** Sorted by env, service, lane. */
export function listLanes(ctx: StoreContext, filter: { env?: string; service?: string }): LaneRecord[] {
  return ctx.connection
    .all<LaneRow>(
      'SELECT * FROM lanes WHERE (? IS NULL OR env = ?) AND (? IS NULL OR service = ?) ORDER BY env, service, lane',
      filter.env ?? null,
      filter.env ?? null,
      filter.service ?? null,
      filter.service ?? null,
    )
    .map(laneRecord);
}

export function upsertLane(ctx: StoreContext, fields: LaneKey & LaneFields): LaneRecord {
  const key = laneKeyOf(fields);
  checkWeight(fields.weight);
  const db = ctx.connection;
  return db.write(() => {
    const existing = laneRow(ctx, key);
    if (existing) {
      db.run(
        `UPDATE lanes SET desired_replicas = ?, weight = ?, ttl_ms = ?, status = ? WHERE ${byKey}`,
        fields.desiredReplicas,
        fields.weight ?? existing.weight,
        fields.ttlMs === undefined ? existing.ttl_ms : fields.ttlMs,
        fields.status ?? existing.status,
        key.env,
        key.service,
        key.lane,
      );
    } else {
      // A new generation hides the history of an earlier lane with the same name from `previousRevision`.
      const { generation } = db.get<{ generation: number }>(
        `SELECT coalesce(max(generation), 0) + 1 AS generation FROM lane_history WHERE ${byKey}`,
        key.env,
        key.service,
        key.lane,
      )!;
      const now = ctx.now();
      db.run(
        `INSERT INTO lanes (env, service, lane, generation, current_revision, weight, desired_replicas, ttl_ms,
           status, created_at, updated_at)
         VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)`,
        key.env,
        key.service,
        key.lane,
        generation,
        fields.weight ?? 0,
        fields.desiredReplicas,
        fields.ttlMs ?? null,
        fields.status ?? 'active',
        now,
        now,
      );
    }
    return laneRecord(laneRow(ctx, key)!);
  });
}

export function setLaneStatus(ctx: StoreContext, key: LaneKey, status: LaneStatus): LaneRecord {
  return ctx.connection.write(() => {
    requireLaneRow(ctx, key);
    ctx.connection.run(`UPDATE lanes SET status = ? WHERE ${byKey}`, status, key.env, key.service, key.lane);
    return laneRecord(laneRow(ctx, key)!);
  });
}

/** Lanes of the service that `weights` does not name get weight 0, so the result is exactly what was asked. */
export function setWeights(
  ctx: StoreContext,
  env: string,
  service: string,
  weights: Record<string, number>,
): SetWeightsResult {
  for (const weight of Object.values(weights)) checkWeight(weight);
  const db = ctx.connection;
  return db.write(() => {
    const lanes = listLanes(ctx, { env, service });
    const known = new Set(lanes.map((lane) => lane.lane));
    const unknown = Object.keys(weights).find((lane) => !known.has(lane));
    if (unknown !== undefined) return { type: 'unknown-lane', lane: unknown };
    for (const lane of lanes) {
      db.run(`UPDATE lanes SET weight = ? WHERE ${byKey}`, weights[lane.lane] ?? 0, env, service, lane.lane);
    }
    return { type: 'set', lanes: listLanes(ctx, { env, service }) };
  });
}

/**
 * Removes the lane row and, with it, its (stopped) replica rows and samples. Revisions and lane history are kept
 * for audit, and revision numbers continue after them if the lane is created again.
 */
export function deleteLane(ctx: StoreContext, key: LaneKey): DeleteLaneResult {
  const db = ctx.connection;
  return db.write(() => {
    const row = laneRow(ctx, key);
    if (!row) return { type: 'not-found' };
    const live = listReplicas(ctx, { laneKey: key, states: LIVE_REPLICA_STATES });
    if (live.length > 0) return { type: 'replicas-live', replicas: live };
    db.run(
      `UPDATE lane_history SET to_time = ? WHERE ${byKey} AND generation = ? AND to_time IS NULL`,
      ctx.now(),
      key.env,
      key.service,
      key.lane,
      row.generation,
    );
    db.run(`DELETE FROM lanes WHERE ${byKey}`, key.env, key.service, key.lane);
    return { type: 'deleted', lane: laneRecord(row) };
  });
}

/** The lane's row, including its generation (internal: which history rows belong to this incarnation). */
export function laneRow(ctx: StoreContext, key: LaneKey): LaneRow | undefined {
  return ctx.connection.get<LaneRow>(`SELECT * FROM lanes WHERE ${byKey}`, key.env, key.service, key.lane);
}

export function requireLaneRow(ctx: StoreContext, key: LaneKey): LaneRow {
  const row = laneRow(ctx, key);
  if (!row) throw new LanesError('LANES_STATE_NOT_FOUND', `lane ${laneKeyString(key)} does not exist`, 'system');
  return row;
}

function checkWeight(weight: number | undefined): void {
  if (weight !== undefined && !(Number.isFinite(weight) && weight >= 0)) {
    throw new LanesError(
      'LANES_STATE_INVALID_INPUT',
      `a lane weight must be a finite number >= 0, got ${weight}`,
      'system',
    );
  }
}

function laneRecord(row: LaneRow): LaneRecord {
  return {
    env: row.env,
    service: row.service,
    lane: row.lane,
    currentRevision: row.current_revision ?? undefined,
    weight: row.weight,
    desiredReplicas: row.desired_replicas,
    ttlMs: row.ttl_ms ?? undefined,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
