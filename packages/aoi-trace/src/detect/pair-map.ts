// Values keyed by a (watcher, target) pair without a string per pair. Ids are int32 (TRACE_LIMITS.maxId, and the
// decoder takes any int32), so a pair needs 64 bits and no single double holds one exactly (2^53): the pair finds
// its entry through one Map of targets per watcher, number keys only. Entries live in flat arrays in insertion
// order, so iterating gives the pairs in the order a Map of "watcher:target" strings did (findings keep their order).

export class PairMap<V> {
  private readonly index = new Map<number, Map<number, number>>();
  private watchers: number[] = [];
  private targets: number[] = [];
  private values: (V | undefined)[] = [];
  private live: boolean[] = [];
  private count = 0;
  /** Open iterations: entries are not renumbered while one runs. */
  private iterating = 0;

  get size(): number {
    return this.count;
  }

  get(watcher: number, target: number): V | undefined {
    const entry = this.index.get(watcher)?.get(target);
    return entry === undefined ? undefined : this.values[entry];
  }

  has(watcher: number, target: number): boolean {
    return this.index.get(watcher)?.has(target) === true;
  }

  /** A new pair goes last in the order; a pair already there keeps its place (as Map.set). */
  set(watcher: number, target: number, value: V): this {
    let targets = this.index.get(watcher);
    if (targets === undefined) {
      targets = new Map();
      this.index.set(watcher, targets);
    }
    const entry = targets.get(target);
    if (entry !== undefined) {
      this.values[entry] = value;
      return this;
    }
    if (this.iterating === 0) this.compact();
    targets.set(target, this.watchers.length);
    this.watchers.push(watcher);
    this.targets.push(target);
    this.values.push(value);
    this.live.push(true);
    this.count++;
    return this;
  }

  delete(watcher: number, target: number): boolean {
    const targets = this.index.get(watcher);
    const entry = targets?.get(target);
    if (targets === undefined || entry === undefined) return false;
    targets.delete(target);
    if (targets.size === 0) this.index.delete(watcher);
    this.live[entry] = false;
    this.values[entry] = undefined;
    this.count--;
    return true;
  }

  clear(): void {
    this.index.clear();
    this.watchers = [];
    this.targets = [];
    this.values = [];
    this.live = [];
    this.count = 0;
  }

  /**
   * Every pair in insertion order. Deleting pairs (the current one included) while iterating is allowed; pairs
   * added meanwhile are visited too, as with a Map.
   */
  *entries(): Generator<[watcher: number, target: number, value: V]> {
    if (this.iterating === 0) this.compact();
    this.iterating++;
    try {
      for (let entry = 0; entry < this.watchers.length; entry++) {
        if (this.live[entry]) yield [this.watchers[entry]!, this.targets[entry]!, this.values[entry] as V];
      }
    } finally {
      this.iterating--;
    }
  }

  /** Drops deleted entries once they outnumber the live ones (amortized: a compaction follows as many deletes). */
  private compact(): void {
    const total = this.watchers.length;
    if (total - this.count <= Math.max(this.count, 64)) return;
    let kept = 0;
    for (let entry = 0; entry < total; entry++) {
      if (!this.live[entry]) continue;
      const watcher = this.watchers[entry]!;
      const target = this.targets[entry]!;
      this.watchers[kept] = watcher;
      this.targets[kept] = target;
      this.values[kept] = this.values[entry];
      this.live[kept] = true;
      this.index.get(watcher)!.set(target, kept);
      kept++;
    }
    this.watchers.length = kept;
    this.targets.length = kept;
    this.values.length = kept;
    this.live.length = kept;
  }
}

/** A set of (watcher, target) pairs. */
export class PairSet {
  private readonly pairs = new PairMap<true>();

  has(watcher: number, target: number): boolean {
    return this.pairs.has(watcher, target);
  }

  add(watcher: number, target: number): this {
    this.pairs.set(watcher, target, true);
    return this;
  }
}
