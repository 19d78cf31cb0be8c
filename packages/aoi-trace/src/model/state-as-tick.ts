// A world state as one tick that builds it from nothing: every entity a spawn, every view pair an enter. How a
// resync state (the world after lost ticks) is checked with the rules every tick passes, and rebuilt from NDJSON.

import { emptyMoves } from './columns.js';
import { heightOf } from './height.js';
import type { TickRecord } from './types.js';
import { WorldState } from './world-state.js';

export function stateAsTick(state: WorldState): TickRecord {
  const entities = [...state.entities.values()].sort((a, b) => a.id - b.id);
  const pairs: [number, number][] = [];
  for (const watcher of [...state.views.keys()].sort((a, b) => a - b)) {
    for (const target of [...state.views.get(watcher)!].sort((a, b) => a - b)) pairs.push([watcher, target]);
  }
  return {
    tick: state.tick,
    time: state.time,
    eventBase: 0,
    messages: [],
    spawns: entities.map((entity) => {
      const { id, x, y, viewRadius, leaveRadius, watcher, marker, tags } = entity;
      return { ...{ id, x, y, viewRadius, leaveRadius, watcher, marker, tags }, ...heightOf(entity), cause: -1 };
    }),
    updates: [],
    moves: emptyMoves(0),
    despawns: [],
    events: {
      count: pairs.length,
      kinds: new Uint8Array(pairs.length),
      watchers: Int32Array.from(pairs, (p) => p[0]),
      targets: Int32Array.from(pairs, (p) => p[1]),
    },
  };
}

/** The world `record` (spawns and enters only) builds, with each entity's spawn tick from `spawnTicks`. */
export function tickAsState(record: TickRecord, spawnTicks: ReadonlyMap<number, number>): WorldState {
  const state = new WorldState();
  state.apply(record);
  for (const entity of state.entities.values()) entity.spawnTick = spawnTicks.get(entity.id) ?? record.tick;
  return state;
}
