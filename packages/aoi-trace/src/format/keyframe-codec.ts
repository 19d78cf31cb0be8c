// Keyframe chunk: the whole world after a tick (every entity with all fields, every non-empty view set), so that
// seeking starts here instead of at the first tick. Entities and views are sorted by id and delta-coded; a pair that
// holds both ways is stored once.

import { hasHeight } from '../model/height.js';
import type { ByteReader } from './byte-reader.js';
import { type ByteWriter, putSvarint, putVarint } from './byte-writer.js';
import { readHeight, writeHeight } from './height-codec.js';
import { beyondLimit, ChunkBudget, DecodeCost, Limits } from './limits.js';
import type { PositionTable } from './position-table.js';
import type { Quantizer } from './quantizer.js';
import { ReplayWorld } from './replay-world.js';
import { StringTableReader, StringTableWriter } from './string-table.js';
import { SpawnFlag } from './tick-layout.js';
import type { ViewTable } from './view-table.js';
import type { WorldMirror } from './world-mirror.js';

/**
 * The first part of a keyframe: time and every entity. The view sets follow ({@link encodeViews}), written by the
 * chunk packer, which holds them.
 */
export function encodeKeyframeEntities(out: ByteWriter, mirror: WorldMirror): void {
  const strings = new StringTableWriter();
  const table = mirror.positions;
  out.f64(mirror.time);
  const ids = Float64Array.from(mirror.meta.keys()).sort();
  let tags = 0;
  for (const entity of mirror.meta.values()) tags += entity.tags.length;
  if (tags * DecodeCost.tag > Limits.chunkDecodedBytes) {
    throw beyondLimit(`the world at tick ${mirror.tick} holds ${tags} tags, over what one keyframe may decode to`);
  }
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
    const height = hasHeight(entity);
    out.u8(
      (entity.watcher ? SpawnFlag.Watcher : 0) |
        (entity.marker ? SpawnFlag.Marker : 0) |
        (same ? SpawnFlag.SameLeave : 0) |
        (height ? SpawnFlag.Height : 0),
    );
    if (!same) out.number(entity.leaveRadius);
    if (height) writeHeight(out, entity);
    out.varint(entity.tags.length);
    for (const tag of entity.tags) strings.write(out, tag);
    out.svarint(entity.spawnTick - mirror.tick);
  }
}

/**
 * View sets with each mutual pair stored once: a watcher lists the targets above it that also see it ("mutual", the
 * reader adds both directions) and every other target it sees that is not covered by a lower watcher's mutual list
 * ("one-way"). With equal radii nearly every pair is mutual, so a keyframe holds about half the pairs. Lists are read
 * in watcher order, so "does t see w" is one cursor per t that only moves forward: no sort, no hashing.
 */
export function encodeViews(out: ByteWriter, views: ViewTable): void {
  const watchers = views.sortedWatchers();
  const { pool, offsets, lengths } = views;
  const direct = views.directSlots();
  const cursors = new Int32Array(views.slotLimit);
  // Worst case 5 bytes a varint, so the loop writes without checks.
  const body = new Uint8Array(views.pairs * 5 + watchers.length * 15 + 16);
  let n = 0;
  let mutual = new Int32Array(64);
  let oneWay = new Int32Array(64);
  let prev = 0;
  let listed = 0;
  for (let w = 0; w < watchers.length; w++) {
    const watcher = watchers[w]!;
    const slot = views.slotOf(watcher);
    const start = offsets[slot]!;
    const length = lengths[slot]!;
    if (length > mutual.length) {
      mutual = new Int32Array(length * 2);
      oneWay = new Int32Array(length * 2);
    }
    let m = 0;
    let o = 0;
    for (let k = 0; k < length; k++) {
      const target = pool[start + k]!;
      let other = -1;
      if (target !== watcher)
        other = target >= 0 && target < direct.length ? direct[target]! - 1 : views.slotOf(target);
      let seesBack = false;
      if (other >= 0) {
        const back = offsets[other]!;
        const backLength = lengths[other]!;
        let c = cursors[other]!;
        while (c < backLength && pool[back + c]! < watcher) c++;
        cursors[other] = c;
        seesBack = c < backLength && pool[back + c] === watcher;
      }
      if (target > watcher && seesBack) mutual[m++] = target;
      else if (!(target < watcher && seesBack)) oneWay[o++] = target;
    }
    if (m + o === 0) continue;
    n = putSvarint(body, n, watcher - prev);
    prev = watcher;
    n = putVarint(body, n, m);
    n = putVarint(body, n, o);
    let last = watcher;
    for (let k = 0; k < m; k++) {
      n = putVarint(body, n, mutual[k]! - last - 1);
      last = mutual[k]!;
    }
    for (let k = 0; k < o; k++) {
      if (k === 0) n = putSvarint(body, n, oneWay[k]! - watcher);
      else n = putVarint(body, n, oneWay[k]! - oneWay[k - 1]! - 1);
    }
    listed++;
  }
  out.varint(listed);
  out.append(body.subarray(0, n));
}

