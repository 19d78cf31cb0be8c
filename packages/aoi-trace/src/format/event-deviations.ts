// Format 3's events section (docs/aoitrace-format.md, "Version 3: predicted events"): a tick's real events as the
// differences from the predicted ones. Both lists are compared in the canonical order (removal leaves first, then
// by watcher, target, kind); the section stores the predicted events that did not happen (by index), the events
// that were not predicted, and, when the real order is not the canonical one, the permutation as a Lehmer code.

import type { EventColumns } from '../model/types.js';
import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { EventBuffer } from './event-predictor.js';
import type { ChunkBudget } from './limits.js';
import { readEvents } from './tick-decoder.js';

export const DeviationFlag = { MoveEvents: 1, Missing: 2, Extra: 4, Order: 8 } as const;

/**
 * Whether an id was respawned or despawned in the tick (its pairs' leaves sort first); undefined when the tick
 * removed nobody.
 */
export type RemovedTest = ((id: number) => boolean) | undefined;

/** Each event's part of the canonical order: 0 a removal leave (a leave naming a removed id), else 1. */
function partsOf(events: EventColumns, removed: RemovedTest): Uint8Array {
  const parts = new Uint8Array(events.count).fill(1);
  if (removed === undefined) return parts;
  const { kinds, watchers, targets } = events;
  for (let i = 0; i < events.count; i++) {
    if (kinds[i] === 1 && (removed(watchers[i]!) || removed(targets[i]!))) parts[i] = 0;
  }
  return parts;
}

/** Canonical order: part, then watcher, target, kind ascending. */
function compare(
  p1: number,
  k1: number,
  w1: number,
  t1: number,
  p2: number,
  k2: number,
  w2: number,
  t2: number,
): number {
  if (p1 !== p2) return p1 - p2;
  if (w1 !== w2) return w1 - w2;
  if (t1 !== t2) return t1 - t2;
  return k1 - k2;
}

/** Indices of `events` in canonical order (stable); the identity when they already are. */
function canonicalOrder(events: EventColumns, parts: Uint8Array): Int32Array {
  const { count, kinds, watchers, targets } = events;
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  const key = (a: number, b: number) =>
    compare(parts[a]!, kinds[a]!, watchers[a]!, targets[a]!, parts[b]!, kinds[b]!, watchers[b]!, targets[b]!);
  let sorted = true;
  for (let i = 1; i < count && sorted; i++) sorted = key(i - 1, i) <= 0;
  if (sorted) return order;
  const list = Array.from(order);
  list.sort((a, b) => key(a, b) || a - b);
  return Int32Array.from(list);
}

/** Writes the events section of `actual` against `predicted` (canonical order). */
export function encodeDeviations(
  out: ByteWriter,
  predicted: EventColumns,
  actual: EventColumns,
  moveEvents: boolean,
  removed: RemovedTest,
): void {
  const parts = partsOf(actual, removed);
  const predictedParts = partsOf(predicted, removed);
  const order = canonicalOrder(actual, parts);
  const missing: number[] = [];
  const extra: number[] = [];
  let p = 0;
  let a = 0;
  const { kinds, watchers, targets } = actual;
  while (p < predicted.count || a < actual.count) {
    let c: number;
    if (p === predicted.count) c = 1;
    else if (a === actual.count) c = -1;
    else {
      const i = order[a]!;
      c = compare(
        predictedParts[p]!,
        predicted.kinds[p]!,
        predicted.watchers[p]!,
        predicted.targets[p]!,
        parts[i]!,
        kinds[i]!,
        watchers[i]!,
        targets[i]!,
      );
    }
    if (c === 0) {
      p++;
      a++;
    } else if (c < 0) missing.push(p++);
    else extra.push(order[a++]!);
  }
  let reordered = false;
  for (let i = 0; i < order.length && !reordered; i++) reordered = order[i] !== i;
  out.varint(
    (moveEvents ? DeviationFlag.MoveEvents : 0) |
      (missing.length ? DeviationFlag.Missing : 0) |
      (extra.length ? DeviationFlag.Extra : 0) |
      (reordered ? DeviationFlag.Order : 0),
  );
  if (missing.length) {
    out.varint(missing.length);
    let prev = -1;
    for (const index of missing) {
      out.varint(index - prev - 1);
      prev = index;
    }
  }
  if (extra.length) writeEvents(out, actual, extra);
  if (reordered) writeOrder(out, order);
}

/** v2's event encoding of `events[indices]`: 2-bit kinds, then runs of one watcher with target deltas. */
function writeEvents(out: ByteWriter, events: EventColumns, indices: readonly number[]): void {
  const n = indices.length;
  out.varint(n);
  for (let b = 0; b < n; b += 4) {
    let byte = 0;
    for (let j = 0; j < 4 && b + j < n; j++) byte |= events.kinds[indices[b + j]!]! << (j * 2);
    out.u8(byte);
  }
  let groups = 0;
  for (let i = 0; i < n; i++) {
    if (i === 0 || events.watchers[indices[i]!] !== events.watchers[indices[i - 1]!]) groups++;
  }
  out.varint(groups);
  let prevWatcher = 0;
  let i = 0;
  while (i < n) {
    const watcher = events.watchers[indices[i]!]!;
    let end = i + 1;
    while (end < n && events.watchers[indices[end]!] === watcher) end++;
    out.svarint(watcher - prevWatcher);
    out.varint(end - i - 1);
    let prevTarget = watcher;
    for (; i < end; i++) {
      const target = events.targets[indices[i]!]!;
      out.svarint(target - prevTarget);
      prevTarget = target;
    }
    prevWatcher = watcher;
  }
}

