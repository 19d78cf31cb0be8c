import { LanesError } from '../errors.js';
import type { RevisionSpec } from '../model.js';
import { type LaneKey, laneKeyString } from './lane-key.js';
import { laneRow, requireLaneRow } from './lane-queries.js';
import type { LaneHistoryEntry, RevisionRecord } from './records.js';
import type { StoreContext } from './store-context.js';

interface RevisionRow {
  env: string;
  service: string;
  lane: string;
  number: number;
  spec: string;
  created_at: number;
  operation_id: number;
}

interface HistoryRow {
  env: string;
  service: string;
  lane: string;
  revision: number;
  from_time: number;
  to_time: number | null;
  operation_id: number;
}

const byKey = 'env = ? AND service = ? AND lane = ?';

/** Numbers continue after every revision ever recorded for the key, including those of a deleted lane. */
export function addRevision(ctx: StoreContext, key: LaneKey, spec: RevisionSpec, operationId: number): number {
  const db = ctx.connection;
  return db.write(() => {
    const { next } = db.get<{ next: number }>(
      `SELECT coalesce(max(number), 0) + 1 AS next FROM revisions WHERE ${byKey}`,
      key.env,
      key.service,
      key.lane,
    )!;
    db.run(
      'INSERT INTO revisions (env, service, lane, number, spec, created_at, operation_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
      key.env,
      key.service,
      key.lane,
      next,
      JSON.stringify(spec),
      ctx.now(),
      operationId,
    );
    return next;
  });
}

export function getRevision(ctx: StoreContext, key: LaneKey, number: number): RevisionRecord | undefined {
  const row = ctx.connection.get<RevisionRow>(
    `SELECT * FROM revisions WHERE ${byKey} AND number = ?`,
    key.env,
    key.service,
    key.lane,
    number,
  );
  return row && revisionRecord(row);
}

/** Oldest first. */
export function listRevisions(ctx: StoreContext, key: LaneKey): RevisionRecord[] {
  return ctx.connection
    .all<RevisionRow>(`SELECT * FROM revisions WHERE ${byKey} ORDER BY number`, key.env, key.service, key.lane)
    .map(revisionRecord);
}

/**
 * Makes revision `number` the lane's current one, closing the history entry of the one it replaces. Setting the
 * revision that is already current only counts as a deploy (`updatedAt`); it adds no history entry, so that
 * `previousRevision` never answers the current revision.
 */
export function setCurrentRevision(ctx: StoreContext, key: LaneKey, number: number, operationId: number): void {
  const db = ctx.connection;
  db.write(() => {
    const lane = requireLaneRow(ctx, key);
    if (!getRevision(ctx, key, number)) {
      throw new LanesError('LANES_STATE_NOT_FOUND', `lane ${laneKeyString(key)} has no revision ${number}`, 'system');
    }
    const now = ctx.now();
    if (lane.current_revision !== number) {
      db.run(
        `UPDATE lane_history SET to_time = ? WHERE ${byKey} AND generation = ? AND to_time IS NULL`,
        now,
        key.env,
        key.service,
        key.lane,
        lane.generation,
      );
      db.run(
        `INSERT INTO lane_history (env, service, lane, generation, revision, from_time, to_time, operation_id)
         VALUES (?, ?, ?, ?, ?, ?, NULL, ?)`,
        key.env,
        key.service,
        key.lane,
        lane.generation,
        number,
        now,
        operationId,
      );
    }
    db.run(
      `UPDATE lanes SET current_revision = ?, updated_at = ? WHERE ${byKey}`,
      number,
      now,
      key.env,
      key.service,
      key.lane,
    );
  });
}

/**
 * The revision that was current just before the current one (in this incarnation of the lane). A rollback makes
 * it current, which makes the rolled-back revision the previous one: rollback of a rollback goes forward again.
 */
export function previousRevision(ctx: StoreContext, key: LaneKey): number | undefined {
  return ctx.connection.read(() => {
    const lane = laneRow(ctx, key);
    if (!lane) return undefined;
    const row = ctx.connection.get<{ revision: number }>(
      `SELECT revision FROM lane_history WHERE ${byKey} AND generation = ? AND to_time IS NOT NULL
       ORDER BY id DESC LIMIT 1`,
      key.env,
      key.service,
      key.lane,
      lane.generation,
    );
    return row?.revision;
  });
}

/** Every period of every revision of the key, oldest first, including those of a deleted earlier lane. */
export function laneHistory(ctx: StoreContext, key: LaneKey): LaneHistoryEntry[] {
  return ctx.connection
    .all<HistoryRow>(`SELECT * FROM lane_history WHERE ${byKey} ORDER BY id`, key.env, key.service, key.lane)
    .map((row) => ({
      env: row.env,
      service: row.service,
      lane: row.lane,
      revision: row.revision,
      fromTime: row.from_time,
      toTime: row.to_time ?? undefined,
      operationId: row.operation_id,
    }));
}

function revisionRecord(row: RevisionRow): RevisionRecord {
  return {
    env: row.env,
    service: row.service,
    lane: row.lane,
    number: row.number,
    spec: JSON.parse(row.spec) as RevisionSpec,
    createdAt: row.created_at,
    operationId: row.operation_id,
  };
}
