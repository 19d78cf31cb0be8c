// View sets as one sorted list of target ids per watcher, all lists in one pooled Int32Array. A dense world has
// ~750,000 pairs and ~7,000 enters and exits per tick: an insert or delete is a binary search plus a short shift
// inside one watcher's list (~75 ids); a keyframe reads the lists in order without sorting anything; a reader hands
// them to a WorldState without building a Set until someone asks for that watcher. One pool instead of one typed
// array per watcher: tens of thousands of small typed arrays cost more to allocate than the data they hold. A list
// that outgrows its room moves to the end of the pool; the pool is compacted when it fills. Only non-empty lists
// are kept.

const DIRECT_IDS = 1 << 22;

export class ViewTable {
  /** Slot of watcher id + 1 (0 = none), for ids in [0, DIRECT_IDS). */
  private direct = new Int32Array(1024);
  private readonly far = new Map<number, number>();
  private readonly freeSlots: number[] = [];
  private slotCount = 0;
  /** Every list: slot s holds its targets, ascending, in `pool[offsets[s] .. offsets[s] + lengths[s])`. */
  pool = new Int32Array(1 << 12);
  offsets = new Int32Array(256);
  lengths = new Int32Array(256);
  private capacities = new Int32Array(256);
  /** Watcher id of each slot. */
  ids = new Int32Array(256);
  /** End of the used part of the pool, and the room held by live lists (the rest below `top` is garbage). */
  private top = 0;
  private held = 0;
  /** Watchers with a non-empty view. */
  size = 0;
  /** Pairs in all views. */
  pairs = 0;

  /** The slot of `watcher`, or -1. */
  slotOf(watcher: number): number {
    if (watcher >= 0 && watcher < DIRECT_IDS) return watcher < this.direct.length ? this.direct[watcher]! - 1 : -1;
    return this.far.get(watcher) ?? -1;
  }

  /** Slot + 1 (0 = none) by id, for ids in [0, length): a hot loop's shortcut past {@link ViewTable.slotOf}. */
  directSlots(): Int32Array {
    return this.direct;
  }

  /** Number of slots ever used (slot numbers are below it). */
  get slotLimit(): number {
    return this.slotCount;
  }

  /** Whether `watcher` sees `target`: a binary search in one short list. */
  has(watcher: number, target: number): boolean {
    const slot = this.slotOf(watcher);
    if (slot < 0) return false;
    const pool = this.pool;
    let low = this.offsets[slot]!;
    let high = low + this.lengths[slot]!;
    while (low < high) {
      const mid = (low + high) >> 1;
      const value = pool[mid]!;
      if (value === target) return true;
      if (value < target) low = mid + 1;
      else high = mid;
    }
    return false;
  }