/**
 * The world after tick `tick`, and the prediction table positioned on it (velocities zero). `readViews` reads what
 * follows the entities (format 3.1: slots and predicted view sets, keyframe-views.ts).
 */
export function decodeKeyframe(
  input: ByteReader,
  tick: number,
  table: PositionTable,
  quantizer: Quantizer,
  readViews: (input: ByteReader, world: ReplayWorld) => void = (at, world) => decodeViews(at, world.views),
): ReplayWorld {
  const strings = new StringTableReader();
  const world = new ReplayWorld();
  world.tick = tick;
  world.time = input.f64();
  table.clear();
  const count = input.count('keyframe entity', 6);
  // Entities are bounded by the live-entity limit; their tags by the chunk budget.
  const budget = new ChunkBudget((what) => input.limit(what));
  if (count > Limits.liveEntities) throw input.limit(`${count} entities, more than ${Limits.liveEntities}`);
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
    const height = flags & SpawnFlag.Height ? readHeight(input) : {};
    const tagCount = input.count('tag');
    budget.charge(tagCount, DecodeCost.tag, 'tag');
    const tags: string[] = [];
    for (let t = 0; t < tagCount; t++) tags.push(strings.read(input));
    const spawnTick = tick + input.svarint();
    table.add(id, qx, qy);
    world.entities.set(id, {
      id,
      x: quantizer.decode(qx),
      y: quantizer.decode(qy),
      viewRadius,
      leaveRadius,
      watcher: (flags & SpawnFlag.Watcher) !== 0,
      marker: (flags & SpawnFlag.Marker) !== 0,
      tags,
      ...height,
      spawnTick,
    });
  }
  readViews(input, world);
  input.end();
  return world;
}

/** Reads what {@link encodeViews} wrote into `views` (empty). */
export function decodeViews(input: ByteReader, views: ViewTable): void {
  const listed = input.count('keyframe view', 3);
  // Pass 1 parses and counts (each target takes at least a byte), pass 2 fills lists laid out to the exact size.
  const watchers = new Int32Array(listed);
  const counts = new Int32Array(listed * 2);
  const targets = new Int32Array(Math.min(input.remaining, Limits.viewPairs));
  let pairs = 0;
  let n = 0;
  let prev = 0;
  for (let w = 0; w < listed; w++) {
    const watcher = readId(input, prev);
    if (w > 0 && watcher <= prev) throw input.fail('keyframe views are not sorted');
    prev = watcher;
    const mutual = input.count('mutual view entry');
    const oneWay = input.count('one-way view entry');
    if (mutual + oneWay === 0) throw input.fail(`empty view list of watcher ${watcher} in a keyframe`);
    pairs += 2 * mutual + oneWay;
    if (pairs > Limits.viewPairs) {
      throw input.limit(`more than ${Limits.viewPairs} view pairs (at watcher ${watcher})`);
    }
    watchers[w] = watcher;
    counts[2 * w] = mutual;
    counts[2 * w + 1] = oneWay;
    views.expect(watcher, mutual + oneWay);
    let target = watcher;
    for (let i = 0; i < mutual; i++) {
      target = checkId(input, target + input.varint() + 1);
      targets[n++] = target;
      views.expect(target, 1);
    }
    for (let i = 0; i < oneWay; i++) {
      target = checkId(input, i === 0 ? watcher + input.svarint() : target + input.varint() + 1);
      targets[n++] = target;
    }
  }
  views.layOut();
  n = 0;
  for (let w = 0; w < listed; w++) {
    const watcher = watchers[w]!;
    for (let i = counts[2 * w]!; i > 0; i--) {
      const target = targets[n++]!;
      // Lower watchers only added ids below this one, so both adds are new unless the data is damaged.
      if (!views.add(watcher, target) || !views.add(target, watcher)) throw duplicate(input, watcher, target);
    }
    for (let i = counts[2 * w + 1]!; i > 0; i--) {
      const target = targets[n++]!;
      if (!views.add(watcher, target)) throw duplicate(input, watcher, target);
    }
  }
}

const duplicate = (input: ByteReader, watcher: number, target: number) =>
  input.fail(`view pair (${watcher}, ${target}) stored twice in a keyframe`);

function readId(input: ByteReader, base: number): number {
  return checkId(input, base + input.svarint());
}

function checkId(input: ByteReader, id: number): number {
  if (id < -0x80000000 || id > 0x7fffffff) throw input.fail(`entity id ${id} out of range`);
  return id;
}
