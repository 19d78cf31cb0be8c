// Oscillation's per-pair state in flat arrays (issue 15, 1 GB detector goal): one open-addressing lookup per event
// instead of four Map operations (a Map of targets per watcher for the sliding history, another of symbols for the
// window's entropy), and no Map or object per watcher and window for the garbage collector.

/** Sentinel of `last`: the pair had no transition the table still remembers. */
const NONE = Number.NEGATIVE_INFINITY;

/**
 * The (watcher, target) pairs that had a transition lately. A pair is a record number, stable until {@link prune}:
 * its last transition tick, an optional history object (the pairs that flip), and its enter and exit counts in the
 * current entropy window. {@link symbols} lists each (record, kind) in the order of its first transition in the
 * window, which is the order the detector's findings and top symbols come in.
 */
export class TransitionTable<H> {
  watchers: Int32Array = new Int32Array(1024);
  targets: Int32Array = new Int32Array(1024);
  /** The pair's last transition when it has no history object; NONE otherwise or when just created. */
  last = new Float64Array(1024);
  /** Enter and exit counts in the current window, two per record. */
  counts: Int32Array = new Int32Array(2048);
  histories: (H | undefined)[] = [];
  /** record * 2 + kind, in the order of the first transition of that kind in the window. */
  symbols: Int32Array = new Int32Array(1024);
  symbolCount = 0;
  private records = 0;
  /**
   * Open addressing, linear probing; CELL int32s per cell: watcher, record + 1 (0: empty). The watcher sits in the
   * cell so a probe reads the record's target only when the watcher matches: a steady dense tick looks up ~7,000
   * pairs, most of them absent, in a table of ~150,000 to ~300,000, and a miss then reads one cache line instead of
   * the cell and the record's arrays for every cell it passes. Kept at most half full.
   */
  private cells: Int32Array = new Int32Array(2048 * CELL);
  /** Cell count - 1. */
  private mask = 2047;

  get size(): number {
    return this.records;
  }

  /** The pair's record, created (no transition, no history) when it is not there. */
  find(watcher: number, target: number): number {
    const cells = this.cells;
    const mask = this.mask;
    let at = hash(watcher, target) & mask;
    for (;;) {
      const c = at * CELL;
      const cell = cells[c + 1]!;
      if (cell === 0) break;
      if (cells[c] === watcher && this.targets[cell - 1] === target) return cell - 1;
      at = (at + 1) & mask;
    }
    const r = this.records++;
    if (r === this.watchers.length) this.grow();
    this.watchers[r] = watcher;
    this.targets[r] = target;
    this.last[r] = NONE;
    this.counts[2 * r] = 0;
    this.counts[2 * r + 1] = 0;
    this.histories[r] = undefined;
    if (2 * this.records > mask + 1) this.rehash((mask + 1) * 2);
    else put(cells, at * CELL, watcher, r);
    return r;
  }

  /** Counts one transition of `kind` (0 enter, 1 exit) in the window; the first of its kind is listed in symbols. */
  count(r: number, kind: number): void {
    const c = 2 * r + kind;
    const before = this.counts[c]!;
    this.counts[c] = before + 1;
    if (before !== 0) return;
    if (this.symbolCount === this.symbols.length) this.symbols = doubled(this.symbols);
    this.symbols[this.symbolCount++] = c;
  }

  /** Starts a new entropy window: every count back to 0. */
  resetCounts(): void {
    for (let i = 0; i < this.symbolCount; i++) this.counts[this.symbols[i]!] = 0;
    this.symbolCount = 0;
  }

  /**
   * Drops the records `keep` refuses, keeping the others in their order (renumbered). Only between windows: the
   * symbol list must be empty, since it holds record numbers.
   */
  prune(keep: (r: number) => boolean): void {
    let kept = 0;
    for (let r = 0; r < this.records; r++) {
      if (!keep(r)) continue;
      this.watchers[kept] = this.watchers[r]!;
      this.targets[kept] = this.targets[r]!;
      this.last[kept] = this.last[r]!;
      this.counts[2 * kept] = this.counts[2 * r]!;
      this.counts[2 * kept + 1] = this.counts[2 * r + 1]!;
      this.histories[kept] = this.histories[r];
      kept++;
    }
    this.records = kept;
    this.histories.length = kept;
    let size = 2048;
    while (size < 4 * kept) size *= 2;
    this.rehash(size);
  }

  private grow(): void {
    const n = this.watchers.length * 2;
    this.watchers = resized(this.watchers, n);
    this.targets = resized(this.targets, n);
    const last = new Float64Array(n);
    last.set(this.last);
    this.last = last;
    this.counts = resized(this.counts, 2 * n);
  }

  private rehash(size: number): void {
    // A prune keeps the size most of the time: reuse the cells (a fresh array of several MB every window, zeroed page by page, was measurable).
    const cells = this.cells.length === size * CELL ? this.cells.fill(0) : new Int32Array(size * CELL);
    const mask = size - 1;
    for (let r = 0; r < this.records; r++) {
      const watcher = this.watchers[r]!;
      const target = this.targets[r]!;
      let at = hash(watcher, target) & mask;
      while (cells[at * CELL + 1] !== 0) at = (at + 1) & mask;
      put(cells, at * CELL, watcher, r);
    }
    this.cells = cells;
    this.mask = mask;
  }
}

/** Int32s per cell of the hash (see TransitionTable.cells): a power of two, so cells do not straddle cache lines. */
const CELL = 2;

/** Fills the cell at int32 offset `c` with the pair's watcher and record. */
function put(cells: Int32Array, c: number, watcher: number, r: number): void {
  cells[c] = watcher;
  cells[c + 1] = r + 1;
}

/** Mixes two int32 ids (murmur3's finalizer over a multiplicative combination). */
function hash(watcher: number, target: number): number {
  let h = Math.imul(watcher, 0x9e3779b1) ^ target;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function resized(old: Int32Array, length: number): Int32Array {
  const next = new Int32Array(length);
  next.set(old.subarray(0, Math.min(old.length, length)));
  return next;
}

const doubled = (old: Int32Array) => resized(old, old.length * 2);
