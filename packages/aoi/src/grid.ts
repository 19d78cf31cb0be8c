import type { AoiAlgorithm, DirtySet } from './algorithm.js';
import { type EntityStore, Role } from './entity-store.js';
import { AoiError, AoiErrorCode } from './errors.js';
import type { TransitionBuffer } from './event-queue.js';
import { cellHash, HashGrid } from './hash-grid.js';
import { PairFlag, PairList } from './pair-list.js';
import { EventKind } from './types.js';

const { ASeesB, BSeesA, ACan, BCan } = PairFlag;
/** Margin against rounding in `x / cellSize`, so a neighbour at exactly the reach is never one cell too far. */
const EPS = 2 ** -20;

/**
 * Uniform grid with a neighbour list ("Verlet list" with a skin, as in molecular dynamics). A rebuild hashes every
 * entity into cells of edge `leave + skin` and stores each pair within `max(leave) + skin` (3x3 cells). Until some
 * entity has moved more than skin/2 from where it was at the rebuild, no other pair can come into view, so an update
 * only re-checks the stored pairs: a flat loop over typed arrays. Adds and larger leave radii force a rebuild.
 */
export class GridAlgorithm implements AoiAlgorithm {
  readonly name = 'grid';
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
  private markEpoch = 0;
  private carried = new Int32Array(0);
  private pairStamp = new Int32Array(0);
  private stampEpoch = 0;

  constructor(
    private readonly store: EntityStore,
    private readonly options: { skin?: number; cellSize?: number } = {},
  ) {
    const { skin, cellSize } = options;
    if (skin !== undefined && !(Number.isFinite(skin) && skin >= 0)) {
      throw new AoiError(AoiErrorCode.InvalidOption, `skin must be a finite number >= 0, got ${String(skin)}.`);
    }
    if (cellSize !== undefined && !(Number.isFinite(cellSize) && cellSize > 0)) {
      throw new AoiError(AoiErrorCode.InvalidOption, `cellSize must be a finite number > 0, got ${String(cellSize)}.`);
    }
    this.resize(store.capacity);
  }

  resize(capacity: number): void {
    const grow = <T extends Float64Array | Int32Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.refX = grow(this.refX, new Float64Array(capacity));
    this.refY = grow(this.refY, new Float64Array(capacity));
    this.builtLeave = grow(this.builtLeave, new Float64Array(capacity));
    this.mark = new Int32Array(capacity);
    this.markPair = new Int32Array(capacity);
    this.markEpoch = 0;
  }

  added(): void {
    this.needsRebuild = true;
  }

  rolesChanged(): void {
    this.needsRebuild = true;
  }

  remove(slot: number, out: TransitionBuffer): void {
    const list = this.pairs;
    if (slot >= list.rowSlots) return;
    const { a, b, flags, rowStart, rowPairs } = list;
    for (let q = rowStart[slot]!; q < rowStart[slot + 1]!; q++) {
      const p = rowPairs[q]!;
      const f = flags[p]!;
      if (f & ASeesB) out.push(a[p]!, b[p]!, EventKind.Leave);
      if (f & BSeesA) out.push(b[p]!, a[p]!, EventKind.Leave);
      flags[p] = 0;
    }
  }

  update(dirty: DirtySet, out: TransitionBuffer, moveEvents: boolean): void {
    if (!this.needsRebuild && this.anyBeyondSkin(dirty)) this.needsRebuild = true;
    if (this.needsRebuild) {
      this.rebuild(out, moveEvents ? dirty.moved : null);
      return;
    }
    const moved = moveEvents ? dirty.moved : null;
    if (dirty.count * 8 < this.store.count) this.updateRows(dirty, out, moved);
    else this.updateAll(out, moved);
  }

  private anyBeyondSkin(dirty: DirtySet): boolean {
    const { alive, x, y, leave } = this.store;
    const { refX, refY, builtLeave, halfSkin2 } = this;
    for (let i = 0; i < dirty.count; i++) {
      const s = dirty.slots[i]!;
      if (alive[s] === 0) continue;
      const dx = x[s]! - refX[s]!;
      const dy = y[s]! - refY[s]!;
      if (dx * dx + dy * dy > halfSkin2 || leave[s]! > builtLeave[s]!) return true;
    }
    return false;
  }

  /** The hot loop: every stored pair, one distance, both directions. */
  private updateAll(out: TransitionBuffer, moved: Uint8Array | null): void {
    const { x, y, view2, leave2 } = this.store;
    const { a, b, flags, count } = this.pairs;
    for (let p = 0; p < count; p++) {
      const f = flags[p]!;
      if (f === 0) continue;
      const i = a[p]!;
      const j = b[p]!;
      const dx = x[i]! - x[j]!;
      const dy = y[i]! - y[j]!;
      const d2 = dx * dx + dy * dy;
      let g = f;
      if (f & ACan) {
        if (f & ASeesB) {
          if (d2 > leave2[i]!) {
            g ^= ASeesB;
            out.push(i, j, EventKind.Leave);
          } else if (moved !== null && moved[j] === 1) out.push(i, j, EventKind.Move);
        } else if (d2 <= view2[i]!) {
          g |= ASeesB;
          out.push(i, j, EventKind.Enter);
        }
      }
      if (f & BCan) {
        if (f & BSeesA) {
          if (d2 > leave2[j]!) {
            g ^= BSeesA;
            out.push(j, i, EventKind.Leave);
          } else if (moved !== null && moved[i] === 1) out.push(j, i, EventKind.Move);
        } else if (d2 <= view2[j]!) {
          g |= BSeesA;
          out.push(j, i, EventKind.Enter);
        }
      }
      if (g !== f) flags[p] = g;
    }
  }

