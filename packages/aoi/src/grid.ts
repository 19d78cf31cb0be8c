// Hot loops over typed arrays: every index is bounded by a count kept beside the arrays, so the non-null assertion
// on an indexed read states that invariant (noUncheckedIndexedAccess) instead of a check per element in inner loops.
import type { AoiAlgorithm, DirtySet } from './algorithm.js';
import { type EntityStore, Role } from './entity-store.js';
import type { TransitionBuffer } from './event-queue.js';
import { cellHash, HashGrid } from './hash-grid.js';
import { leaveLimit, updateRunsWithHeight, viewLimit } from './height.js';
import { LateAdds } from './late-adds.js';
import { PairFlag, PairList } from './pair-list.js';
import { EventKind } from './types.js';
import { checkGridLength } from './validate.js';

const { ASeesB, BSeesA, ACan, BCan } = PairFlag;
/** Margin against rounding in `x / cellSize`, so a neighbour at exactly the reach is never one cell too far. */
export const EPS = 2 ** -20;

/**
 * Uniform grid with a neighbour list ("Verlet list" with a skin, as in molecular dynamics). A rebuild hashes every
 * entity into cells of edge `leave + skin` and stores each pair within `max(leave) + skin` (3x3 cells). Until some
 * entity has moved more than skin/2 from where it was at the rebuild, no other pair can come into view, so an update
 * only re-checks the stored pairs: a flat loop over typed arrays. An add inserts the new entity's pairs, found in
 * the cells of the last rebuild and among the entities added since ({@link LateAdds}); a leave radius larger than
 * the rebuild's largest, too many adds since the rebuild, and larger leave radii of existing entities force one.
 */
export class GridAlgorithm implements AoiAlgorithm {
  readonly name = 'grid';
  /** The cell edge of the last rebuild (0 before the first). */
  cellSize = 0;
  /** Full rebuilds so far (read by tests: an add must not force one). */
  rebuilds = 0;
  private pairs = new PairList();
  private spare = new PairList();
  private readonly grid = new HashGrid();
  private needsRebuild = true;
  private halfSkin2 = 0;
  private refX = new Float64Array(0);
  private refY = new Float64Array(0);
  private builtLeave = new Float64Array(0);
  private mark = new Int32Array(0);
  private markPair = new Int32Array(0);
  /** Per slot: where an entity's pairs were found: 0 not indexed (dead or just added), 1 built, 2 late add. */
  private where = new Uint8Array(0);
  private readonly late = new LateAdds();
  // What the last rebuild indexed by: its skin, largest leave radius and, for the dense grid, its bounds.
  private skin = 0;
  private builtMaxLeave = -1;
  private dense = false;
  private gx0 = 0;
  private gy0 = 0;
  private gw = 0;
  private gh = 0;
  private markEpoch = 0;
  private carried = new Int32Array(0);
  private pairStamp = new Int32Array(0);
  private stampEpoch = 0;
  // Scratch of the dense (bounded, unhashed) grid used by most rebuilds.
  private cellStart = new Int32Array(1);
  private cellOf = new Int32Array(0);
  private order = new Int32Array(0);
  private sx = new Float64Array(0);
  private sy = new Float64Array(0);
  private sReach2 = new Float64Array(0);

  constructor(
    private readonly store: EntityStore,
    private readonly options: { skin?: number; cellSize?: number } = {},
  ) {
    checkGridLength('skin', options.skin);
    checkGridLength('cellSize', options.cellSize);
    this.resize(store.capacity);
  }

  resize(capacity: number): void {
    const grow = <T extends Float64Array | Int32Array | Uint8Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.refX = grow(this.refX, new Float64Array(capacity));
    this.refY = grow(this.refY, new Float64Array(capacity));
    this.builtLeave = grow(this.builtLeave, new Float64Array(capacity));
    this.where = grow(this.where, new Uint8Array(capacity));
    this.mark = new Int32Array(capacity);
    this.markPair = new Int32Array(capacity);
    this.markEpoch = 0;
  }

  /** Nothing to do yet: the next update finds the new slot (alive, not indexed) in its dirty set. */
  added(): void {}

