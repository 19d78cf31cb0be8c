// The writer's view sets as one open-addressing hash set of (watcher, target) pairs in typed arrays: a dense world
// has close to a million pairs and thousands of enters and exits per tick, which a Map of Sets handles several
// times slower (and with far more garbage).

const EMPTY = 0;
const FULL = 1;
const DELETED = 2;

export class PairSet {
  private watchers = new Int32Array(1024);
  private targets = new Int32Array(1024);
  private states = new Uint8Array(1024);
  private mask = 1023;
  private used = 0;
  size = 0;

  add(watcher: number, target: number): void {
    let i = hash(watcher, target) & this.mask;
    let tomb = -1;
    for (;;) {
      const state = this.states[i];
      if (state === EMPTY) break;
      if (state === FULL) {
        if (this.watchers[i] === watcher && this.targets[i] === target) return;
      } else if (tomb < 0) tomb = i;
      i = (i + 1) & this.mask;
    }
    if (tomb >= 0) i = tomb;
    else this.used++;
    this.watchers[i] = watcher;
    this.targets[i] = target;
    this.states[i] = FULL;
    this.size++;
    if (this.used * 10 > (this.mask + 1) * 6) this.rehash();
  }

  delete(watcher: number, target: number): void {
    let i = hash(watcher, target) & this.mask;
    for (;;) {
      const state = this.states[i];
      if (state === EMPTY) return;
      if (state === FULL && this.watchers[i] === watcher && this.targets[i] === target) {
        this.states[i] = DELETED;
        this.size--;
        return;
      }
      i = (i + 1) & this.mask;
    }
  }

  /** Removes every pair of these watchers (the despawns of a tick): one pass over the table. */
  deleteWatchers(gone: ReadonlySet<number>): void {
    const { states, watchers } = this;
    for (let i = 0; i <= this.mask; i++) {
      if (states[i] === FULL && gone.has(watchers[i]!)) {
        states[i] = DELETED;
        this.size--;
      }
    }
  }

  /** Every pair, sorted by watcher then target. */
  sortedPairs(): { watchers: Int32Array; targets: Int32Array } {
    const watchers = new Int32Array(this.size);
    const targets = new Int32Array(this.size);
    let n = 0;
    let low = 0;
    let high = 0;
    for (let i = 0; i <= this.mask; i++) {
      if (this.states[i] !== FULL) continue;
      watchers[n] = this.watchers[i]!;
      targets[n] = this.targets[i]!;
      low = Math.min(low, targets[n]!);
      high = Math.max(high, targets[n]!);
      n++;
    }
    // Pack (watcher, target) into one exact double when the ranges allow (ids of real worlds do), else compare.
    const span = high - low + 1;
    const order = new Float64Array(n);
    if (span * 2 ** 32 <= 2 ** 53) {
      for (let i = 0; i < n; i++) order[i] = (watchers[i]! + 2 ** 31) * span + (targets[i]! - low);
      order.sort();
      for (let i = 0; i < n; i++) {
        watchers[i] = Math.floor(order[i]! / span) - 2 ** 31;
        targets[i] = (order[i]! % span) + low;
      }
      return { watchers, targets };
    }
    const index = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => watchers[a]! - watchers[b]! || targets[a]! - targets[b]!,
    );
    return {
      watchers: Int32Array.from(index, (i) => watchers[i]!),
      targets: Int32Array.from(index, (i) => targets[i]!),
    };
  }

  private rehash(): void {
    const { watchers, targets, states } = this;
    let capacity = this.mask + 1;
    while (this.size * 10 > capacity * 4) capacity *= 2;
    this.watchers = new Int32Array(capacity);
    this.targets = new Int32Array(capacity);
    this.states = new Uint8Array(capacity);
    this.mask = capacity - 1;
    this.used = 0;
    this.size = 0;
    for (let i = 0; i < states.length; i++) if (states[i] === FULL) this.add(watchers[i]!, targets[i]!);
  }
}

function hash(watcher: number, target: number): number {
  let h = Math.imul(watcher, 0x9e3779b1) ^ Math.imul(target + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) ^ (h >>> 13);
}
