// Format 3's events section (docs/aoitrace-format.md, "Version 3: predicted events"): a tick's real events as the
// differences from the predicted ones. Both lists are compared in the canonical order (canonical-order.ts: removal
// leaves first, then by watcher, target, kind: ids in 3.0, the engine-like slots of slot-order.ts in 3.1); the
// section stores the predicted events that did not happen (by index), the events that were not predicted, and, when
// the real order is not the canonical one, the permutation as a Lehmer code (lehmer-order.ts).

import type { EventColumns } from '../model/types.js';
import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { canonicalOrder, compare, keyed, type RemovedTest, sortedKeyed } from './canonical-order.js';
import { EventBuffer } from './event-predictor.js';
import { readEvents } from './event-section-reader.js';
import { readOrder, writeOrder } from './lehmer-order.js';
import type { ChunkBudget } from './limits.js';
import type { PairList } from './pair-list.js';
import type { SlotOrder } from './slot-order.js';

export const DeviationFlag = { MoveEvents: 1, Missing: 2, Extra: 4, Order: 8 } as const;

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
