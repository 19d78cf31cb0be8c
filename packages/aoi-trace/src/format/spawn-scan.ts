// The format 3 incremental pass's spawn scan (incremental-pass.ts): the kinetic schedule holds no pairs of an entity
// spawned (or moved by a jump) in the tick, so its pairs within reach + skin are found by a scan over every live
// entity, scheduled, and tested this tick. Apart from the pass, which bounds a tick's scans (a few full passes' worth)
// and counts their cost.

import type { KineticSchedule } from './kinetic-schedule.js';
import type { PairList } from './pair-list.js';
import { MARKER, type PredictorWorld, WATCHER } from './predictor-world.js';

/** Schedules the pairs of each slot in `spawnedSlots` within reach + skin, and lists them in `tested` (ids). */
export function scanSpawns(
  world: PredictorWorld,
  schedule: KineticSchedule,
  spawnedSlots: readonly number[],
  despawned: ReadonlySet<number>,
  tested: PairList,
): void {
  const { table, roles, reach, ids, order } = world;
  const { qx: xs, qy: ys } = table;
  const skin = schedule.skin;
  for (const s of spawnedSlots) {
    if (despawned.has(ids[s]!)) continue;
    const sWatches = (roles[s]! & WATCHER) !== 0;
    const sMarked = (roles[s]! & MARKER) !== 0;
    const within = (reach[s]! + skin) * (1 + 1e-9);
    for (const id of order) {
      const o = table.slotOf(id);
      if (o === s || despawned.has(id)) continue;
      const dx = xs[s]! - xs[o]!;
      const dy = ys[s]! - ys[o]!;
      const d2 = dx * dx + dy * dy;
      if (sWatches && (roles[o]! & MARKER) !== 0 && d2 <= within * within) {
        schedule.add(s, o);
        tested.push(ids[s]!, id);
      }
      const around = (reach[o]! + skin) * (1 + 1e-9);
      if (sMarked && (roles[o]! & WATCHER) !== 0 && d2 <= around * around) {
        schedule.add(o, s);
        tested.push(id, ids[s]!);
      }
    }
  }
}
