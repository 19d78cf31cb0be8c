// Format 3's events section (docs/aoitrace-format.md, "Version 3: predicted events"): a tick's real events as the
// differences from the predicted ones. Both lists are compared in the canonical order (removal leaves first, then
// by watcher, target, kind: ids in 3.0, the engine-like slots of slot-order.ts in 3.1); the section stores the predicted events that did not happen (by index), the events
// that were not predicted, and, when the real order is not the canonical one, the permutation as a Lehmer code.

import type { EventColumns } from '../model/types.js';
import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { EventBuffer } from './event-predictor.js';
import { readEvents } from './event-section-reader.js';
import type { ChunkBudget } from './limits.js';
import type { PairList } from './pair-list.js';
import type { SlotOrder } from './slot-order.js';

export const DeviationFlag = { MoveEvents: 1, Missing: 2, Extra: 4, Order: 8 } as const;

/**
 * Whether an id was respawned or despawned in the tick (its pairs' leaves sort first); undefined when the tick
 * removed nobody.
 */
export type RemovedTest = ((id: number) => boolean) | undefined;

/** Events with their canonical sort keys: part (0 a removal leave, else 1), then watcher key, target key, kind. */
interface Keyed extends EventColumns {
  readonly parts: Uint8Array;
  readonly wk: Float64Array;
  readonly tk: Float64Array;
}

/**
 * The sort keys of `events`: ids (3.0), or the slots of `slots` (3.1: removal leaves by the removed ids' old slots).
 * A removal leave is a leave naming an id respawned or despawned in the tick.
 */
function keyed(events: EventColumns, removed: RemovedTest, slots: SlotOrder | undefined): Keyed {
  const { count, kinds, watchers, targets } = events;
  const parts = new Uint8Array(count).fill(1);
  if (removed !== undefined) {
    for (let i = 0; i < count; i++) {
      if (kinds[i] === 1 && (removed(watchers[i]!) || removed(targets[i]!))) parts[i] = 0;
    }
  }
  const wk = new Float64Array(count);
  const tk = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    if (slots === undefined) {
      wk[i] = watchers[i]!;
      tk[i] = targets[i]!;
    } else {
      wk[i] = slots.key(watchers[i]!, parts[i] === 0);
      tk[i] = slots.key(targets[i]!, parts[i] === 0);
    }
  }
  return { count, kinds, watchers, targets, parts, wk, tk };
}

/** Canonical order of event `i` of `a` against event `j` of `b`: part, then watcher, target, kind ascending. */
function compare(a: Keyed, i: number, b: Keyed, j: number): number {
  return a.parts[i]! - b.parts[j]! || a.wk[i]! - b.wk[j]! || a.tk[i]! - b.tk[j]! || a.kinds[i]! - b.kinds[j]!;
}

/** Indices of `events` in canonical order (stable); the identity when they already are. */
function canonicalOrder(events: Keyed): Int32Array {
  const { count } = events;
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  let sorted = true;
  for (let i = 1; i < count && sorted; i++) sorted = compare(events, i - 1, events, i) <= 0;
  if (sorted) return order;
  const list = Array.from(order);
  list.sort((a, b) => compare(events, a, events, b) || a - b);
  return Int32Array.from(list);
}

/** `events` in canonical order: itself when already sorted (3.0's prediction always is), else a sorted copy. */
function sortedKeyed(events: Keyed): Keyed {
  const order = canonicalOrder(events);
  let identity = true;
  for (let i = 0; i < order.length && identity; i++) identity = order[i] === i;
  if (identity) return events;
  const pick = <T extends Uint8Array | Int32Array | Float64Array>(from: T, to: T): T => {
    for (let i = 0; i < order.length; i++) to[i] = from[order[i]!]!;
    return to;
  };
  const n = events.count;
  return {
    count: n,
    kinds: pick(events.kinds, new Uint8Array(n)),
    watchers: pick(events.watchers, new Int32Array(n)),
    targets: pick(events.targets, new Int32Array(n)),
    parts: pick(events.parts, new Uint8Array(n)),
    wk: pick(events.wk, new Float64Array(n)),
    tk: pick(events.tk, new Float64Array(n)),
  };
}

/**
 * Writes the events section of `actual` against `predicted` (the predictor's order; `slots`: format 3.1, whose
 * canonical order follows the slot allocation). `deviated`: receives the pairs of the missing and extra events.
 */
export function encodeDeviations(
  out: ByteWriter,
  predictedEvents: EventColumns,
  actualEvents: EventColumns,
  moveEvents: boolean,
  removed: RemovedTest,
  slots?: SlotOrder,
  deviated?: PairList,
): void {
  const actual = keyed(actualEvents, removed, slots);
  const predicted =
    slots === undefined ? keyed(predictedEvents, removed, slots) : sortedKeyed(keyed(predictedEvents, removed, slots));
  const order = canonicalOrder(actual);
  const missing: number[] = [];
  const extra: number[] = [];
  let p = 0;
  let a = 0;
  while (p < predicted.count || a < actual.count) {
    let c: number;
    if (p === predicted.count) c = 1;
    else if (a === actual.count) c = -1;
    else c = compare(predicted, p, actual, order[a]!);
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
  if (deviated === undefined) return;
  for (const i of missing) deviated.push(predicted.watchers[i]!, predicted.targets[i]!);
  for (const i of extra) deviated.push(actual.watchers[i]!, actual.targets[i]!);
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
  slots?: SlotOrder,
): EventColumns {
  const flags = input.varint();
  if (flags > 15) throw input.fail(`unknown events flags ${flags}`);
  const raw = keyed(predict((flags & DeviationFlag.MoveEvents) !== 0), removed, slots);
  const predicted = slots === undefined ? raw : sortedKeyed(raw);
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
  const extraKeyed = keyed(extra, removed, slots);
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
    const takeExtra = p === predicted.count || (e < extra.count && compare(extraKeyed, e, predicted, p) < 0);
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