  rolesChanged(): void {
    this.needsRebuild = true;
  }

  remove(slot: number, out: TransitionBuffer): void {
    if (this.where[slot] === 2) this.late.delete(slot);
    this.where[slot] = 0;
    const list = this.pairs;
    const { a, b, flags, rowStart, rowPairs, lateHead, lateNext, builtCount } = list;
    const leaveAll = (p: number) => {
      const f = flags[p]!;
      if (f & ASeesB) out.push(a[p]!, b[p]!, EventKind.Leave);
      if (f & BSeesA) out.push(b[p]!, a[p]!, EventKind.Leave);
      flags[p] = 0;
    };
    if (slot < list.rowSlots) for (let q = rowStart[slot]!; q < rowStart[slot + 1]!; q++) leaveAll(rowPairs[q]!);
    if (slot < lateHead.length)
      for (let e = lateHead[slot]!; e !== -1; e = lateNext[e]!) leaveAll(builtCount + (e >> 1));
  }

  update(dirty: DirtySet, out: TransitionBuffer, moveEvents: boolean): void {
    if (!this.needsRebuild) this.checkDirty(dirty);
    if (this.needsRebuild) {
      this.rebuild(out, moveEvents ? dirty.moved : null);
      return;
    }
    const moved = moveEvents ? dirty.moved : null;
    if (dirty.count * 8 < this.store.count) this.updateRows(dirty, out, moved);
    else this.updateAll(out, moved);
  }

  /**
   * The hot loop: every stored pair, one distance, both directions. Pairs are walked in runs sharing the entity `a`
   * (see {@link PairList.runStart}), so its position and radii are read once per run.
   */
  private updateAll(out: TransitionBuffer, moved: Uint8Array | null): void {
    if (this.store.hasHeight) updateRunsWithHeight(this.store, this.pairs, out, moved);
    else this.updateRuns(out, moved);
    const { a, b, flags, count } = this.pairs;
    for (let p = this.pairs.builtCount; p < count; p++) this.recheck(p, a[p]!, b[p]!, flags[p]!, out, moved);
  }

