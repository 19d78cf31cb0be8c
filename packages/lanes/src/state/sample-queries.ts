import type { LaneKey } from './lane-key.js';
import { laneRow } from './lane-queries.js';
import type { Sample, SampleRecord } from './records.js';
import type { RecordSampleResult } from './results.js';
import type { StoreContext } from './store-context.js';

/** Samples kept per lane: the alarms look at the last few; the rest is for `status` history. */
export const SAMPLES_PER_LANE = 100;

const byKey = 'env = ? AND service = ? AND lane = ?';

export function recordSample(
  ctx: StoreContext,
  key: LaneKey,
  sample: Omit<Sample, 'at'> & { at?: number },
): RecordSampleResult {
  const db = ctx.connection;
  return db.write(() => {
    if (!laneRow(ctx, key)) return { type: 'lane-not-found' };
    db.run(
      `INSERT INTO samples (env, service, lane, at, running, desired, healthy, requests, errors_5xx)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      key.env,
      key.service,
      key.lane,
      sample.at ?? ctx.now(),
      sample.running,
      sample.desired,
      sample.healthy,
      sample.requests,
      sample.errors5xx,
    );
    db.run(
      `DELETE FROM samples WHERE ${byKey} AND id <= (
         SELECT id FROM samples WHERE ${byKey} ORDER BY id DESC LIMIT 1 OFFSET ?)`,
      key.env,
      key.service,
      key.lane,
      key.env,
      key.service,
      key.lane,
      SAMPLES_PER_LANE,
    );
    return { type: 'recorded' };
  });
}

/** The last `count` samples of the lane, newest first. */
export function recentSamples(ctx: StoreContext, key: LaneKey, count: number): SampleRecord[] {
  const rows = ctx.connection.all<{
    env: string;
    service: string;
    lane: string;
    at: number;
    running: number;
    desired: number;
    healthy: number;
    requests: number;
    errors_5xx: number;
  }>(`SELECT * FROM samples WHERE ${byKey} ORDER BY id DESC LIMIT ?`, key.env, key.service, key.lane, count);
  return rows.map((row) => ({
    env: row.env,
    service: row.service,
    lane: row.lane,
    at: row.at,
    running: row.running,
    desired: row.desired,
    healthy: row.healthy,
    requests: row.requests,
    errors5xx: row.errors_5xx,
  }));
}
