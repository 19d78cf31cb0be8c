// Format 3.1's keyframe view sets (docs/aoitrace-format.md, "Keyframes (3.1)"): stored against what the rule predicts
// from the keyframe's own entities. A pair within both the view and the leave reach is in view, one beyond both is
// out; only the pairs in between (the hysteresis band) depend on history and take a bit each, coded against the
// reverse pair's (equal radii see each other alike). What the rule gets wrong (a pair in reach that is out of view,
// a pair in view the rule rules out) is listed. With view = leave (a dense map) the whole view set is predicted.
// The pairs within reach are found on the event predictor's candidate grid (keyframe-candidates.ts).

import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import type { PredictedEntity } from './event-predictor.js';
import { type KeyframeCandidates, keyframeCandidates } from './keyframe-candidates.js';
import { decodeViews, encodeViews } from './keyframe-codec.js';
import { type ChunkBudget, Limits } from './limits.js';
import type { SlotOrder } from './slot-order.js';
import { ViewTable } from './view-table.js';

/** Index of candidate (w, t), or -1: a binary search in w's run. */
function indexOf(c: KeyframeCandidates, runs: Map<number, [number, number]>, w: number, t: number): number {
  const run = runs.get(w);
  if (run === undefined) return -1;
  let lo = run[0];
  let hi = run[1];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (c.targets[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo < run[1] && c.targets[lo] === t ? lo : -1;
}

function runsOf(c: KeyframeCandidates): Map<number, [number, number]> {
  const runs = new Map<number, [number, number]>();
  let i = 0;
  while (i < c.count) {
    const w = c.watchers[i]!;
    let end = i + 1;
    while (end < c.count && c.watchers[end] === w) end++;
    runs.set(w, [i, end]);
    i = end;
  }
  return runs;
}

/**
 * A band pair's bit is stored as "differs from the reverse pair's": the reverse pair (t, w), when it is a band pair
 * too and t < w, was decided earlier. Otherwise the bit is stored as is.
 */
function reverseOf(c: KeyframeCandidates, runs: Map<number, [number, number]>, i: number): number {
  const w = c.watchers[i]!;
  const t = c.targets[i]!;
  if (t >= w) return -1;
  const j = indexOf(c, runs, t, w);
  return j >= 0 && c.sure[j] === 0 ? j : -1;
}

/** The candidates of a keyframe, their watcher runs and how many are band pairs: what both sides start from. */
function prepare(entities: readonly PredictedEntity[], budget: ChunkBudget) {
  const c = keyframeCandidates(entities, budget);
  let band = 0;
  for (let i = 0; i < c.count; i++) if (c.sure[i] === 0) band++;
  return { c, runs: runsOf(c), band };
}

/** Writes the view sets `views` of the keyframe whose entities are `entities` (decoded positions). */
export function encodePredictedViews(
  out: ByteWriter,
  entities: readonly PredictedEntity[],
  views: ViewTable,
  budget: ChunkBudget,
): void {
  const { c, runs, band } = prepare(entities, budget);
  // One merge of each watcher's view set with its candidates: which candidates are in view, which pairs are not.
  const inView = new Uint8Array(c.count);
  const extra = new ViewTable();
  for (const watcher of views.sortedWatchers()) {
    const list = views.targetsOf(views.slotOf(watcher));
    const run = runs.get(watcher);
    let i = run === undefined ? 0 : run[0];
    const end = run === undefined ? 0 : run[1];
    for (let k = 0; k < list.length; k++) {
      const t = list[k]!;
      while (i < end && c.targets[i]! < t) i++;
      if (i < end && c.targets[i] === t) inView[i] = 1;
      else extra.add(watcher, t);
    }
  }
  out.varint(band);
  const bits = new Uint8Array((band + 7) >> 3);
  const missing: number[] = [];
  let b = 0;
  for (let i = 0; i < c.count; i++) {
    if (c.sure[i] === 1) {
      if (inView[i] === 0) missing.push(i);
      continue;
    }
    const reverse = reverseOf(c, runs, i);
    const bit = inView[i]! ^ (reverse >= 0 ? inView[reverse]! : 0);
    bits[b >> 3]! |= bit << (b & 7);
    b++;
  }
  out.append(bits);
  writeMissingAndExtra(out, missing, extra);
}

/** The sure candidates out of view (ascending indices), then the pairs in view that are not candidates. */
function writeMissingAndExtra(out: ByteWriter, missing: ArrayLike<number>, extra: ViewTable): void {
  out.varint(missing.length);
  let prev = -1;
  for (let k = 0; k < missing.length; k++) {
    out.varint(missing[k]! - prev - 1);
    prev = missing[k]!;
  }
  // The pairs in view that are not candidates, as 2.2's keyframe view sets.
  encodeViews(out, extra);
}

/**
 * What {@link encodePredictedViews} writes when every candidate is sure (no band pairs) and the writer knows which
 * candidates are out of view (`missing`, their indices ascending) and which views are no candidates (`extra`)
 * without finding the candidates (rule-views.ts).
 */
export function encodeRuleViews(out: ByteWriter, missing: ArrayLike<number>, extra: ViewTable): void {
  out.varint(0);
  writeMissingAndExtra(out, missing, extra);
}

/** Reads what {@link encodePredictedViews} wrote into `views` (empty). */
export function decodePredictedViews(
  input: ByteReader,
  entities: readonly PredictedEntity[],
  views: ViewTable,
  budget: ChunkBudget,
): void {
  const { c, runs, band } = prepare(entities, budget);
  const stored = input.varint();
  if (stored !== band) throw input.fail(`the keyframe stores ${stored} band pairs, its entities make ${band}`);
  const bits = input.take((band + 7) >> 3, 'band bits');
  const inView = new Uint8Array(c.count);
  let b = 0;
  for (let i = 0; i < c.count; i++) {
    if (c.sure[i] === 1) {
      inView[i] = 1;
      continue;
    }
    const reverse = reverseOf(c, runs, i);
    inView[i] = ((bits[b >> 3]! >> (b & 7)) & 1) ^ (reverse >= 0 ? inView[reverse]! : 0);
    b++;
  }
  const missing = input.count('missing keyframe pair');
  let index = -1;
  for (let m = 0; m < missing; m++) {
    index += input.varint() + 1;
    if (index >= c.count || c.sure[index] !== 1) throw input.fail('missing keyframe pair is not a pair within reach');
    inView[index] = 0;
  }
  const extra = new ViewTable();
  decodeViews(input, extra);
  let pairs = extra.pairs;
  for (let i = 0; i < c.count; i++) pairs += inView[i]!;
  if (pairs > Limits.viewPairs) throw input.limit(`more than ${Limits.viewPairs} view pairs in a keyframe`);
  // Every list laid out at its final size first: adding 750,000 pairs one by one otherwise moves lists as they grow.
  for (const [watcher, [from, to]] of runs) {
    let n = 0;
    for (let i = from; i < to; i++) n += inView[i]!;
    if (n > 0) views.expect(watcher, n);
  }
  for (const watcher of extra.sortedWatchers()) views.expect(watcher, extra.lengths[extra.slotOf(watcher)]!);
  views.layOut();
  for (let i = 0; i < c.count; i++) if (inView[i] === 1) views.add(c.watchers[i]!, c.targets[i]!);
  for (const watcher of extra.sortedWatchers()) {
    const list = extra.targetsOf(extra.slotOf(watcher));
    for (let k = 0; k < list.length; k++) {
      if (!views.add(watcher, list[k]!))
        throw input.fail(`view pair (${watcher}, ${list[k]}) stored twice in a keyframe`);
    }
  }
}

/** Slots above this are damage: the allocation never holds more than the live entities and one tick's removals. */
const SLOT_LIMIT = 2 * Limits.liveEntities;

/**
 * The 3.1 part of a keyframe after its entities: every entity's slot (slot-order.ts), in the entities' order (ids
 * ascending) as `svarint (slot - previous slot - 1)`, then the predicted view sets.
 */
export function encodeKeyframeRule(
  out: ByteWriter,
  entities: readonly PredictedEntity[],
  views: ViewTable,
  slots: SlotOrder,
  budget: ChunkBudget,
): void {
  encodeKeyframeSlots(out, slots);
  encodePredictedViews(out, entities, views, budget);
}

/** The slots part of {@link encodeKeyframeRule}. */
export function encodeKeyframeSlots(out: ByteWriter, slots: SlotOrder): void {
  let prev = -1;
  for (const [, slot] of slots.entries()) {
    out.svarint(slot - prev - 1);
    prev = slot;
  }
}

/** Reads what {@link encodeKeyframeRule} wrote: positions `slots` and fills `views` (empty). */
export function decodeKeyframeRule(
  input: ByteReader,
  entities: readonly PredictedEntity[],
  views: ViewTable,
  slots: SlotOrder,
  budget: ChunkBudget,
): void {
  const ids = entities.map((e) => e.id).sort((a, b) => a - b);
  const entries: Array<[number, number]> = [];
  const taken = new Set<number>();
  let prev = -1;
  for (const id of ids) {
    const slot = prev + 1 + input.svarint();
    if (!(slot >= 0 && slot < SLOT_LIMIT)) throw input.fail(`entity ${id} has slot ${slot}, out of range`);
    if (taken.has(slot)) throw input.fail(`slot ${slot} given to two entities in a keyframe`);
    taken.add(slot);
    entries.push([id, slot]);
    prev = slot;
  }
  slots.load(entries);
  decodePredictedViews(input, entities, views, budget);
}
