import type { EntityStore } from './entity-store.js';
import type { EventBatch } from './types.js';

export const WATCHER_SCALE = 2 ** 27;

/** A batch already merged and decoded into ids by the parallel grid's shares (see parallel-merge.ts). */
export interface DecodedTransitions {
  kinds: Uint8Array;
  watchers: Int32Array;
  targets: Int32Array;
  enters: number;
  leaves: number;
}

/**
 * Transitions as packed numeric keys `watcher * 2^27 + target * 4 + kind` (slots, not ids), so that one native
 * typed-array sort puts them in the documented delivery order. Grows by doubling; never shrinks.
 */
export class TransitionBuffer {
  keys = new Float64Array(1024);
  count = 0;
  /**
   * Set by an algorithm whose keys are already in ascending order (the parallel grid merges its workers' sorted
   * keys); {@link BatchArrays.fill} then skips its sort and clears the flag.
   */
  sorted = false;
  /**
   * Set by an algorithm that delivers its `count` transitions already in delivery order and decoded into ids (the
   * parallel grid's shares do both); `keys` is then unused, and {@link BatchArrays.fill} only copies them.
   */
  decoded: DecodedTransitions | null = null;

  push(watcher: number, target: number, kind: number): void {
    if (this.count === this.keys.length) {
      const next = new Float64Array(this.keys.length * 2);
      next.set(this.keys);
      this.keys = next;
    }
    this.keys[this.count++] = watcher * WATCHER_SCALE + target * 4 + kind;
  }
}

/** A reusable {@link EventBatch}: sorted and decoded from a {@link TransitionBuffer}. */
export class BatchArrays implements EventBatch {
  count = 0;
  enterCount = 0;
  leaveCount = 0;
  moveCount = 0;
  kinds = new Uint8Array(1024);
  watchers = new Int32Array(1024);
  targets = new Int32Array(1024);
  private readonly scratch: SortScratch = { counts: new Int32Array(0), sorted: new Float64Array(0) };

  /**
   * Takes the buffer's transitions (and empties it), sorted into delivery order, with slots turned into ids.
   *
   * The leaves of entities removed in this update come first, then the other transitions; each part ascending by
   * watcher, then target slot. Slot order alone is not enough: an id removed and added again before the update has
   * a new slot that may be lower than the old one (a slot freed by an earlier update), so sorting by slot would put
   * the new entity's `enter` before the old one's `leave` of the same (watcher, target) ids, and a listener that
   * applies the events in order would end up with a view that disagrees with the engine.
   */
  fill(buffer: TransitionBuffer, store: EntityStore): void {
    const n = buffer.count;
    if (n > this.kinds.length) {
      let size = this.kinds.length;
      while (size < n) size *= 2;
      this.kinds = new Uint8Array(size);
      this.watchers = new Int32Array(size);
      this.targets = new Int32Array(size);
    }
    const decoded = buffer.decoded;
    if (decoded !== null) {
      this.kinds.set(decoded.kinds.subarray(0, n));
      this.watchers.set(decoded.watchers.subarray(0, n));
      this.targets.set(decoded.targets.subarray(0, n));
      this.count = n;
      this.enterCount = decoded.enters;
      this.leaveCount = decoded.leaves;
      this.moveCount = n - decoded.enters - decoded.leaves;
      buffer.decoded = null;
      buffer.count = 0;
      return;
    }
    const keys = buffer.sorted ? buffer.keys : sortKeys(buffer.keys, n, store.end, this.scratch);
    buffer.sorted = false;
    const { ids, alive } = store;
    const { kinds, watchers, targets } = this;
    let enters = 0;
    let leaves = 0;
    // Only removal leaves name a retired (not alive, not yet released) slot; without retired slots, one pass.
    const removals = store.hasRetired;
    let k = 0;
    for (let pass = removals ? 0 : 1; pass < 2; pass++) {
      for (let i = 0; i < n; i++) {
        const key = keys[i]!;
        const watcher = Math.floor(key / WATCHER_SCALE);
        const rest = key - watcher * WATCHER_SCALE;
        const target = rest >>> 2;
        if (removals && (alive[watcher] === 0 || alive[target] === 0) !== (pass === 0)) continue;
        const kind = rest & 3;
        kinds[k] = kind;
        watchers[k] = ids[watcher]!;
        targets[k] = ids[target]!;
        k++;
        if (kind === 0) enters++;
        else if (kind === 1) leaves++;
      }
    }
    this.count = n;
    this.enterCount = enters;
    this.leaveCount = leaves;
    this.moveCount = n - enters - leaves;
    buffer.count = 0;
  }
}

/** Scratch arrays of {@link sortKeys}, reused from call to call. */
export interface SortScratch {
  counts: Int32Array;
  sorted: Float64Array;
}

/**
 * Sorts the first `n` keys (returns the array holding them in order: `keys` itself or `scratch.sorted`): a counting sort by watcher slot (O(n + slots), no comparisons), then an insertion sort
 * inside each watcher's group, which is small. Much faster than a comparison sort of the whole tick, unless the tick
 * has few keys for its slots: those get the native sort.
 */
export function sortKeys(keys: Float64Array, n: number, slots: number, scratch: SortScratch): Float64Array {
  // Few keys among many slots (a sparse world's tick): the counting sort's passes over every slot would dominate.
  if (n < 64 || n * 16 < slots) {
    const small = keys.subarray(0, n);
    small.sort();
    return small;
  }
  if (scratch.counts.length < slots + 1)
    scratch.counts = new Int32Array(Math.max(slots + 1, scratch.counts.length * 2));
  if (scratch.sorted.length < n) scratch.sorted = new Float64Array(Math.max(n, scratch.sorted.length * 2));
  const { counts, sorted } = scratch;
  counts.fill(0, 0, slots + 1);
  for (let i = 0; i < n; i++) counts[Math.floor(keys[i]! / WATCHER_SCALE) + 1]!++;
  for (let w = 0; w < slots; w++) counts[w + 1]! += counts[w]!;
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    sorted[counts[Math.floor(key / WATCHER_SCALE)]!++] = key;
  }
  // counts[w] is now the end of group w; groups are contiguous, so one insertion sort over all of them only moves
  // keys within their own group.
  for (let i = 1; i < n; i++) {
    const key = sorted[i]!;
    let j = i - 1;
    while (j >= 0 && sorted[j]! > key) {
      sorted[j + 1] = sorted[j]!;
      j--;
    }
    sorted[j + 1] = key;
  }
  return sorted;
}
