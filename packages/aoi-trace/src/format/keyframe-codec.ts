// Keyframe chunk: the whole world after a tick (every entity with all fields, every non-empty view set), so that
// seeking starts here instead of at the first tick. Entities and views are sorted by id and delta-coded.

import { WorldState } from '../model/world-state.js';
import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import type { PositionTable } from './position-table.js';
import type { Quantizer } from './quantizer.js';
import { StringTableReader, StringTableWriter } from './string-table.js';
import { SpawnFlag } from './tick-encoder.js';
import type { WorldMirror } from './world-mirror.js';

export function encodeKeyframe(out: ByteWriter, mirror: WorldMirror): void {
  const strings = new StringTableWriter();
  const table = mirror.positions;
  out.f64(mirror.time);
  const ids = Float64Array.from(mirror.meta.keys()).sort();
  out.varint(ids.length);
  let prev = 0;
  for (const id of ids) {
    const entity = mirror.meta.get(id)!;
    const slot = table.slotOf(id);
    out.svarint(id - prev);
    prev = id;
    out.svarint(table.qx[slot]!);
    out.svarint(table.qy[slot]!);
    out.number(entity.viewRadius);
    const same = Object.is(entity.leaveRadius, entity.viewRadius);
    out.u8(
      (entity.watcher ? SpawnFlag.Watcher : 0) |
        (entity.marker ? SpawnFlag.Marker : 0) |
        (same ? SpawnFlag.SameLeave : 0),
    );
    if (!same) out.number(entity.leaveRadius);
    out.varint(entity.tags.length);
    for (const tag of entity.tags) strings.write(out, tag);
    out.svarint(entity.spawnTick - mirror.tick);
  }
  // Pairs sorted by (watcher, target): one group per watcher, targets delta-coded.
  const pairs = mirror.views.sortedPairs();
  const { watchers, targets } = pairs;
  const n = watchers.length;
  let groups = 0;
  for (let i = 0; i < n; i++) if (i === 0 || watchers[i] !== watchers[i - 1]) groups++;
  out.varint(groups);
  prev = 0;
  let i = 0;
  while (i < n) {
    const watcher = watchers[i]!;
    let end = i + 1;
    while (end < n && watchers[end] === watcher) end++;
    out.svarint(watcher - prev);
    prev = watcher;
    out.varint(end - i);
    let prevTarget = watcher;
    for (let k = i; k < end; k++) {
      // Sorted and distinct: after the first, each gap minus one is >= 0.
      if (k === i) out.svarint(targets[k]! - prevTarget);
      else out.varint(targets[k]! - prevTarget - 1);
      prevTarget = targets[k]!;
    }
    i = end;
  }
}

/** The world after tick `tick`, and the prediction table positioned on it (velocities zero). */
export function decodeKeyframe(
  input: ByteReader,
  tick: number,
  table: PositionTable,
  quantizer: Quantizer,
): WorldState {
  const strings = new StringTableReader();
  const state = new WorldState();
  state.tick = tick;
  state.time = input.f64();
  table.clear();
  const count = input.count('keyframe entity', 6);
  let prev = 0;
  for (let i = 0; i < count; i++) {
    const id = readId(input, prev);
    if (i > 0 && id <= prev) throw input.fail('keyframe entities are not sorted');
    prev = id;
    const qx = input.svarint();
    const qy = input.svarint();
    const viewRadius = input.number();
    const flags = input.u8();
    const leaveRadius = flags & SpawnFlag.SameLeave ? viewRadius : input.number();
    const tagCount = input.count('tag');
    const tags: string[] = [];
    for (let t = 0; t < tagCount; t++) tags.push(strings.read(input));
    const spawnTick = tick + input.svarint();
    table.add(id, qx, qy);
    state.entities.set(id, {
      id,
      x: quantizer.decode(qx),
      y: quantizer.decode(qy),
      viewRadius,
      leaveRadius,
      watcher: (flags & SpawnFlag.Watcher) !== 0,
      marker: (flags & SpawnFlag.Marker) !== 0,
      tags,
      spawnTick,
    });
  }
  const watchers = input.count('keyframe view', 3);
  prev = 0;
  for (let w = 0; w < watchers; w++) {
    const watcher = readId(input, prev);
    prev = watcher;
    const size = input.count('view entry');
    if (size === 0) throw input.fail('empty view set in a keyframe');
    const view = new Set<number>();
    let target = watcher + input.svarint();
    view.add(checkId(input, target));
    for (let i = 1; i < size; i++) {
      target += input.varint() + 1;
      view.add(checkId(input, target));
    }
    state.views.set(watcher, view);
  }
  input.end();
  return state;
}

function readId(input: ByteReader, base: number): number {
  return checkId(input, base + input.svarint());
}

function checkId(input: ByteReader, id: number): number {
  if (id < -0x80000000 || id > 0x7fffffff) throw input.fail(`entity id ${id} out of range`);
  return id;
}
