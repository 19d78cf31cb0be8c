// The transitions ground truth expects in one tick, keyed by (watcher, target) ids: a dense tick has ~7,000, spread
// over thousands of watchers, and a Map of Maps allocated one inner Map per watcher every tick (~2 ms a tick in the
// issue 15 profile). Open addressing over flat Int32Arrays, cleared by epoch; entries also kept in the order they
// were set, so what is left after matching the tick's events is walked without scanning the table.

import { pairHash } from './slot-pair-set.js';

const CELL = 4;
/** The table's smallest size, in cells (64 KB). */
const MIN_CELLS = 1 << 12;

export class TickTransitions {
  /**
   * CELL int32 per hash cell, side by side so a probe reads one cache line: watcher, target, the entry's index in
   * the ordered lists, and the epoch it was written in (older: empty).
   */
  private cells = new Int32Array(MIN_CELLS * CELL);
  private mask = MIN_CELLS - 1;
  private epoch = 1;
  /** In the order set: watcher, target, kind (0 enter, 1 exit) and whether an event has matched it. */
  private orderWatchers = new Int32Array(1 << 11);
  private orderTargets = new Int32Array(1 << 11);
  private kinds = new Uint8Array(1 << 11);
  private matched = new Uint8Array(1 << 11);
  /** Entries set this tick. */
  count = 0;

  clear(): void {
    // A tick that expected far more than the others (the fill tick: every pair enters) leaves a table that no
    // longer fits in cache: every later probe would miss. Back to a size for the last tick's count.
    const size = this.mask + 1;
    if (size > MIN_CELLS && size > 16 * this.count) {
      let fit = MIN_CELLS;
      while (fit < 4 * this.count) fit *= 2;
      this.cells = new Int32Array(fit * CELL);
      this.mask = fit - 1;
      this.epoch = 1;
    } else if (++this.epoch === 0x7fffffff) {
      this.cells.fill(0);
      this.epoch = 1;
    }
    this.count = 0;
  }

  /** Expects `kind` for the pair; a pair already set keeps its place and takes the new kind (as Map.set). */
  set(watcher: number, target: number, kind: 0 | 1): void {
    const at = this.find(watcher, target);
    if (at >= 0) {
      this.kinds[this.cells[at * CELL + 2]!] = kind;
      return;
    }
    if (2 * (this.count + 1) > this.mask + 1) this.growTable();
    if (this.count === this.kinds.length) this.growOrder();
    const entry = this.count++;
    this.orderWatchers[entry] = watcher;
    this.orderTargets[entry] = target;
    this.kinds[entry] = kind;
    this.matched[entry] = 0;
    this.insert(watcher, target, entry);
  }

  /** True (and the entry is matched) when the pair expects `kind` and no event matched it yet. */
  take(watcher: number, target: number, kind: number): boolean {
    const at = this.find(watcher, target);
    if (at < 0) return false;
    const entry = this.cells[at * CELL + 2]!;
    if (this.matched[entry] === 1 || this.kinds[entry] !== kind) return false;
    this.matched[entry] = 1;
    return true;
  }

  watcher(entry: number): number {
    return this.orderWatchers[entry]!;
  }

  target(entry: number): number {
    return this.orderTargets[entry]!;
  }

  kind(entry: number): 0 | 1 {
    return this.kinds[entry] as 0 | 1;
  }

  isMatched(entry: number): boolean {
    return this.matched[entry] === 1;
  }

  /** Hash slot of the pair, or -1. */
  private find(watcher: number, target: number): number {
    const { cells, mask, epoch } = this;
    let at = pairHash(watcher, target) & mask;
    while (cells[at * CELL + 3] === epoch) {
      if (cells[at * CELL] === watcher && cells[at * CELL + 1] === target) return at;
      at = (at + 1) & mask;
    }
    return -1;
  }

  private insert(watcher: number, target: number, entry: number): void {
    const { cells, mask, epoch } = this;
    let at = pairHash(watcher, target) & mask;
    while (cells[at * CELL + 3] === epoch) at = (at + 1) & mask;
    cells[at * CELL] = watcher;
    cells[at * CELL + 1] = target;
    cells[at * CELL + 2] = entry;
    cells[at * CELL + 3] = epoch;
  }

  private growTable(): void {
    const size = 2 * (this.mask + 1);
    this.cells = new Int32Array(size * CELL);
    this.mask = size - 1;
    this.epoch = 1;
    for (let entry = 0; entry < this.count; entry++) {
      this.insert(this.orderWatchers[entry]!, this.orderTargets[entry]!, entry);
    }
  }

  private growOrder(): void {
    const size = this.kinds.length * 2;
    const grow = <T extends Int32Array | Uint8Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.orderWatchers = grow(this.orderWatchers, new Int32Array(size));
    this.orderTargets = grow(this.orderTargets, new Int32Array(size));
    this.kinds = grow(this.kinds, new Uint8Array(size));
    this.matched = grow(this.matched, new Uint8Array(size));
  }
}
