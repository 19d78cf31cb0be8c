import type { LaneRecord } from '../state/types.js';
import { laneKeyString } from '../state/types.js';
import type { OpsContext } from './context.js';
import { type DeleteResult, deleteLane } from './delete-lane.js';

export interface GcResult {
  type: 'collected';
  deleted: string[];
  skipped: { lane: string; reason: string }[];
}

/** Whether a lane is past its age limit or its own TTL; `default` never is. */
export function isExpired(lane: LaneRecord, now: number, olderThanMs: number | undefined): boolean {
  if (lane.lane === 'default') return false;
  if (olderThanMs !== undefined && now - lane.updatedAt > olderThanMs) return true;
  return lane.ttlMs !== undefined && lane.ttlMs !== null && now - lane.updatedAt > lane.ttlMs;
}

/** Deletes preview lanes last deployed longer ago than `olderThanMs`, and lanes whose TTL ran out. */
export async function collectLanes(
  ctx: OpsContext,
  olderThanMs: number | undefined,
  dryRun = false,
): Promise<GcResult> {
  const now = Date.now();
  const expired = ctx.store.listLanes({ env: ctx.project.env }).filter((lane) => isExpired(lane, now, olderThanMs));
  if (dryRun) return { type: 'collected', deleted: expired.map(laneKeyString), skipped: [] };
  const results: DeleteResult[] = await Promise.all(expired.map((lane) => deleteLane(ctx, lane)));
  return {
    type: 'collected',
    deleted: results.filter((r) => r.type === 'deleted').map((r) => r.lane),
    skipped: results.flatMap((r) => (r.type === 'deleted' ? [] : [{ lane: r.lane, reason: r.message }])),
  };
}
