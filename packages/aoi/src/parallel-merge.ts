// Hot loops over typed arrays: every index is bounded by a count kept beside the arrays, so the non-null assertion
// on an indexed read states that invariant (noUncheckedIndexedAccess) instead of a check per element in inner loops.
import { WATCHER_SCALE } from './event-queue.js';
import type { DecodeArrays } from './parallel-protocol.js';

/**
 * One share's part of a tick's merge, run on every share at once after all have sorted their keys: the keys whose
 * watcher slot lies in [from, to) are distinct and sorted within each run, so their place in the merged batch is
 * the count of smaller keys in all runs, and this part starts after every run's keys of watchers below `from`. The
 * part merges its slices of the runs and decodes them into ids straight into `into` (the merge and the decode were
 * most of the caller's serial share of a tick). Returns the enters and leaves it wrote.
 */
export function mergeDecodePart(
  runs: ReadonlyArray<Float64Array>,
  counts: ReadonlyArray<number>,
  from: number,
  to: number,
  ids: Int32Array,
  into: DecodeArrays,
): { enters: number; leaves: number } {
  const lo = from * WATCHER_SCALE;
  const hi = to * WATCHER_SCALE;
  const heads: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (let r = 0; r < runs.length; r++) {
    const head = lowerBound(runs[r]!, counts[r]!, lo);
    heads.push(head);
    ends.push(lowerBound(runs[r]!, counts[r]!, hi));
    at += head;
  }
  if (runs.length === 2) {
    return mergeTwo(runs[0]!, heads[0]!, ends[0]!, runs[1]!, heads[1]!, ends[1]!, at, ids, into);
  }
  let enters = 0;
  let leaves = 0;
  for (;;) {
    // The run whose next key is smallest (a handful of runs: one per share).
    let best = -1;
    let key = Infinity;
    for (let r = 0; r < runs.length; r++) {
      if (heads[r]! < ends[r]! && runs[r]![heads[r]!]! < key) {
        key = runs[r]![heads[r]!]!;
        best = r;
      }
    }
    if (best < 0) break;
    // Then every key of that run below the next run's smallest, without looking at the others again.
    let bound = Infinity;
    for (let r = 0; r < runs.length; r++) {
      if (r !== best && heads[r]! < ends[r]! && runs[r]![heads[r]!]! < bound) bound = runs[r]![heads[r]!]!;
    }
    const run = runs[best]!;
    const end = ends[best]!;
    let q = heads[best]!;
    for (; q < end; q++) {
      const k = run[q]!;
      if (k > bound) break;
      const kind = decode(k, at++, ids, into);
      if (kind === 0) enters++;
      else if (kind === 1) leaves++;
    }
    heads[best] = q;
  }
  return { enters, leaves };
}

/** Two shares (the common case): a plain two-way merge of a[i, iEnd) and b[j, jEnd), decoded from `at` on. */
function mergeTwo(
  a: Float64Array,
  i: number,
  iEnd: number,
  b: Float64Array,
  j: number,
  jEnd: number,
  at: number,
  ids: Int32Array,
  into: DecodeArrays,
): { enters: number; leaves: number } {
  let enters = 0;
  let leaves = 0;
  const stop = at + (iEnd - i) + (jEnd - j);
  for (; at < stop; at++) {
    let k: number;
    if (j >= jEnd || (i < iEnd && a[i]! < b[j]!)) k = a[i++]!;
    else k = b[j++]!;
    const kind = decode(k, at, ids, into);
    if (kind === 0) enters++;
    else if (kind === 1) leaves++;
  }
  return { enters, leaves };
}

/** Writes key `k` decoded into ids at `at`; returns its kind. Small enough for V8 to inline into the loops. */
function decode(k: number, at: number, ids: Int32Array, into: DecodeArrays): number {
  const watcher = Math.floor(k / WATCHER_SCALE);
  const rest = k - watcher * WATCHER_SCALE;
  const kind = rest & 3;
  into.kinds[at] = kind;
  into.watchers[at] = ids[watcher]!;
  into.targets[at] = ids[rest >>> 2]!;
  return kind;
}

/** The first index in keys[0, n) whose key is >= `key`. */
function lowerBound(keys: Float64Array, n: number, key: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Merges ascending runs of distinct keys into `into` (from index 0): pairwise, each a linear two-way merge. */
export function mergeRuns(runs: Float64Array[], into: Float64Array): void {
  let merged = runs[0] ?? new Float64Array(0);
  for (let r = 1; r < runs.length; r++) {
    const next = runs[r]!;
    const dest = r === runs.length - 1 ? into : new Float64Array(merged.length + next.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < merged.length && j < next.length) {
      const a = merged[i]!;
      const b = next[j]!;
      if (a < b) {
        dest[k++] = a;
        i++;
      } else {
        dest[k++] = b;
        j++;
      }
    }
    while (i < merged.length) dest[k++] = merged[i++]!;
    while (j < next.length) dest[k++] = next[j++]!;
    merged = dest;
  }
  if (runs.length === 1) into.set(merged);
}
