import type { TickRecord, WorldState } from '@lanes/aoi-trace';
import {
  Flag,
  type HeightColumns,
  stateBytes,
  tickBytes,
  writeStateHeader,
  writeTickHeader,
} from '../protocol/wire.js';
import type { TagTable } from './tag-table.js';

const flagsOf = (watcher: boolean, marker: boolean) => (watcher ? Flag.Watcher : 0) | (marker ? Flag.Marker : 0);

interface HeightFields {
  readonly z?: number;
  readonly viewHeight?: number;
  readonly leaveHeight?: number;
}

const hasHeight = (e: HeightFields) => e.z !== undefined || e.viewHeight !== undefined || e.leaveHeight !== undefined;

/** An entity's or a spawn's height as the engine reads it (docs/aoi.md, "Height"): z 0 and no vertical limit. */
function setHeight(columns: HeightColumns, i: number, e: HeightFields): void {
  const view = e.viewHeight ?? Number.POSITIVE_INFINITY;
  columns.zs[i] = e.z ?? 0;
  columns.viewHeights[i] = view;
  columns.leaveHeights[i] = e.leaveHeight ?? view;
}

/** An update's height fields: NaN where unchanged. */
function setHeightChange(columns: HeightColumns, i: number, e: HeightFields): void {
  columns.zs[i] = e.z ?? Number.NaN;
  columns.viewHeights[i] = e.viewHeight ?? Number.NaN;
  columns.leaveHeights[i] = e.leaveHeight ?? Number.NaN;
}

/** Every live entity of `state` as one wire state frame. */
export function encodeState(state: WorldState, tags: TagTable): Uint8Array {
  let height = false;
  for (const entity of state.entities.values()) {
    if (!hasHeight(entity)) continue;
    height = true;
    break;
  }
  const buffer = new ArrayBuffer(stateBytes(state.entities.size, height));
  const frame = writeStateHeader(buffer, state.tick, state.time, state.entities.size, height);
  let i = 0;
  for (const entity of state.entities.values()) {
    frame.ids[i] = entity.id;
    frame.xs[i] = entity.x;
    frame.ys[i] = entity.y;
    frame.viewRadii[i] = entity.viewRadius;
    frame.leaveRadii[i] = entity.leaveRadius;
    frame.flags[i] = flagsOf(entity.watcher, entity.marker);
    frame.tagMasks[i] = tags.maskOf(entity.tags);
    if (frame.height !== undefined) setHeight(frame.height, i, entity);
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
    height: record.spawns.some(hasHeight) || record.updates.some(hasHeight),
  };
  const { spawns, despawns, updates, height } = counts;
  const buffer = new ArrayBuffer(tickBytes(counts.moves, spawns, despawns, updates, height));
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
    if (frame.spawnHeight !== undefined) setHeight(frame.spawnHeight, i, spawn);
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
    if (frame.updateHeight !== undefined) setHeightChange(frame.updateHeight, i, update);
  });
  return new Uint8Array(buffer);
}
