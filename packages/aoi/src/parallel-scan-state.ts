// Hot loops over typed arrays: every index is bounded by a count kept beside the arrays, so the non-null assertion
// on an indexed read states that invariant (noUncheckedIndexedAccess) instead of a check per element in inner loops.
import type { EntityStore } from './entity-store.js';
import type { TransitionBuffer } from './event-queue.js';
import type { PairList } from './pair-list.js';
import type { Segment } from './parallel-protocol.js';

/** What a share's rebuild scan reads (the entities, every share's old segment) and writes (its new pairs, events). */
export interface ShareScan {
  readonly store: EntityStore;
  readonly segments: Segment[];
  readonly marks: SegmentMarks;
  readonly moved: Uint8Array | null;
  readonly out: TransitionBuffer;
  /** The share's new pair list. */
  readonly spare: PairList;
}

/**
 * A share's carry-over of view bits at a rebuild: the old pairs are in every share's segment, so a mark also
 * names the segment (`markSeg`) besides the pair (`markPair`); the pair found again sets its segment's `carried`.
 */
export class SegmentMarks {
  mark = new Int32Array(0);
  markPair = new Int32Array(0);
  markSeg = new Int32Array(0);
  private markEpoch = 0;

  /** Room for the slots below `end`. */
  reserve(end: number): void {
    if (this.mark.length < end) {
      const size = Math.max(end, this.mark.length * 2);
      this.mark = new Int32Array(size);
      this.markPair = new Int32Array(size);
      this.markSeg = new Int32Array(size);
      this.markEpoch = 0;
    }
  }

  /** Marks the entities `i` shares a live old pair with (in any worker's segment); returns the mark epoch. */
  markOld(segments: Segment[], i: number): number {
    if (this.markEpoch === 0x7fffffff) {
      this.mark.fill(0);
      this.markEpoch = 0;
    }
    const epoch = ++this.markEpoch;
    const { mark, markPair, markSeg } = this;
    for (let s = 0; s < segments.length; s++) {
      const seg = segments[s]!;
      if (i >= seg.rowSlots) continue;
      const { a, b, flags, rowStart, rowPairs } = seg;
      for (let q = rowStart[i]!; q < rowStart[i + 1]!; q++) {
        const p = rowPairs[q]!;
        if (flags[p] === 0) continue;
        const other = a[p] === i ? b[p]! : a[p]!;
        mark[other] = epoch;
        markPair[other] = p;
        markSeg[other] = s;
      }
    }
    return epoch;
  }
}
