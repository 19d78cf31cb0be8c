import type { TickRecord, WorldState } from '@lanes/aoi-trace';
import { Flag, stateBytes, tickBytes, writeStateHeader, writeTickHeader } from '../protocol/wire.js';
import type { TagTable } from './tag-table.js';

const flagsOf = (watcher: boolean, marker: boolean) => (watcher ? Flag.Watcher : 0) | (marker ? Flag.Marker : 0);

/** Every live entity of `state` as one wire state frame. */
export function encodeState(state: WorldState, tags: TagTable): Uint8Array {
  const buffer = new ArrayBuffer(stateBytes(state.entities.size));
  const frame = writeStateHeader(buffer, state.tick, state.time, state.entities.size);
  let i = 0;
  for (const entity of state.entities.values()) {
    frame.ids[i] = entity.id;
    frame.xs[i] = entity.x;
    frame.ys[i] = entity.y;
    frame.viewRadii[i] = entity.viewRadius;
    frame.leaveRadii[i] = entity.leaveRadius;
    frame.flags[i] = flagsOf(entity.watcher, entity.marker);
    frame.tagMasks[i] = tags.maskOf(entity.tags);
    i++;
  }
  return new Uint8Array(buffer);
}

/** One tick's changes as one wire tick frame (events are counted, not sent: they are asked for per entity). */
export function encodeTick(record: TickRecord, tags: TagTable): Uint8Array {
  const moves = record.moves;
  const counts = {
    moves: moves.count,
    spawns: record.spawns.length,
    despawns: record.despawns.length,
    updates: record.updates.length,
  };
  const buffer = new ArrayBuffer(tickBytes(counts.moves, counts.spawns, counts.despawns, counts.updates));
  const frame = writeTickHeader(buffer, record.tick, record.time, record.events.count, counts);
  frame.moveIds.set(moves.ids.subarray(0, moves.count));
  frame.moveXs.set(moves.xs.subarray(0, moves.count));
  frame.moveYs.set(moves.ys.subarray(0, moves.count));
  record.spawns.forEach((spawn, i) => {
    frame.spawnIds[i] = spawn.id;
    frame.spawnXs[i] = spawn.x;
    frame.spawnYs[i] = spawn.y;
    frame.spawnViewRadii[i] = spawn.viewRadius;
    frame.spawnLeaveRadii[i] = spawn.leaveRadius;
    frame.spawnFlags[i] = flagsOf(spawn.watcher, spawn.marker);
    frame.spawnTagMasks[i] = tags.maskOf(spawn.tags);
  });
  frame.despawnIds.set(record.despawns);
  record.updates.forEach((update, i) => {
    frame.updateIds[i] = update.id;
    frame.updateViewRadii[i] = update.viewRadius ?? Number.NaN;
    frame.updateLeaveRadii[i] = update.leaveRadius ?? Number.NaN;
    let flags = 0;
    if (update.watcher !== undefined) flags |= Flag.WatcherSet | (update.watcher ? Flag.Watcher : 0);
    if (update.marker !== undefined) flags |= Flag.MarkerSet | (update.marker ? Flag.Marker : 0);
    if (update.tags !== undefined) {
      flags |= Flag.TagsSet;
      frame.updateTagMasks[i] = tags.maskOf(update.tags);
    }
    frame.updateFlags[i] = flags;
  });
  return new Uint8Array(buffer);
}
