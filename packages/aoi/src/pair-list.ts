/** Bits of a pair's flags byte. A pair with flags 0 is dead (an endpoint was removed) and skipped. */
export const PairFlag = { ASeesB: 1, BSeesA: 2, ACan: 4, BCan: 8 } as const;

/**
 * Unordered candidate pairs in flat arrays, plus a CSR index (per slot: the pairs it belongs to) for updates of a
 * few entities, removal and queries.
 */
export class PairList {
  a: Int32Array;
  b: Int32Array;
  flags: Uint8Array;
  count = 0;
  /** Slots covered by the row index (slots >= rowSlots have no pairs). */
  rowSlots = 0;
  rowStart: Int32Array;
  rowPairs: Int32Array;
  /**
   * Maximal runs of consecutive pairs with the same `a` (the builders push each entity's pairs together): run r
   * covers pairs runStart[r] .. runStart[r + 1] - 1, all with a = runSlot[r]. Built by {@link buildRows}.
   */
  runCount = 0;
  runSlot = new Int32Array(0);
  runStart = new Int32Array(1);

  /**
   * @param shared pairs and rows on SharedArrayBuffers, readable by other threads (the parallel grid); a growth
   *   makes new buffers, which the readers must be sent again.
   */
  constructor(private readonly shared = false) {
    this.a = this.i32(1024);
    this.b = this.i32(1024);
    this.flags = shared ? new Uint8Array(new SharedArrayBuffer(1024)) : new Uint8Array(1024);
    this.rowStart = this.i32(1);
    this.rowPairs = this.i32(0);
  }

  private i32(n: number): Int32Array {
    return this.shared ? new Int32Array(new SharedArrayBuffer(n * 4)) : new Int32Array(n);
  }

  push(a: number, b: number, flags: number): void {
    if (this.count === this.a.length) this.grow();
    const i = this.count++;
    this.a[i] = a;
    this.b[i] = b;
    this.flags[i] = flags;
  }

  /** Builds the CSR index by counting sort over the first `slots` slots. */
  buildRows(slots: number): void {
    if (this.rowStart.length < slots + 1) this.rowStart = this.i32(Math.max(slots + 1, this.rowStart.length * 2));
    if (this.rowPairs.length < this.count * 2) this.rowPairs = this.i32(Math.max(this.count * 2, 1024));
    const { a, b, rowStart, rowPairs } = this;
    rowStart.fill(0, 0, slots + 1);
    for (let p = 0; p < this.count; p++) {
      rowStart[a[p]! + 1]!++;
      rowStart[b[p]! + 1]!++;
    }
    for (let s = 0; s < slots; s++) rowStart[s + 1]! += rowStart[s]!;
    this.buildRuns();
    for (let p = 0; p < this.count; p++) {
      rowPairs[rowStart[a[p]!]!++] = p;
      rowPairs[rowStart[b[p]!]!++] = p;
    }
    // The fill loop advanced every start to the next row's start: shift back by one row.
    for (let s = slots; s > 0; s--) rowStart[s] = rowStart[s - 1]!;
    rowStart[0] = 0;
    this.rowSlots = slots;
  }

  private buildRuns(): void {
    const { a, count } = this;
    let runs = 0;
    for (let p = 0; p < count; p++) if (p === 0 || a[p] !== a[p - 1]) runs++;
    if (this.runSlot.length < runs) {
      this.runSlot = new Int32Array(Math.max(runs, this.runSlot.length * 2));
      this.runStart = new Int32Array(this.runSlot.length + 1);
    }
    const { runSlot, runStart } = this;
    let r = 0;
    for (let p = 0; p < count; p++) {
      if (p === 0 || a[p] !== a[p - 1]) {
        runSlot[r] = a[p]!;
        runStart[r++] = p;
      }
    }
    runStart[r] = count;
    this.runCount = r;
  }

  private grow(): void {
    const size = this.a.length * 2;
    const a = this.i32(size);
    a.set(this.a);
    this.a = a;
    const b = this.i32(size);
    b.set(this.b);
    this.b = b;
    const flags = this.shared ? new Uint8Array(new SharedArrayBuffer(size)) : new Uint8Array(size);
    flags.set(this.flags);
    this.flags = flags;
  }
}
