// Hot loops over typed arrays: every index is bounded by a count kept beside the arrays, so the non-null assertion
// on an indexed read states that invariant (noUncheckedIndexedAccess) instead of a check per element in inner loops.
import { EPS } from './cell-margin.js';
import { type EntityStore, Role } from './entity-store.js';
import type { TransitionBuffer } from './event-queue.js';
import { leaveLimit, viewLimit } from './height.js';
import { step } from './hysteresis-step.js';
import { PairFlag, type PairList } from './pair-list.js';
import type { RebuildMarks } from './rebuild-marks.js';
import { EventKind } from './types.js';

const { ASeesB, BSeesA, ACan, BCan } = PairFlag;

/**
 * The dense (bounded, unhashed) grid most rebuilds index by: its bounds in cells and the entities counting-sorted
 * by cell, kept until the next rebuild (an add between rebuilds finds its pairs in these cells).
 */
export class DenseGrid {
  gx0 = 0;
  gy0 = 0;
  gw = 0;
  gh = 0;
  cellStart = new Int32Array(1);
  order = new Int32Array(0);
  private cellOf = new Int32Array(0);
  private sx = new Float64Array(0);
  private sy = new Float64Array(0);
  private sReach2 = new Float64Array(0);

  /**
   * The fast path of the grid's rebuild when every reach fits in one cell (3x3 neighbourhood) and the occupied cells form
   * a small enough rectangle: a bounded grid indexed directly (no hashing), entities counting-sorted by cell with
   * their coordinates copied in that order, and each unordered pair of cells visited once (the half neighbourhood:
   * same cell, then right, and the three cells of the next row). A pair is stored when it is within the reach of
   * either entity, exactly as the hashed scan does. Returns false (and does nothing) when not applicable.
   */
  scan(
    store: EntityStore,
    old: PairList,
    cur: PairList,
    marks: RebuildMarks,
    cell: number,
    skin: number,
    reachMax: number,
    minX: number,
    maxX: number,
    minY: number,
    maxY: number,
    out: TransitionBuffer,
    moved: Uint8Array | null,
  ): boolean {
    const { alive, x, y, leave, view2, leave2, roles, tags, interest, hasHeight: height } = store;
    const end = store.end;
    const n = store.count;
    // Two entities within reachMax of each other are at most one cell apart: the margin EPS / 2 covers the rounding
    // of `x / cell` (cell indices stay below 2^30, so each quotient is off by less than 2^-23).
    if (n === 0 || !(reachMax <= cell * (1 - EPS / 2))) return false;
    const gx0 = Math.floor(minX / cell);
    const gy0 = Math.floor(minY / cell);
    const w = Math.floor(maxX / cell) - gx0 + 1;
    const h = Math.floor(maxY / cell) - gy0 + 1;
    if (!(w * h <= 4 * n + 1024)) return false;
    this.gx0 = gx0;
    this.gy0 = gy0;
    this.gw = w;
    this.gh = h;
    const cells = w * h;
    if (this.cellStart.length < cells + 1)
      this.cellStart = new Int32Array(Math.max(cells + 1, this.cellStart.length * 2));
    if (this.cellOf.length < end) this.cellOf = new Int32Array(Math.max(end, this.cellOf.length * 2));
    if (this.order.length < n) {
      const size = Math.max(n, this.order.length * 2);
      this.order = new Int32Array(size);
      this.sx = new Float64Array(size);
      this.sy = new Float64Array(size);
      this.sReach2 = new Float64Array(size);
    }
    const { cellStart, cellOf, order, sx, sy, sReach2 } = this;
    cellStart.fill(0, 0, cells + 1);
    for (let s = 0; s < end; s++) {
      if (alive[s] === 0) continue;
      const c = (Math.floor(y[s]! / cell) - gy0) * w + (Math.floor(x[s]! / cell) - gx0);
      cellOf[s] = c;
      cellStart[c + 1]!++;
    }
    for (let c = 0; c < cells; c++) cellStart[c + 1]! += cellStart[c]!;
    for (let s = 0; s < end; s++) {
      if (alive[s] === 0) continue;
      const q = cellStart[cellOf[s]!]!++;
      order[q] = s;
      sx[q] = x[s]!;
      sy[q] = y[s]!;
      const r = leave[s]! + skin;
      sReach2[q] = r * r;
    }
    for (let c = cells; c > 0; c--) cellStart[c] = cellStart[c - 1]!;
    cellStart[0] = 0;
    const { mark, markPair, carried } = marks;
    const { rowSlots, rowStart, rowPairs } = old;
    const oa = old.a;
    const ob = old.b;
    const oflags = old.flags;
    for (let cy = 0; cy < h; cy++) {
      for (let cx = 0; cx < w; cx++) {
        const c = cy * w + cx;
        const cEnd = cellStart[c + 1]!;
        for (let u = cellStart[c]!; u < cEnd; u++) {
          const i = order[u]!;
          const epoch = marks.next();
          if (i < rowSlots) {
            for (let q = rowStart[i]!; q < rowStart[i + 1]!; q++) {
              const p = rowPairs[q]!;
              if (oflags[p] === 0) continue;
              const other = oa[p] === i ? ob[p]! : oa[p]!;
              mark[other] = epoch;
              markPair[other] = p;
            }
          }
          if (i < old.lateHead.length && old.lateHead[i] !== -1) marks.markLate(old, i, epoch);
          const xi = sx[u]!;
          const yi = sy[u]!;
          const ri2 = sReach2[u]!;
          const iWatch = (roles[i]! & Role.Watcher) !== 0;
          const iMark = (roles[i]! & Role.Marker) !== 0;
          // Neighbour ranges: the rest of this cell, the cell to the right, then the three cells below.
          for (let part = 0; part < 5; part++) {
            let from: number;
            let to: number;
            if (part === 0) {
              from = u + 1;
              to = cEnd;
            } else if (part === 1) {
              if (cx + 1 >= w) continue;
              from = cEnd;
              to = cellStart[c + 2]!;
            } else {
              const nx = cx + part - 3;
              if (cy + 1 >= h || nx < 0 || nx >= w) continue;
              const d = c + w + part - 3;
              from = cellStart[d]!;
              to = cellStart[d + 1]!;
            }
            for (let v = from; v < to; v++) {
              const dx = xi - sx[v]!;
              const dy = yi - sy[v]!;
              const d2 = dx * dx + dy * dy;
              if (d2 > ri2 && d2 > sReach2[v]!) continue;
              const j = order[v]!;
              const iCan = iWatch && (roles[j]! & Role.Marker) !== 0 && (interest[i]! & tags[j]!) !== 0;
              const jCan = iMark && (roles[j]! & Role.Watcher) !== 0 && (interest[j]! & tags[i]!) !== 0;
              let f = 0;
              if (mark[j] === epoch) {
                const p = markPair[j]!;
                const of = oflags[p]!;
                f = oa[p] === i ? of & 3 : ((of & 1) << 1) | ((of & 2) >> 1);
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
    return true;
  }
}
