// Hot loops over typed arrays: every index is bounded by a count kept beside the arrays, so the non-null assertion
// on an indexed read states that invariant (noUncheckedIndexedAccess) instead of a check per element in inner loops.
import type { PairList } from './pair-list.js';

/**
 * How a grid rebuild carries the view bits over from the old pair list: before scanning entity i, each partner of
 * a live old pair of i is marked with the scan's epoch and the pair (`mark`, `markPair`), so a candidate pair finds
 * its old flags in O(1); an old pair found again is `carried`, and the old pairs not carried leave.
 */
export class RebuildMarks {
  mark = new Int32Array(0);
  markPair = new Int32Array(0);
  carried = new Int32Array(0);
  private markEpoch = 0;

  resize(capacity: number): void {
    this.mark = new Int32Array(capacity);
    this.markPair = new Int32Array(capacity);
    this.markEpoch = 0;
  }

  /** Clears `carried` for the `count` pairs of the old list. */
  begin(count: number): void {
    if (this.carried.length < count) this.carried = new Int32Array(Math.max(count, this.carried.length * 2));
    this.carried.fill(0, 0, count);
  }

  /** Starts one entity's marks; returns their epoch. */
  next(): number {
    if (this.markEpoch === 0x7fffffff) {
      this.mark.fill(0);
      this.markEpoch = 0;
    }
    return ++this.markEpoch;
  }

  /** Marks the partners of i's late pairs in `old` (the rebuild's carry-over of their view bits). */
  markLate(old: PairList, i: number, epoch: number): void {
    const { mark, markPair } = this;
    for (let e = old.lateHead[i]!; e !== -1; e = old.lateNext[e]!) {
      const p = old.builtCount + (e >> 1);
      if (old.flags[p] === 0) continue;
      mark[old.a[p] === i ? old.b[p]! : old.a[p]!] = epoch;
      markPair[old.a[p] === i ? old.b[p]! : old.a[p]!] = p;
    }
  }
}
