// Hot loops over typed arrays: every index is bounded by a count kept beside the arrays, so the non-null assertion
// on an indexed read states that invariant (noUncheckedIndexedAccess) instead of a check per element in inner loops.
import { EPS } from './cell-margin.js';
import { Role } from './entity-store.js';
import { cellHash, type HashGrid } from './hash-grid.js';
import { leaveLimit, viewLimit } from './height.js';
import { step } from './hysteresis-step.js';
import { PairFlag } from './pair-list.js';
import type { ScanJob } from './parallel-protocol.js';
import type { ShareScan } from './parallel-scan-state.js';
import { EventKind } from './types.js';

const { ASeesB, BSeesA, ACan, BCan } = PairFlag;

/**
 * The hashed scan of the grid's rebuild (`hashed-scan.ts`) for a share's entities, slots [from, to) (every worker
 * hashes all entities).
 */
export function scanHashedShare(share: ShareScan, grid: HashGrid, job: ScanJob): void {
  const { cell, skin, from, to } = job;
  const store = share.store;
  const { alive, x, y, leave } = store;
  grid.build(store, cell);
  const { start, items, mask } = grid;
  for (let i = from; i < to; i++) {
    if (alive[i] === 0) continue;
    const epoch = share.marks.markOld(share.segments, i);
    const reach = leave[i]! + skin;
    const reach2 = reach * reach;
    const k = Math.floor(reach / cell + EPS) + 1;
    const gx = Math.floor(x[i]! / cell);
    const gy = Math.floor(y[i]! / cell);
    const scan = grid.nextScan();
    for (let oy = -k; oy <= k; oy++) {
      for (let ox = -k; ox <= k; ox++) {
        const hash = cellHash(gx + ox, gy + oy, mask);
        if (!grid.claim(hash, scan)) continue;
        for (let q = start[hash]!; q < start[hash + 1]!; q++) {
          const j = items[q]!;
          if (j === i) continue;
          const dx = x[i]! - x[j]!;
          const dy = y[i]! - y[j]!;
          const d2 = dx * dx + dy * dy;
          if (d2 > reach2) continue;
          if (j < i) {
            // j's own scan (in whichever share) stores the pair when i is within j's reach.
            const rj = leave[j]! + skin;
            if (d2 <= rj * rj) continue;
          }
          pair(share, i, j, d2, epoch);
        }
      }
    }
  }
}

/** Stores the candidate pair (i, j) at squared distance d2: view bits carried over, then the rule applied. */
function pair(share: ShareScan, i: number, j: number, d2: number, epoch: number): void {
  const store = share.store;
  const { roles, tags, interest, view2, leave2, hasHeight: height } = store;
  const { moved, out, marks } = share;
  const iCan = (roles[i]! & Role.Watcher) !== 0 && (roles[j]! & Role.Marker) !== 0 && (interest[i]! & tags[j]!) !== 0;
  const jCan = (roles[i]! & Role.Marker) !== 0 && (roles[j]! & Role.Watcher) !== 0 && (interest[j]! & tags[i]!) !== 0;
  let f = 0;
  if (marks.mark[j] === epoch) {
    const seg = share.segments[marks.markSeg[j]!]!;
    const p = marks.markPair[j]!;
    const of = seg.flags[p]!;
    f = seg.a[p] === i ? of & 3 : ((of & 1) << 1) | ((of & 2) >> 1);
    seg.carried[p] = 1;
  }
  if (iCan)
    f = step(
      f | ACan,
      ASeesB,
      i,
      j,
      d2,
      height ? viewLimit(store, i, j) : view2[i]!,
      height ? leaveLimit(store, i, j) : leave2[i]!,
      moved !== null && moved[j] === 1,
      out,
    );
  else if (f & ASeesB) {
    f ^= ASeesB;
    out.push(i, j, EventKind.Leave);
  }
  if (jCan)
    f = step(
      f | BCan,
      BSeesA,
      j,
      i,
      d2,
      height ? viewLimit(store, j, i) : view2[j]!,
      height ? leaveLimit(store, j, i) : leave2[j]!,
      moved !== null && moved[i] === 1,
      out,
    );
  else if (f & BSeesA) {
    f ^= BSeesA;
    out.push(j, i, EventKind.Leave);
  }
  if (f !== 0) share.spare.push(i, j, f);
}
