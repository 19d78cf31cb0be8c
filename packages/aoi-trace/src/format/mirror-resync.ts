// A gap in the ticks a writer is given (record.resync: an export of a damaged file, imported again): the writer's
// mirror (and format 3's predictor) becomes the resync state, and a keyframe of it is written right away. That
// keyframe's tick is later than the ticks chunk before it, which is how a reader recognizes a recorded gap
// (docs/aoitrace-format.md).

import { invalidTick } from '../model/world-rules.js';
import type { WorldState } from '../model/world-state.js';
import type { EventPredictor } from './event-predictor.js';
import type { Quantizer } from './quantizer.js';
import type { WorldMirror } from './world-mirror.js';

/** Replaces the mirror's world with `state` (view changes go to the view log, as a tick's do). */
export function resyncMirror(mirror: WorldMirror, state: WorldState, quantizer: Quantizer): void {
  for (const id of [...mirror.meta.keys()]) mirror.despawn(id, state.tick);
  for (const entity of [...state.entities.values()].sort((a, b) => a.id - b.id)) {
    const qx = quantizer.encode(entity.x);
    const qy = quantizer.encode(entity.y);
    if (Number.isNaN(qx) || Number.isNaN(qy)) {
      throw invalidTick(state.tick, `resync: entity ${entity.id} at (${entity.x}, ${entity.y}) cannot be stored.`);
    }
    mirror.spawn({ ...entity, cause: -1 }, qx, qy, entity.spawnTick);
  }
  const watchers = [...state.views.keys()].sort((a, b) => a - b);
  let count = 0;
  for (const watcher of watchers) count += state.views.get(watcher)!.size;
  const events = {
    count,
    kinds: new Uint8Array(count),
    watchers: new Int32Array(count),
    targets: new Int32Array(count),
  };
  let i = 0;
  for (const watcher of watchers) {
    for (const target of [...state.views.get(watcher)!].sort((a, b) => a - b)) {
      if (!mirror.meta.has(target) || !mirror.meta.has(watcher)) {
        throw invalidTick(state.tick, `resync: ${watcher} sees ${target}, which does not exist.`);
      }
      events.watchers[i] = watcher;
      events.targets[i++] = target;
    }
  }
  mirror.viewLog.events(events);
  mirror.endTick(state.tick, state.time);
}

/** Positions the predictor on a resync state, at the positions the keyframe stores. */
export function loadPredictorFrom(predictor: EventPredictor, state: WorldState, quantizer: Quantizer): void {
  const entities = [...state.entities.values()].map((entity) => ({
    ...entity,
    x: quantizer.decode(quantizer.encode(entity.x)),
    y: quantizer.decode(quantizer.encode(entity.y)),
  }));
  const views = [...state.views.keys()]
    .sort((a, b) => a - b)
    .map((w) => [w, Int32Array.from(state.viewOf(w)).sort()] as const);
  predictor.load(entities, views);
}
