// Where a few entities were before and after one tick, computed from the state before it and the tick's own
// changes, so entities despawned at the end of the tick still have their last place.

import { hasHeight } from '../model/height.js';
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
  /** Present when the entity has a height field (a trace with height); absent for a 2D entity. */
  height?: EntityHeight;
}

/** z before and after the tick, and the half-heights, with the engine's defaults for fields left out. */
export interface EntityHeight {
  /** Null when spawned in this tick. */
  zBefore: number | null;
  zAfter: number;
  /** Infinity: no vertical limit. */
  viewHeight: number;
  leaveHeight: number;
}

/** The engine's defaults (docs/aoi.md, "Height"): z 0, no vertical limit, the leave half-height the view's. */
function heightFrom(fields: { z?: number; viewHeight?: number; leaveHeight?: number }, spawned: boolean): EntityHeight {
  const z = fields.z ?? 0;
  const viewHeight = fields.viewHeight ?? Number.POSITIVE_INFINITY;
  return { zBefore: spawned ? null : z, zAfter: z, viewHeight, leaveHeight: fields.leaveHeight ?? viewHeight };
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
      ...(hasHeight(entity) ? { height: heightFrom(entity, false) } : {}),
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
      ...(hasHeight(spawn) ? { height: heightFrom(spawn, true) } : {}),
    });
  }
  for (const update of record.updates) {
    const entity = result.get(update.id);
    if (entity === undefined) continue;
    if (update.viewRadius !== undefined) entity.viewRadius = update.viewRadius;
    if (update.leaveRadius !== undefined) entity.leaveRadius = update.leaveRadius;
    if (update.tags !== undefined) entity.tags = update.tags;
    if (hasHeight(update)) {
      const height = entity.height ?? heightFrom({}, entity.before === null);
      entity.height = height;
      if (update.z !== undefined) height.zAfter = update.z;
      if (update.viewHeight !== undefined) height.viewHeight = update.viewHeight;
      if (update.leaveHeight !== undefined) height.leaveHeight = update.leaveHeight;
    }
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
