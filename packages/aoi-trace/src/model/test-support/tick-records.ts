// Hand-built records for tests: a tick with nothing in it but what the test gives, and the usual entity that watches
// and is watched. Tests that build a trace by hand start from these instead of spelling out every empty column.

import { emptyEvents, emptyMoves } from '../columns.js';
import type { EntitySpawn, TickRecord } from '../types.js';

/** A tick with nothing in it but `fields`: time = tick and eventBase 0 unless given. */
export function tickRecord(tick: number, fields: Partial<TickRecord> = {}): TickRecord {
  return {
    tick,
    time: tick,
    eventBase: 0,
    messages: [],
    spawns: [],
    updates: [],
    moves: emptyMoves(),
    despawns: [],
    events: emptyEvents(),
    ...fields,
  };
}

/** An entity at (x, 0) that watches and is watched, view and leave radius 10, no tags, with `extra` on top. */
export const watchingSpawn = (id: number, x: number, extra: Partial<EntitySpawn> = {}): EntitySpawn => ({
  id,
  x,
  y: 0,
  viewRadius: 10,
  leaveRadius: 10,
  watcher: true,
  marker: true,
  tags: [],
  cause: -1,
  ...extra,
});