  /** Adds the pair; false if it was there already. */
  add(watcher: number, target: number): boolean {
    let slot = this.slotOf(watcher);
    if (slot < 0) slot = this.open(watcher);
    const length = this.lengths[slot]!;
    let start = this.offsets[slot]!;
    let pool = this.pool;
    let low = 0;
    // Appending in order is the common case when lists are built from sorted input.
    if (length > 0 && pool[start + length - 1]! < target) low = length;
    else {
      let high = length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (pool[start + mid]! < target) low = mid + 1;
        else high = mid;
      }
      if (low < length && pool[start + low] === target) return false;
    }
    if (length === this.capacities[slot]) {
      this.relocate(slot, Math.max(8, length * 2));
      start = this.offsets[slot]!;
      pool = this.pool;
    }
    for (let k = start + length; k > start + low; k--) pool[k] = pool[k - 1]!;
    pool[start + low] = target;
    this.lengths[slot] = length + 1;
    this.pairs++;
    return true;
  }

  /** Removes the pair if present. */
  delete(watcher: number, target: number): void {
    const slot = this.slotOf(watcher);
    if (slot < 0) return;
    const pool = this.pool;
    const start = this.offsets[slot]!;
    const length = this.lengths[slot]!;
    let low = 0;
    let high = length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (pool[start + mid]! < target) low = mid + 1;
      else high = mid;
    }
    if (low === length || pool[start + low] !== target) return;
    for (let k = start + low + 1; k < start + length; k++) pool[k - 1] = pool[k]!;
    this.lengths[slot] = length - 1;
    this.pairs--;
    if (length === 1) this.close(watcher, slot);
  }

  /** Drops a watcher's whole view (its despawn). */
  deleteWatcher(watcher: number): void {
    const slot = this.slotOf(watcher);
    if (slot < 0) return;
    this.pairs -= this.lengths[slot]!;
    this.close(watcher, slot);
  }

  /**
   * Bulk building (keyframe decoding): announce `count` more targets for `watcher`, for every watcher, then call
   * {@link ViewTable.layOut} once, before any add. Every list then gets its room in one pass, without relocations.
   */
  expect(watcher: number, count: number): void {
    let slot = this.slotOf(watcher);
    if (slot < 0) slot = this.open(watcher);
    this.capacities[slot]! += count;
  }

  /** Places the announced lists one after another, each with a quarter of slack for the ticks replayed next. */
  layOut(): void {
    let total = 0;
    for (let slot = 0; slot < this.slotCount; slot++) {
      const wanted = this.capacities[slot]!;
      if (wanted === 0) continue;
      const capacity = wanted + (wanted >> 2) + 2;
      this.capacities[slot] = capacity;
      this.offsets[slot] = total;
      total += capacity;
    }
    let size = this.pool.length;
    while (size < total * 1.5) size *= 2;
    if (size > this.pool.length) this.pool = new Int32Array(size);
    this.top = total;
    this.held = total;
  }

  /** An independent copy: typed arrays copied, no list rebuilt (a seek hands a keyframe's view sets to its predictor). */
  clone(): ViewTable {
    const copy = new ViewTable();
    copy.direct = this.direct.slice();
    for (const [watcher, slot] of this.far) copy.far.set(watcher, slot);
    for (const slot of this.freeSlots) copy.freeSlots.push(slot);
    copy.slotCount = this.slotCount;
    copy.pool = this.pool.slice();
    copy.offsets = this.offsets.slice();
    copy.lengths = this.lengths.slice();
    copy.capacities = this.capacities.slice();
    copy.ids = this.ids.slice();
    copy.top = this.top;
    copy.held = this.held;
    copy.size = this.size;
    copy.pairs = this.pairs;
    return copy;
  }

  /** A watcher's targets, ascending (a view into the pool: valid until the next change). */
  targetsOf(slot: number): Int32Array {
    const start = this.offsets[slot]!;
    return this.pool.subarray(start, start + this.lengths[slot]!);
  }

  /** Every watcher with a non-empty view, ascending. */
  sortedWatchers(): Int32Array {
    const out = new Int32Array(this.size);
    let n = 0;
    const direct = this.direct;
    for (let id = 0; id < direct.length; id++) if (direct[id] !== 0) out[n++] = id;
    if (this.far.size > 0) {
      for (const id of this.far.keys()) out[n++] = id;
      out.sort();
    }
    return out;
  }

  private open(watcher: number): number {
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.slotCount++;
      if (slot >= this.lengths.length) this.growSlots();
    }
    if (watcher >= 0 && watcher < DIRECT_IDS) {
      if (watcher >= this.direct.length) {
        let size = this.direct.length;
        while (size <= watcher) size *= 2;
        const direct = new Int32Array(size);
        direct.set(this.direct);
        this.direct = direct;
      }
      this.direct[watcher] = slot + 1;
    } else {
      this.far.set(watcher, slot);
    }
    this.ids[slot] = watcher;
    this.offsets[slot] = this.top;
    this.lengths[slot] = 0;
    this.capacities[slot] = 0;
    this.size++;
    return slot;
  }

  private close(watcher: number, slot: number): void {
    if (watcher >= 0 && watcher < DIRECT_IDS) this.direct[watcher] = 0;
    else this.far.delete(watcher);
    this.held -= this.capacities[slot]!;
    this.lengths[slot] = 0;
    this.capacities[slot] = 0;
    this.freeSlots.push(slot);
    this.size--;
  }

  /** Gives a list `capacity` room at the end of the pool (compacting or growing the pool when it is full). */
  private relocate(slot: number, capacity: number): void {
    if (this.top + capacity > this.pool.length) this.compact(capacity);
    const start = this.offsets[slot]!;
    this.pool.copyWithin(this.top, start, start + this.lengths[slot]!);
    this.held += capacity - this.capacities[slot]!;
    this.offsets[slot] = this.top;
    this.capacities[slot] = capacity;
    this.top += capacity;
  }

  /** Copies the live lists to the start of a pool with room for `extra` more (and as much again as slack). */
  private compact(extra: number): void {
    let size = this.pool.length;
    while (size < (this.held + extra) * 2) size *= 2;
    const next = new Int32Array(size);
    let top = 0;
    for (let slot = 0; slot < this.slotCount; slot++) {
      const capacity = this.capacities[slot]!;
      if (capacity === 0) continue;
      const start = this.offsets[slot]!;
      next.set(this.pool.subarray(start, start + this.lengths[slot]!), top);
      this.offsets[slot] = top;
      top += capacity;
    }
    this.pool = next;
    this.top = top;
  }

  private growSlots(): void {
    const grow = (old: Int32Array) => {
      const next = new Int32Array(old.length * 2);
      next.set(old);
      return next;
    };
    this.offsets = grow(this.offsets);
    this.lengths = grow(this.lengths);
    this.capacities = grow(this.capacities);
    this.ids = grow(this.ids);
  }
}
