/** Ids up to this are marked in an array (4 bytes each, 64 MB at most); larger ids fall back to the set itself. */
const MAX_MARKED_ID = 1 << 24;

/**
 * One watcher's view set as marks in an id-indexed array, so the per-pair membership test in the detectors' hot loops
 * is an array read instead of a hash lookup. Marking walks the set once; a new epoch clears it in O(1).
 */
export class IdMarks {
  private marks = new Int32Array(1024);
  private epoch = 0;
  private set: ReadonlySet<number> | Int32Array | undefined;

  /** Makes {@link has} answer for `set` (a Set or a list of ids; undefined: the empty set). */
  mark(set: ReadonlySet<number> | Int32Array | undefined): void {
    this.set = set;
    if (++this.epoch === 0x7fffffff) {
      this.marks.fill(0);
      this.epoch = 1;
    }
    if (set === undefined) return;
    const epoch = this.epoch;
    for (const id of set) {
      if (id > MAX_MARKED_ID) continue;
      if (id >= this.marks.length) this.grow(id);
      this.marks[id] = epoch;
    }
  }

  has(id: number): boolean {
    if (id > MAX_MARKED_ID) {
      const set = this.set;
      return set instanceof Int32Array ? set.includes(id) : set?.has(id) === true;
    }
    return id < this.marks.length && this.marks[id] === this.epoch;
  }

  private grow(id: number): void {
    const next = new Int32Array(Math.min(MAX_MARKED_ID + 1, Math.max(id + 1, this.marks.length * 2)));
    next.set(this.marks);
    this.marks = next;
  }
}
