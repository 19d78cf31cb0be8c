// Where a few entities were before and after one tick, computed from the state before it and the tick's own
// changes, so entities despawned at the end of the tick still have their last place.

import type { TickRecord } from '../model/types.js';
import type { WorldState } from '../model/world-state.js';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface EntityAfterTick {
  /** Position before the tick; null when it was spawned in this tick. */
  before: Point | null;
  /** Position after the tick's spawns and moves. */
  after: Point;
  viewRadius: number;
  leaveRadius: number;
  tags: readonly string[];
}

/** The entities among `ids` that exist during `record` (ids the trace does not know are left out). */
export function entitiesDuringTick(
  state: WorldState,
  record: TickRecord,
  ids: ReadonlySet<number>,
): Map<number, EntityAfterTick> {
  const result = new Map<number, EntityAfterTick>();
  for (const id of ids) {
    const entity = state.entities.get(id);
    if (entity === undefined) continue;
    const at = { x: entity.x, y: entity.y };
    result.set(id, {
      before: at,
      after: at,
      viewRadius: entity.viewRadius,
      leaveRadius: entity.leaveRadius,
      tags: entity.tags,
    });
  }
  for (const spawn of record.spawns) {
    if (!ids.has(spawn.id)) continue;
    result.set(spawn.id, {
      before: null,
      after: { x: spawn.x, y: spawn.y },
      viewRadius: spawn.viewRadius,
      leaveRadius: spawn.leaveRadius,
      tags: spawn.tags,
    });
  }
  for (const update of record.updates) {
    const entity = result.get(update.id);
    if (entity === undefined) continue;
    if (update.viewRadius !== undefined) entity.viewRadius = update.viewRadius;
    if (update.leaveRadius !== undefined) entity.leaveRadius = update.leaveRadius;
    if (update.tags !== undefined) entity.tags = update.tags;
  }
  const moves = record.moves;
  for (let i = 0; i < moves.count; i++) {
    const entity = result.get(moves.ids[i]!);
    if (entity !== undefined) entity.after = { x: moves.xs[i]!, y: moves.ys[i]! };
  }
  return result;
}

export function distance(a: Point | null, b: Point | null): number | null {
  if (a === null || b === null) return null;
  return Math.hypot(a.x - b.x, a.y - b.y);
}