const noExtra: EventColumns = {
  count: 0,
  kinds: new Uint8Array(0),
  watchers: new Int32Array(0),
  targets: new Int32Array(0),
};

/** The real order as a Lehmer code over the canonical list: per event, how many unused events sort before it. */
function writeOrder(out: ByteWriter, order: Int32Array): void {
  const n = order.length;
  const position = new Int32Array(n);
  for (let j = 0; j < n; j++) position[order[j]!] = j;
  const tree = new Fenwick(n);
  for (let i = 0; i < n; i++) {
    const at = position[i]!;
    out.varint(tree.prefix(at));
    tree.remove(at);
  }
}

/**
 * Reads the events section and rebuilds the tick's real events from `predicted` (canonical order). `charge` bounds
 * what is allocated (the chunk budget).
 */
export function decodeDeviations(
  input: ByteReader,
  predict: (moveEvents: boolean) => EventColumns,
  removed: RemovedTest,
  budget: ChunkBudget,
): EventColumns {
  const flags = input.varint();
  if (flags > 15) throw input.fail(`unknown events flags ${flags}`);
  const predicted = predict((flags & DeviationFlag.MoveEvents) !== 0);
  const dropped = new Uint8Array(predicted.count);
  let missingCount = 0;
  if (flags & DeviationFlag.Missing) {
    missingCount = input.count('missing event');
    let index = -1;
    for (let m = 0; m < missingCount; m++) {
      index += input.varint() + 1;
      if (index >= predicted.count) throw input.fail('missing event index past the predicted events');
      dropped[index] = 1;
    }
  }
  const extra = flags & DeviationFlag.Extra ? readEvents(input, undefined, budget) : noExtra;
  if (extra.count === 0 && missingCount === 0 && !(flags & DeviationFlag.Order)) {
    // The predictor reuses its buffer: the record gets its own arrays.
    const { count, kinds, watchers, targets } = predicted;
    return {
      count,
      kinds: kinds.slice(0, count),
      watchers: watchers.slice(0, count),
      targets: targets.slice(0, count),
    };
  }
  const predictedParts = partsOf(predicted, removed);
  const extraParts = partsOf(extra, removed);
  const total = predicted.count - missingCount + extra.count;
  const merged = new EventBuffer();
  merged.reserve(total);
  let p = 0;
  let e = 0;
  while (p < predicted.count || e < extra.count) {
    if (p < predicted.count && dropped[p] === 1) {
      p++;
      continue;
    }
    const takeExtra =
      p === predicted.count ||
      (e < extra.count &&
        compare(
          extraParts[e]!,
          extra.kinds[e]!,
          extra.watchers[e]!,
          extra.targets[e]!,
          predictedParts[p]!,
          predicted.kinds[p]!,
          predicted.watchers[p]!,
          predicted.targets[p]!,
        ) < 0);
    if (takeExtra) {
      merged.push(extra.kinds[e]!, extra.watchers[e]!, extra.targets[e]!);
      e++;
    } else {
      merged.push(predicted.kinds[p]!, predicted.watchers[p]!, predicted.targets[p]!);
      p++;
    }
  }
  if (!(flags & DeviationFlag.Order)) return merged.columns();
  return readOrder(input, merged);
}

function readOrder(input: ByteReader, canonical: EventBuffer): EventColumns {
  const n = canonical.count;
  if (n > input.remaining) throw input.fail(`order of ${n} events exceeds the payload`);
  const out = new EventBuffer();
  out.reserve(n);
  const tree = new Fenwick(n);
  for (let i = 0; i < n; i++) {
    const code = input.varint();
    if (code >= n - i) throw input.fail(`order code ${code} past the ${n - i} events left`);
    const at = tree.find(code);
    tree.remove(at);
    out.push(canonical.kinds[at]!, canonical.watchers[at]!, canonical.targets[at]!);
  }
  return out.columns();
}

/** A Fenwick tree over n positions, each 1 (unused) until removed. */
class Fenwick {
  private readonly tree: Int32Array;
  private readonly n: number;
  private top = 1;

  constructor(n: number) {
    this.n = n;
    this.tree = new Int32Array(n + 1);
    for (let i = 1; i <= n; i++) {
      this.tree[i]! += 1;
      const parent = i + (i & -i);
      if (parent <= n) this.tree[parent]! += this.tree[i]!;
    }
    while (this.top * 2 <= n) this.top *= 2;
  }

  /** Unused positions below `at`. */
  prefix(at: number): number {
    let sum = 0;
    for (let i = at; i > 0; i -= i & -i) sum += this.tree[i]!;
    return sum;
  }

  remove(at: number): void {
    for (let i = at + 1; i <= this.n; i += i & -i) this.tree[i]! -= 1;
  }

  /** The position of the unused one with `k` unused before it. */
  find(k: number): number {
    let pos = 0;
    let rest = k;
    for (let step = this.top; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= this.n && this.tree[next]! <= rest) {
        pos = next;
        rest -= this.tree[next]!;
      }
    }
    return pos;
  }
}
