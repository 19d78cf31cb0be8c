// Hot loops over typed arrays: every index is bounded by a count kept beside the arrays, so the non-null assertion
// on an indexed read states that invariant (noUncheckedIndexedAccess) instead of a check per element in inner loops.
import type { DirtySet } from './algorithm.js';
import type { EntityStore } from './entity-store.js';
import type { TransitionBuffer } from './event-queue.js';
import { leaveLimit, viewLimit } from './height.js';
import { step } from './hysteresis-step.js';
import { PairFlag } from './pair-list.js';
import type { Segment } from './parallel-protocol.js';
import { EventKind } from './types.js';

// The parallel grid's work on the caller's thread over the shares' segments (in shared memory, while the workers
// are idle): the rows of a few dirty entities, removals and queries.

const { ASeesB, BSeesA, ACan, BCan } = PairFlag;

/** Removal of `slot`: its pairs in every segment leave and die. */
export function removeFromSegments(segments: Segment[], slot: number, out: TransitionBuffer): void {
  for (const seg of segments) {
    if (slot >= seg.rowSlots) continue;
    const { a, b, flags, rowStart, rowPairs } = seg;
    for (let q = rowStart[slot]!; q < rowStart[slot + 1]!; q++) {
      const p = rowPairs[q]!;
      const f = flags[p]!;
      if (f & ASeesB) out.push(a[p]!, b[p]!, EventKind.Leave);
      if (f & BSeesA) out.push(b[p]!, a[p]!, EventKind.Leave);
      flags[p] = 0;
    }
  }
}

/**
 * Few dirty entities, on this thread: their rows in every segment. A pair of two dirty entities is in both rows
 * and is checked from the lower slot only.
 */
export function updateSegmentRows(
  store: EntityStore,
  segments: Segment[],
  dirty: DirtySet,
  out: TransitionBuffer,
  moved: Uint8Array | null,
): void {
  const { x, y, view2, leave2, alive, hasHeight: height } = store;
  const flag = dirty.flag;
  for (let k = 0; k < dirty.count; k++) {
    const s = dirty.slots[k]!;
    if (alive[s] === 0) continue;
    for (const seg of segments) {
      if (s >= seg.rowSlots) continue;
      const { a, b, flags, rowStart, rowPairs } = seg;
      for (let q = rowStart[s]!; q < rowStart[s + 1]!; q++) {
        const p = rowPairs[q]!;
        const f = flags[p]!;
        if (f === 0) continue;
        const i = a[p]!;
        const j = b[p]!;
        const other = i === s ? j : i;
        if (other < s && flag[other] === 1 && alive[other] === 1) continue;
        const dx = x[i]! - x[j]!;
        const dy = y[i]! - y[j]!;
        const d2 = dx * dx + dy * dy;
        let g = f;
        if (f & ACan)
          g = step(
            g,
            ASeesB,
            i,
            j,
            d2,
            height ? viewLimit(store, i, j) : view2[i]!,
            height ? leaveLimit(store, i, j) : leave2[i]!,
            moved !== null && moved[j] === 1,
            out,
          );
        if (f & BCan)
          g = step(
            g,
            BSeesA,
            j,
            i,
            d2,
            height ? viewLimit(store, j, i) : view2[j]!,
            height ? leaveLimit(store, j, i) : leave2[j]!,
            moved !== null && moved[i] === 1,
            out,
          );
        if (g !== f) flags[p] = g;
      }
    }
  }
}

/** Calls `fn` for every pair of `slot` in every segment (the queries). */
export function forEachSegmentPair(
  segments: Segment[],
  slot: number,
  fn: (seg: Segment, pair: number, isA: boolean) => void,
): void {
  for (const seg of segments) {
    if (slot >= seg.rowSlots) continue;
    for (let q = seg.rowStart[slot]!; q < seg.rowStart[slot + 1]!; q++) {
      const p = seg.rowPairs[q]!;
      fn(seg, p, seg.a[p] === slot);
    }
  }
}
