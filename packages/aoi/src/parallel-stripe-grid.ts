// Hot loops over typed arrays: every index is bounded by a count kept beside the arrays, so the non-null assertion
// on an indexed read states that invariant (noUncheckedIndexedAccess) instead of a check per element in inner loops.
import { Role } from './entity-store.js';
import { leaveLimit, viewLimit } from './height.js';
import { step } from './hysteresis-step.js';
import { PairFlag } from './pair-list.js';
import type { ScanJob } from './parallel-protocol.js';
import type { ShareScan } from './parallel-scan-state.js';
import { EventKind } from './types.js';

const { ASeesB, BSeesA, ACan, BCan } = PairFlag;

/** A share's dense grid of its stripe of cell rows (plus the halo row), counting-sorted like the rebuild's. */
export class StripeGrid {
  private cellStart = new Int32Array(1);
  private cellOf = new Int32Array(0);
  private order = new Int32Array(0);
  private sx = new Float64Array(0);
  private sy = new Float64Array(0);
  private sReach2 = new Float64Array(0);

  /**
   * The dense scan of the grid's rebuild (`dense-grid.ts`) restricted to cell rows [from, to): the entities of those rows and of the halo row
   * below are counting-sorted by cell (slot order within a cell, as in the single-threaded scan).
   */
  scan(scan: ShareScan, job: ScanJob): void {
    const { cell, skin, gx0, gy0, w, from, to } = job;
    const { alive, x, y, leave } = scan.store;
    const end = scan.store.end;
    const rowEnd = Math.min(to + 1, job.h);
    const h = rowEnd - from;
    const cells = h * w;
    if (this.cellStart.length < cells + 1)
      this.cellStart = new Int32Array(Math.max(cells + 1, this.cellStart.length * 2));
    if (this.cellOf.length < end) this.cellOf = new Int32Array(Math.max(end, this.cellOf.length * 2));
    const { cellStart, cellOf } = this;
    cellStart.fill(0, 0, cells + 1);
    let n = 0;
    for (let s = 0; s < end; s++) {
      cellOf[s] = -1;
      if (alive[s] === 0) continue;
      const gy = Math.floor(y[s]! / cell) - gy0;
      if (gy < from || gy >= rowEnd) continue;
      const c = (gy - from) * w + (Math.floor(x[s]! / cell) - gx0);
      cellOf[s] = c;
      cellStart[c + 1]!++;
      n++;
    }
    if (this.order.length < n) {
      const size = Math.max(n, this.order.length * 2);
      this.order = new Int32Array(size);
      this.sx = new Float64Array(size);
      this.sy = new Float64Array(size);
      this.sReach2 = new Float64Array(size);
    }
    const { order, sx, sy, sReach2 } = this;
    for (let c = 0; c < cells; c++) cellStart[c + 1]! += cellStart[c]!;
    for (let s = 0; s < end; s++) {
      if (cellOf[s]! < 0) continue;
      const q = cellStart[cellOf[s]!]!++;
      order[q] = s;
      sx[q] = x[s]!;
      sy[q] = y[s]!;
      const r = leave[s]! + skin;
      sReach2[q] = r * r;
    }
    for (let c = cells; c > 0; c--) cellStart[c] = cellStart[c - 1]!;
    cellStart[0] = 0;
    const store = scan.store;
    const { roles, tags, interest, view2, leave2, hasHeight: height } = store;
    const { segments, moved, out, spare, marks } = scan;
    const { mark, markPair, markSeg } = marks;
    for (let cy = 0; cy < to - from; cy++) {
      for (let cx = 0; cx < w; cx++) {
        const c = cy * w + cx;
        const cEnd = cellStart[c + 1]!;
        for (let u = cellStart[c]!; u < cEnd; u++) {
          const i = order[u]!;
          const epoch = marks.markOld(segments, i);
          const iWatch = (roles[i]! & Role.Watcher) !== 0;
          const iMark = (roles[i]! & Role.Marker) !== 0;
          const xi = sx[u]!;
          const yi = sy[u]!;
          const ri2 = sReach2[u]!;
          // The rest of this cell, the cell to the right, then the three cells of the next row.
          for (let part = 0; part < 5; part++) {
            let lo: number;
            let hi: number;
            if (part === 0) {
              lo = u + 1;
              hi = cEnd;
            } else if (part === 1) {
              if (cx + 1 >= w) continue;
              lo = cEnd;
              hi = cellStart[c + 2]!;
            } else {
              const nx = cx + part - 3;
              if (cy + 1 >= h || nx < 0 || nx >= w) continue;
              const d = c + w + part - 3;
              lo = cellStart[d]!;
              hi = cellStart[d + 1]!;
            }
            for (let v = lo; v < hi; v++) {
              const dx = xi - sx[v]!;
              const dy = yi - sy[v]!;
              const d2 = dx * dx + dy * dy;
              if (d2 > ri2 && d2 > sReach2[v]!) continue;
              // pair() written out: a call per candidate costs a third of the rebuild.
              const j = order[v]!;
              const iCan = iWatch && (roles[j]! & Role.Marker) !== 0 && (interest[i]! & tags[j]!) !== 0;
              const jCan = iMark && (roles[j]! & Role.Watcher) !== 0 && (interest[j]! & tags[i]!) !== 0;
              let f = 0;
              if (mark[j] === epoch) {
                // i is the pair's a when the mark is not complemented (see SegmentMarks.markOld).
                const seg = segments[markSeg[j]!]!;
                const p = markPair[j]!;
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
              if (f !== 0) spare.push(i, j, f);
            }
          }
        }
      }
    }
  }
}
