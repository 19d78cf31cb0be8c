// Hot loops over typed arrays: every index is bounded by a count kept beside the arrays, so the non-null assertion
// on an indexed read states that invariant (noUncheckedIndexedAccess) instead of a check per element in inner loops.
import type { AoiAlgorithm, DirtySet } from './algorithm.js';
import { EPS } from './cell-margin.js';
import { DenseGrid } from './dense-grid.js';
import { type EntityStore, Role } from './entity-store.js';
import type { TransitionBuffer } from './event-queue.js';
import { DirtyRows, recheck, updateRuns } from './grid-update.js';
import { cellHash, HashGrid } from './hash-grid.js';
import { scanHashed } from './hashed-scan.js';
import { updateRunsWithHeight } from './height.js';
import { LateAdds } from './late-adds.js';
import { PairFlag, PairList } from './pair-list.js';
import { RebuildMarks } from './rebuild-marks.js';
import { EventKind } from './types.js';
import { checkGridLength } from './validate.js';

const { ASeesB, BSeesA, ACan, BCan } = PairFlag;

/**
 * Uniform grid with a neighbour list ("Verlet list" with a skin, as in molecular dynamics). A rebuild hashes every
 * entity into cells of edge `leave + skin` and stores each pair within `max(leave) + skin` (3x3 cells). Until some
 * entity has moved more than skin/2 from where it was at the rebuild, no other pair can come into view, so an update
 * only re-checks the stored pairs: a flat loop over typed arrays. An add inserts the new entity's pairs, found in
 * the cells of the last rebuild and among the entities added since ({@link LateAdds}); a leave radius larger than
 * the rebuild's largest, too many adds since the rebuild, and larger leave radii of existing entities force one.
 * Here: the rebuild rule, the adds and the queries; the rebuild's scans are `dense-grid.ts` and `hashed-scan.ts`
 * (carrying the view bits over with `rebuild-marks.ts`), the update between rebuilds is `grid-update.ts`.
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
  /** Per slot: where an entity's pairs were found: 0 not indexed (dead or just added), 1 built, 2 late add. */
  private where = new Uint8Array(0);
  private readonly late = new LateAdds();
  // What the last rebuild indexed by: its skin, largest leave radius and, when it used the dense grid, that grid.
  private skin = 0;
  private builtMaxLeave = -1;
  private dense = false;
  private readonly denseGrid = new DenseGrid();
  private readonly marks = new RebuildMarks();
  private readonly dirtyRows = new DirtyRows();

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
    this.marks.resize(capacity);
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
    if (dirty.count * 8 < this.store.count) this.dirtyRows.update(this.store, this.pairs, dirty, out, moved);
    else this.updateAll(out, moved);
  }

  /**
   * The hot loop: every stored pair, one distance, both directions. Pairs are walked in runs sharing the entity `a`
   * (see {@link PairList.runStart}; `grid-update.ts`), so its position and radii are read once per run.
   */
  private updateAll(out: TransitionBuffer, moved: Uint8Array | null): void {
    if (this.store.hasHeight) updateRunsWithHeight(this.store, this.pairs, out, moved);
    else updateRuns(this.store, this.pairs, out, moved);
    const { a, b, flags, count } = this.pairs;
    for (let p = this.pairs.builtCount; p < count; p++)
      recheck(this.store, this.pairs, p, a[p]!, b[p]!, flags[p]!, out, moved);
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
    const { refX, refY, builtLeave, where, late, grid, cellSize: cell, denseGrid: dense } = this;
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
          const cx = gx + ox - dense.gx0;
          const cy = gy + oy - dense.gy0;
          if (cx >= 0 && cx < dense.gw && cy >= 0 && cy < dense.gh) {
            const c = cy * dense.gw + cx;
            for (let u = dense.cellStart[c]!; u < dense.cellStart[c + 1]!; u++)
              this.pairWith(i, dense.order[u]!, reach, 1);
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
    const marks = this.marks;
    marks.begin(old.count);
    this.dense = this.denseGrid.scan(store, old, cur, marks, cell, skin, reachMax, minX, maxX, minY, maxY, out, moved);
    if (!this.dense) scanHashed(store, this.grid, old, cur, marks, cell, skin, out, moved);
    const carried = marks.carried;
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
