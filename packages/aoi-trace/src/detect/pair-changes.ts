import type { TickGeometry } from './tick-geometry.js';

/**
 * Which pairs a detector must look at this tick. `full`: every pair (the first tick, a spawn, update, despawn or
 * resync, or a candidate rebuild). Otherwise only `watchers[i], targets[i]` (ids, i < count; each once, but for a pair with an id that is not live): every
 * other pair decides exactly as it did when it was last looked at.
 */
export interface PairChanges {
  full: boolean;
  count: number;
  watchers: Int32Array;
  targets: Int32Array;
  /**
   * On a non-full tick: each pair's slots in `world` (-1: not a live entity, e.g. an event about an unknown id), whose
   * arrays hold every live entity as the tick left it, so a detector reads positions, radii and roles from typed
   * arrays instead of looking both entities up in the world's Map. Undefined on full ticks.
   */
  watcherSlots: Int32Array;
  targetSlots: Int32Array;
  world: TickGeometry | undefined;
}

/** A full tick's changes with room for `size` pairs (a schedule fills them in place). */
export function emptyChanges(size: number): PairChanges {
  return {
    full: true,
    count: 0,
    watchers: new Int32Array(size),
    targets: new Int32Array(size),
    watcherSlots: new Int32Array(size),
    targetSlots: new Int32Array(size),
    world: undefined,
  };
}
