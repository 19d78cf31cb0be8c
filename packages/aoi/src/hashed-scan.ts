// Hot loops over typed arrays: every index is bounded by a count kept beside the arrays, so the non-null assertion
// on an indexed read states that invariant (noUncheckedIndexedAccess) instead of a check per element in inner loops.
import { EPS } from './cell-margin.js';
import { type EntityStore, Role } from './entity-store.js';
import type { TransitionBuffer } from './event-queue.js';
import { cellHash, type HashGrid } from './hash-grid.js';
import { leaveLimit, viewLimit } from './height.js';
import { step } from './hysteresis-step.js';
import { PairFlag, type PairList } from './pair-list.js';
import type { RebuildMarks } from './rebuild-marks.js';
import { EventKind } from './types.js';

const { ASeesB, BSeesA, ACan, BCan } = PairFlag;

/** The grid rebuild's general pair scan, over the hashed grid: each entity scans the cells within its own reach. */
export function scanHashed(
  store: EntityStore,
  grid: HashGrid,
  old: PairList,
  cur: PairList,
  marks: RebuildMarks,
  cell: number,
  skin: number,
  out: TransitionBuffer,
  moved: Uint8Array | null,
): void {
  const { alive, x, y, leave, view2, leave2, roles, tags, interest, hasHeight: height } = store;
  const end = store.end;
  grid.build(store, cell);
  const { start, items, mask } = grid;
  const { mark, markPair, carried } = marks;
  for (let i = 0; i < end; i++) {
    if (alive[i] === 0) continue;
    const epoch = marks.next();
    if (i < old.rowSlots) {
      for (let q = old.rowStart[i]!; q < old.rowStart[i + 1]!; q++) {
        const p = old.rowPairs[q]!;
        if (old.flags[p] === 0) continue;
        const other = old.a[p] === i ? old.b[p]! : old.a[p]!;
        mark[other] = epoch;
        markPair[other] = p;
      }
    }
    if (i < old.lateHead.length && old.lateHead[i] !== -1) marks.markLate(old, i, epoch);
    const reach = leave[i]! + skin;
    const reach2 = reach * reach;
    const k = Math.floor(reach / cell + EPS) + 1;
    const gx = Math.floor(x[i]! / cell);
    const gy = Math.floor(y[i]! / cell);
    const iWatch = (roles[i]! & Role.Watcher) !== 0;
    const iMark = (roles[i]! & Role.Marker) !== 0;
    const scan = grid.nextScan();
    for (let oy = -k; oy <= k; oy++) {
      for (let ox = -k; ox <= k; ox++) {
        const h = cellHash(gx + ox, gy + oy, mask);
        if (!grid.claim(h, scan)) continue;
        for (let n = start[h]!; n < start[h + 1]!; n++) {
          const j = items[n]!;
          if (j === i) continue;
          const dx = x[i]! - x[j]!;
          const dy = y[i]! - y[j]!;
          const d2 = dx * dx + dy * dy;
          if (d2 > reach2) continue;
          if (j < i) {
            // j's own scan stores the pair when i is within j's reach.
            const rj = leave[j]! + skin;
            if (d2 <= rj * rj) continue;
          }
          const iCan = iWatch && (roles[j]! & Role.Marker) !== 0 && (interest[i]! & tags[j]!) !== 0;
          const jCan = iMark && (roles[j]! & Role.Watcher) !== 0 && (interest[j]! & tags[i]!) !== 0;
          let f = 0;
          if (mark[j] === epoch) {
            const p = markPair[j]!;
            const of = old.flags[p]!;
            f = old.a[p] === i ? of & 3 : ((of & 1) << 1) | ((of & 2) >> 1);
            carried[p] = 1;
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
          if (f !== 0) cur.push(i, j, f);
        }
      }
    }
  }
}