  /** Few dirty entities: only their rows, each pair once (a pair of two dirty entities is in both rows). */
  private updateRows(dirty: DirtySet, out: TransitionBuffer, moved: Uint8Array | null): void {
    const { x, y, view2, leave2, alive } = this.store;
    const { a, b, flags, rowStart, rowPairs, rowSlots, count } = this.pairs;
    if (this.pairStamp.length < count) this.pairStamp = new Int32Array(Math.max(count, this.pairStamp.length * 2));
    if (this.stampEpoch === 0x7fffffff) {
      this.pairStamp.fill(0);
      this.stampEpoch = 0;
    }
    const epoch = ++this.stampEpoch;
    const stamp = this.pairStamp;
    for (let k = 0; k < dirty.count; k++) {
      const s = dirty.slots[k]!;
      if (alive[s] === 0 || s >= rowSlots) continue;
      for (let q = rowStart[s]!; q < rowStart[s + 1]!; q++) {
        const p = rowPairs[q]!;
        const f = flags[p]!;
        if (f === 0 || stamp[p] === epoch) continue;
        stamp[p] = epoch;
        const i = a[p]!;
        const j = b[p]!;
        const dx = x[i]! - x[j]!;
        const dy = y[i]! - y[j]!;
        const d2 = dx * dx + dy * dy;
        let g = f;
        if (f & ACan) g = step(g, ASeesB, i, j, d2, view2[i]!, leave2[i]!, moved !== null && moved[j] === 1, out);
        if (f & BCan) g = step(g, BSeesA, j, i, d2, view2[j]!, leave2[j]!, moved !== null && moved[i] === 1, out);
        if (g !== f) flags[p] = g;
      }
    }
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
    const store = this.store;
    const { alive, x, y, leave, view2, leave2, roles, tags, interest } = store;
    const end = store.end;
    let maxLeave = 0;
    let maxAbs = 0;
    for (let s = 0; s < end; s++) {
      if (alive[s] === 0) continue;
      if (leave[s]! > maxLeave) maxLeave = leave[s]!;
      const m = Math.max(Math.abs(x[s]!), Math.abs(y[s]!));
      if (m > maxAbs) maxAbs = m;
    }
    const skin = this.options.skin ?? 0.25 * maxLeave;
    const reachMax = maxLeave + skin;
    // Cell indices stay below 2^30 (so `x / cell` is exact to well within EPS) and a scan spans at most 33x33 cells.
    const cell = Math.max(
      this.options.cellSize ?? reachMax * (1 + EPS),
      reachMax / 16,
      maxAbs * 2 ** -30,
      Number.MIN_VALUE * 2 ** 60,
    );
    this.halfSkin2 = (skin / 2) * (skin / 2);
    const grid = this.grid;
    grid.build(store, cell);
    const { start, items, mask } = grid;
    const old = this.pairs;
    const cur = this.spare;
    cur.count = 0;
    if (this.carried.length < old.count) this.carried = new Int32Array(Math.max(old.count, this.carried.length * 2));
    const carried = this.carried;
    carried.fill(0, 0, old.count);
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
              f = step(f | ACan, ASeesB, i, j, d2, view2[i]!, leave2[i]!, moved !== null && moved[j] === 1, out);
            else if (f & ASeesB) {
              f ^= ASeesB;
              out.push(i, j, EventKind.Leave);
            }
            if (jCan)
              f = step(f | BCan, BSeesA, j, i, d2, view2[j]!, leave2[j]!, moved !== null && moved[i] === 1, out);
            else if (f & BSeesA) {
              f ^= BSeesA;
              out.push(j, i, EventKind.Leave);
            }
            if (f !== 0) cur.push(i, j, f);
          }
        }
      }
    }
    for (let p = 0; p < old.count; p++) {
      const f = old.flags[p]!;
      if (carried[p] === 1 || (f & (ASeesB | BSeesA)) === 0) continue;
      if (f & ASeesB) out.push(old.a[p]!, old.b[p]!, EventKind.Leave);
      if (f & BSeesA) out.push(old.b[p]!, old.a[p]!, EventKind.Leave);
    }
    const { refX, refY, builtLeave } = this;
    for (let s = 0; s < end; s++) {
      refX[s] = x[s]!;
      refY[s] = y[s]!;
      builtLeave[s] = leave[s]!;
    }
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
    if (slot >= list.rowSlots) return;
    for (let q = list.rowStart[slot]!; q < list.rowStart[slot + 1]!; q++) {
      const p = list.rowPairs[q]!;
      fn(p, list.a[p] === slot);
    }
  }
}

/** One direction of a pair under the hysteresis rule; returns the new flags. */
function step(
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