  /** The 2D hot loop of {@link updateAll} (with height: `updateRunsWithHeight`). */
  private updateRuns(out: TransitionBuffer, moved: Uint8Array | null): void {
    const { x, y, view2, leave2 } = this.store;
    const { b, flags, runCount, runSlot, runStart } = this.pairs;
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
  private recheck(p: number, i: number, j: number, f: number, out: TransitionBuffer, moved: Uint8Array | null): void {
    if (f === 0) return;
    const store = this.store;
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
    if (g !== f) this.pairs.flags[p] = g;
  }

  /** Few dirty entities: only their rows, each pair once (a pair of two dirty entities is in both rows). */
  private updateRows(dirty: DirtySet, out: TransitionBuffer, moved: Uint8Array | null): void {
    const { alive } = this.store;
    const { a, b, flags, rowStart, rowPairs, rowSlots, count, lateHead, lateNext, builtCount } = this.pairs;
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
          this.recheck(p, a[p]!, b[p]!, flags[p]!, out, moved);
        }
      }
      if (s >= lateHead.length) continue;
      for (let e = lateHead[s]!; e !== -1; e = lateNext[e]!) {
        const p = builtCount + (e >> 1);
        if (stamp[p] === epoch) continue;
        stamp[p] = epoch;
        this.recheck(p, a[p]!, b[p]!, flags[p]!, out, moved);
      }
    }
  }

  /**
   * One pass over the dirty set decides whether this update needs a rebuild: an entity moved more than half the skin
   * from its reference position or has a larger leave radius than at the rebuild, or an add cannot be inserted.
   * Otherwise it inserts the pairs of the entities added since the last update (alive, not indexed yet) without a
   * rebuild, with the current position as their reference: the pairs within either entity's reach, found in the last
   * rebuild's cells (reference positions) and among the earlier late adds. Their view bits start clear; the update
   * that follows evaluates them like every pair of a dirty entity. An add forces a rebuild when it reaches beyond the
   * built cells, lies where cell indices would leave 2^30, or adds piled up.
   */
  private checkDirty(dirty: DirtySet): void {
    const { alive, x, y, leave } = this.store;
    const { refX, refY, builtLeave, halfSkin2, where, builtMaxLeave } = this;
    const limit = this.cellSize * 2 ** 30;
    let adds = 0;
    for (let k = 0; k < dirty.count; k++) {
      const s = dirty.slots[k]!;
      if (alive[s] === 0) continue;
      if (where[s] === 0) {
        if (!(leave[s]! <= builtMaxLeave && Math.abs(x[s]!) < limit && Math.abs(y[s]!) < limit)) {
          this.needsRebuild = true;
          return;
        }
        adds++;
        continue;
      }
      const dx = x[s]! - refX[s]!;
      const dy = y[s]! - refY[s]!;
      if (dx * dx + dy * dy > halfSkin2 || leave[s]! > builtLeave[s]!) {
        this.needsRebuild = true;
        return;
      }
    }
    if (adds === 0) return;
    // Late pairs sit outside the runs of the hot loop; past a quarter of the world a rebuild is the better deal.
    if (this.late.count + adds > 256 + (this.store.count >> 2)) {
      this.needsRebuild = true;
      return;
    }
    for (let k = 0; k < dirty.count; k++) {
      const s = dirty.slots[k]!;
      if (alive[s] !== 0 && where[s] === 0) this.insertOne(s);
    }
  }

  private insertOne(i: number): void {
    const { x, y, leave } = this.store;
    const { refX, refY, builtLeave, where, late, grid, cellSize: cell } = this;
    refX[i] = x[i]!;
    refY[i] = y[i]!;
    builtLeave[i] = leave[i]!;
    const reach = leave[i]! + this.skin;
    const gx = Math.floor(x[i]! / cell);
    const gy = Math.floor(y[i]! / cell);
    const k = this.dense ? 1 : Math.floor((this.builtMaxLeave + this.skin) / cell + EPS) + 1;
    const gridScan = grid.nextScan();
    const lateScan = late.nextScan();
    for (let oy = -k; oy <= k; oy++) {
      for (let ox = -k; ox <= k; ox++) {
        if (this.dense) {
          const cx = gx + ox - this.gx0;
          const cy = gy + oy - this.gy0;
          if (cx >= 0 && cx < this.gw && cy >= 0 && cy < this.gh) {
            const c = cy * this.gw + cx;
            for (let u = this.cellStart[c]!; u < this.cellStart[c + 1]!; u++)
              this.pairWith(i, this.order[u]!, reach, 1);
          }
        } else {
          const h = cellHash(gx + ox, gy + oy, grid.mask);
          if (grid.claim(h, gridScan))
            for (let n = grid.start[h]!; n < grid.start[h + 1]!; n++) this.pairWith(i, grid.items[n]!, reach, 1);
        }
        const h = cellHash(gx + ox, gy + oy, late.mask);
        if (late.claim(h, lateScan))
          for (let j = late.head[h]!; j !== -1; j = late.next[j]!) this.pairWith(i, j, reach, 2);
      }
    }
    where[i] = 2;
    late.insert(i, gx, gy, this.store.capacity);
  }

  /**
   * Stores pair (i, j) when j is within the reach of either, by reference positions, and is indexed where it was
   * found (`from`: 1 the built cells, 2 the late adds): a slot removed and added again since the rebuild is still
   * in the built cells at its old place.
   */
  private pairWith(i: number, j: number, reach: number, from: number): void {
    if (this.where[j] !== from) return;
    const { refX, refY, builtLeave } = this;
    const dx = refX[i]! - refX[j]!;
    const dy = refY[i]! - refY[j]!;
    const d2 = dx * dx + dy * dy;
    const rj = builtLeave[j]! + this.skin;
    if (d2 > reach * reach && d2 > rj * rj) return;
    const { roles, tags, interest } = this.store;
    const iCan = (roles[i]! & Role.Watcher) !== 0 && (roles[j]! & Role.Marker) !== 0 && (interest[i]! & tags[j]!) !== 0;
    const jCan = (roles[j]! & Role.Watcher) !== 0 && (roles[i]! & Role.Marker) !== 0 && (interest[j]! & tags[i]!) !== 0;
    if (iCan || jCan) this.pairs.append(i, j, (iCan ? ACan : 0) | (jCan ? BCan : 0), this.store.capacity);
  }

  private nextMark(): number {
    if (this.markEpoch === 0x7fffffff) {
      this.mark.fill(0);
      this.markEpoch = 0;
    }
    return ++this.markEpoch;
  }

  /**
   * New grid and pair list from the current positions. Each pair's view bits are carried over from the old list,
   * re-evaluated, and old pairs that are now too far apart to be stored leave.
   */
  private rebuild(out: TransitionBuffer, moved: Uint8Array | null): void {
    this.rebuilds++;
    const store = this.store;
    const { alive, x, y, leave } = store;
    const end = store.end;
    let maxLeave = 0;
    let maxAbs = 0;
    let minX = Infinity;
    let maxX = -Infinity;
    let minY = Infinity;
    let maxY = -Infinity;
    for (let s = 0; s < end; s++) {
      if (alive[s] === 0) continue;
      if (leave[s]! > maxLeave) maxLeave = leave[s]!;
      const xs = x[s]!;
      const ys = y[s]!;
      if (xs < minX) minX = xs;
      if (xs > maxX) maxX = xs;
      if (ys < minY) minY = ys;
      if (ys > maxY) maxY = ys;
    }
    maxAbs = Math.max(Math.abs(minX), Math.abs(maxX), Math.abs(minY), Math.abs(maxY));
    if (!(maxAbs < Infinity)) maxAbs = 0;
    const skin = this.options.skin ?? 0.25 * maxLeave;
    const reachMax = maxLeave + skin;
    // Cell indices stay below 2^30 (so `x / cell` is exact to well within EPS) and a scan spans at most 33x33 cells.
    const cell = Math.max(
      this.options.cellSize ?? reachMax * (1 + EPS),
      reachMax / 16,
      maxAbs * 2 ** -30,
      Number.MIN_VALUE * 2 ** 60,
    );
    this.cellSize = cell;
    this.skin = skin;
    this.builtMaxLeave = maxLeave;
    this.halfSkin2 = (skin / 2) * (skin / 2);
    const old = this.pairs;
    const cur = this.spare;
    cur.count = 0;
    if (this.carried.length < old.count) this.carried = new Int32Array(Math.max(old.count, this.carried.length * 2));
    const carried = this.carried;
    carried.fill(0, 0, old.count);
    this.dense = this.scanDense(cell, skin, reachMax, minX, maxX, minY, maxY, out, moved);
    if (!this.dense) this.scanHashed(cell, skin, out, moved);
    for (let p = 0; p < old.count; p++) {
      const f = old.flags[p]!;
      if (carried[p] === 1 || (f & (ASeesB | BSeesA)) === 0) continue;
      if (f & ASeesB) out.push(old.a[p]!, old.b[p]!, EventKind.Leave);
      if (f & BSeesA) out.push(old.b[p]!, old.a[p]!, EventKind.Leave);
    }
    const { refX, refY, builtLeave, where } = this;
    for (let s = 0; s < end; s++) {
      refX[s] = x[s]!;
      refY[s] = y[s]!;
      builtLeave[s] = leave[s]!;
      where[s] = alive[s]!;
    }
    this.late.clear(256 + (store.count >> 3));
    cur.buildRows(end);
    this.pairs = cur;
    this.spare = old;
    this.needsRebuild = false;
  }

  /**
   * Fast path of {@link rebuild} when every reach fits in one cell (3x3 neighbourhood) and the occupied cells form
   * a small enough rectangle: a bounded grid indexed directly (no hashing), entities counting-sorted by cell with
   * their coordinates copied in that order, and each unordered pair of cells visited once (the half neighbourhood:
   * same cell, then right, and the three cells of the next row). A pair is stored when it is within the reach of
   * either entity, exactly as the hashed scan does. Returns false (and does nothing) when not applicable.
   */
  private scanDense(
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
    const store = this.store;
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
    const old = this.pairs;
    const cur = this.spare;
    const carried = this.carried;
    const { mark, markPair } = this;
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
          const epoch = this.nextMark();
          if (i < rowSlots) {
            for (let q = rowStart[i]!; q < rowStart[i + 1]!; q++) {
              const p = rowPairs[q]!;
              if (oflags[p] === 0) continue;
              const other = oa[p] === i ? ob[p]! : oa[p]!;
              mark[other] = epoch;
              markPair[other] = p;
            }
          }
          if (i < old.lateHead.length && old.lateHead[i] !== -1) this.markLate(old, i, epoch);
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

  /** Marks the partners of i's late pairs in `old` (the rebuild's carry-over of their view bits). */
  private markLate(old: PairList, i: number, epoch: number): void {
    const { mark, markPair } = this;
    for (let e = old.lateHead[i]!; e !== -1; e = old.lateNext[e]!) {
      const p = old.builtCount + (e >> 1);
      if (old.flags[p] === 0) continue;
      mark[old.a[p] === i ? old.b[p]! : old.a[p]!] = epoch;
      markPair[old.a[p] === i ? old.b[p]! : old.a[p]!] = p;
    }
  }

  /** General pair scan over the hashed grid: each entity scans the cells within its own reach. */
  private scanHashed(cell: number, skin: number, out: TransitionBuffer, moved: Uint8Array | null): void {
    const store = this.store;
    const { alive, x, y, leave, view2, leave2, roles, tags, interest, hasHeight: height } = store;
    const end = store.end;
    const grid = this.grid;
    grid.build(store, cell);
    const { start, items, mask } = grid;
    const old = this.pairs;
    const cur = this.spare;
    const carried = this.carried;
    const { mark, markPair } = this;
    for (let i = 0; i < end; i++) {
      if (alive[i] === 0) continue;
      const epoch = this.nextMark();
      if (i < old.rowSlots) {
        for (let q = old.rowStart[i]!; q < old.rowStart[i + 1]!; q++) {
          const p = old.rowPairs[q]!;
          if (old.flags[p] === 0) continue;
          const other = old.a[p] === i ? old.b[p]! : old.a[p]!;
          mark[other] = epoch;
          markPair[other] = p;
        }
      }
      if (i < old.lateHead.length && old.lateHead[i] !== -1) this.markLate(old, i, epoch);
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

  forEachSeen(w: number, fn: (target: number) => void): void {
    this.forEachRow(w, (p, isA) => {
      const f = this.pairs.flags[p]!;
      if (f & (isA ? ASeesB : BSeesA)) fn(isA ? this.pairs.b[p]! : this.pairs.a[p]!);
    });
  }

  forEachWatcher(t: number, fn: (watcher: number) => void): void {
    this.forEachRow(t, (p, isA) => {
      const f = this.pairs.flags[p]!;
      if (f & (isA ? BSeesA : ASeesB)) fn(isA ? this.pairs.b[p]! : this.pairs.a[p]!);
    });
  }

  private forEachRow(slot: number, fn: (pair: number, isA: boolean) => void): void {
    const list = this.pairs;
    if (slot < list.rowSlots) {
      for (let q = list.rowStart[slot]!; q < list.rowStart[slot + 1]!; q++) {
        const p = list.rowPairs[q]!;
        fn(p, list.a[p] === slot);
      }
    }
    if (slot >= list.lateHead.length) return;
    for (let e = list.lateHead[slot]!; e !== -1; e = list.lateNext[e]!) {
      const p = list.builtCount + (e >> 1);
      fn(p, list.a[p] === slot);
    }
  }
}

/** One direction of a pair under the hysteresis rule; returns the new flags. Shared with the parallel grid. */
export function step(
  f: number,
  bit: number,
  w: number,
  t: number,
  d2: number,
  view2: number,
  leave2: number,
  targetMoved: boolean,
  out: TransitionBuffer,
): number {
  if (f & bit) {
    if (d2 > leave2) {
      out.push(w, t, EventKind.Leave);
      return f ^ bit;
    }
    if (targetMoved) out.push(w, t, EventKind.Move);
    return f;
  }
  if (d2 <= view2) {
    out.push(w, t, EventKind.Enter);
    return f | bit;
  }
  return f;
}
