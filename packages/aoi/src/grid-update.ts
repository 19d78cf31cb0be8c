// Hot loops over typed arrays: every index is bounded by a count kept beside the arrays, so the non-null assertion
// on an indexed read states that invariant (noUncheckedIndexedAccess) instead of a check per element in inner loops.
import type { DirtySet } from './algorithm.js';
import type { EntityStore } from './entity-store.js';
import type { TransitionBuffer } from './event-queue.js';
import { leaveLimit, viewLimit } from './height.js';
import { step } from './hysteresis-step.js';
import { PairFlag, type PairList } from './pair-list.js';
import { EventKind } from './types.js';

// The grid's update between rebuilds: no pair can come into view that is not stored, so an update re-checks the
// stored pairs, all of them (the runs, then the late pairs) or only the rows of the few dirty entities.

const { ASeesB, BSeesA, ACan, BCan } = PairFlag;

/** The 2D hot loop of `GridAlgorithm.updateAll` (with height: `updateRunsWithHeight`). */
export function updateRuns(store: EntityStore, pairs: PairList, out: TransitionBuffer, moved: Uint8Array | null): void {
  const { x, y, view2, leave2 } = store;
  const { b, flags, runCount, runSlot, runStart } = pairs;
  for (let r = 0; r < runCount; r++) {
    const i = runSlot[r]!;
    const xi = x[i]!;
    const yi = y[i]!;
    const viewI = view2[i]!;
    const leaveI = leave2[i]!;
    const movedI = moved !== null && moved[i] === 1;
    const pEnd = runStart[r + 1]!;
    for (let p = runStart[r]!; p < pEnd; p++) {
      const f = flags[p]!;
      if (f === 0) continue;
      const j = b[p]!;
      const dx = xi - x[j]!;
      const dy = yi - y[j]!;
      const d2 = dx * dx + dy * dy;
      let g = f;
      if (f & ACan) {
        if (f & ASeesB) {
          if (d2 > leaveI) {
            g ^= ASeesB;
            out.push(i, j, EventKind.Leave);
          } else if (moved !== null && moved[j] === 1) out.push(i, j, EventKind.Move);
        } else if (d2 <= viewI) {
          g |= ASeesB;
          out.push(i, j, EventKind.Enter);
        }
      }
      if (f & BCan) {
        if (f & BSeesA) {
          if (d2 > leave2[j]!) {
            g ^= BSeesA;
            out.push(j, i, EventKind.Leave);
          } else if (movedI) out.push(j, i, EventKind.Move);
        } else if (d2 <= view2[j]!) {
          g |= BSeesA;
          out.push(j, i, EventKind.Enter);
        }
      }
      if (g !== f) flags[p] = g;
    }
  }
}

/** Re-evaluates pair p (a = i, b = j, flags f) at the current positions. */
export function recheck(
  store: EntityStore,
  pairs: PairList,
  p: number,
  i: number,
  j: number,
  f: number,
  out: TransitionBuffer,
  moved: Uint8Array | null,
): void {
  if (f === 0) return;
  const { x, y, view2, leave2, hasHeight: height } = store;
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
  if (g !== f) pairs.flags[p] = g;
}

/** Few dirty entities: per pair, the id of the last update that re-checked it (a pair is in both its rows). */
export class DirtyRows {
  private pairStamp = new Int32Array(0);
  private stampEpoch = 0;

  /** Few dirty entities: only their rows, each pair once (a pair of two dirty entities is in both rows). */
  update(store: EntityStore, pairs: PairList, dirty: DirtySet, out: TransitionBuffer, moved: Uint8Array | null): void {
    const { alive } = store;
    const { a, b, flags, rowStart, rowPairs, rowSlots, count, lateHead, lateNext, builtCount } = pairs;
    if (this.pairStamp.length < count) this.pairStamp = new Int32Array(Math.max(count, this.pairStamp.length * 2));
    if (this.stampEpoch === 0x7fffffff) {
      this.pairStamp.fill(0);
      this.stampEpoch = 0;
    }
    const epoch = ++this.stampEpoch;
    const stamp = this.pairStamp;
    for (let k = 0; k < dirty.count; k++) {
      const s = dirty.slots[k]!;
      if (alive[s] === 0) continue;
      if (s < rowSlots) {
        for (let q = rowStart[s]!; q < rowStart[s + 1]!; q++) {
          const p = rowPairs[q]!;
          if (stamp[p] === epoch) continue;
          stamp[p] = epoch;
          recheck(store, pairs, p, a[p]!, b[p]!, flags[p]!, out, moved);
        }
      }
      if (s >= lateHead.length) continue;
      for (let e = lateHead[s]!; e !== -1; e = lateNext[e]!) {
        const p = builtCount + (e >> 1);
        if (stamp[p] === epoch) continue;
        stamp[p] = epoch;
        recheck(store, pairs, p, a[p]!, b[p]!, flags[p]!, out, moved);
      }
    }
  }
}
