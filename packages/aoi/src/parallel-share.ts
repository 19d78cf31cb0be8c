// Hot loops over typed arrays: every index is bounded by a count kept beside the arrays, so the non-null assertion
// on an indexed read states that invariant (noUncheckedIndexedAccess) instead of a check per element in inner loops.

import { EPS } from './cell-margin.js';
import { EntityStore, MAX_SLOTS, Role } from './entity-store.js';
import { type SortScratch, sortKeys, TransitionBuffer } from './event-queue.js';
import { cellHash, HashGrid } from './hash-grid.js';
import { leaveLimit, updateRunsWithHeight, viewLimit } from './height.js';
import { step } from './hysteresis-step.js';
import { PairFlag, PairList } from './pair-list.js';
import { mergeDecodePart } from './parallel-merge.js';
import { lap, SharePhase, shareDone, shareStarted } from './parallel-phases.js';
import {
  barrier,
  type Command,
  Control,
  type DecodeArrays,
  type Reply,
  type ScanJob,
  type Segment,
  type Sync,
  slot,
} from './parallel-protocol.js';
import { EventKind } from './types.js';

const { ASeesB, BSeesA, ACan, BCan } = PairFlag;

/**
 * One worker's share of the parallel grid: the pairs its part of the last rebuild found (its segment), updated in
 * place every tick. Rebuilds read every worker's old segment (the view bits carry over wherever the pair was) and
 * write only this worker's new one, plus the `carried` byte of the old pairs found again.
 */
export class WorkerShare {
  private readonly store = new EntityStore(0);
  private segments: Segment[] = [];
  private cur: PairList = new PairList(true);
  private spare: PairList = new PairList(true);
  private curCarried = new Uint8Array(new SharedArrayBuffer(0));
  private spareCarried = new Uint8Array(new SharedArrayBuffer(0));
  private moved: Uint8Array | null = null;
  private movedBuffer: Uint8Array | null = null;
  private readonly out = new TransitionBuffer();
  private readonly scratch: SortScratch = { counts: new Int32Array(0), sorted: new Float64Array(0) };
  /** This worker's sorted keys of the last command, read by the main thread (see Reply). */
  private keysOut: Float64Array | null = null;
  private readonly grid = new HashGrid();
  private mark = new Int32Array(0);
  private markPair = new Int32Array(0);
  private markSeg = new Int32Array(0);
  private markEpoch = 0;
  private cellStart = new Int32Array(1);
  private cellOf = new Int32Array(0);
  private order = new Int32Array(0);
  private sx = new Float64Array(0);
  private sy = new Float64Array(0);
  private sReach2 = new Float64Array(0);

  /** The barriers this share has yet to pass in the current command: bit `1 << word` per control word. */
  private pending = 0;
  /** Every share's sorted-keys buffer, by share; the merged batch's arrays (see Sync). */
  private runs: Float64Array[] = [];
  private decode: DecodeArrays | null = null;
  /** The skin test's reference (see Sync.ref) and half the skin squared, from the last rebuild's job. */
  private refX: Float64Array = new Float64Array(0);
  private refY: Float64Array = new Float64Array(0);
  private refLeave: Float64Array = new Float64Array(0);
  private halfSkin2 = 0;

  /**
   * @param index this share's place in the segment list
   * @param control the shared control block, whose barrier the rebuild's shares meet at
   * @param parties shares that take part in a rebuild
   */
  constructor(
    private readonly index: number,
    private readonly control: Int32Array,
    private readonly parties: number,
  ) {}

  handle(command: Command): Reply {
    const row = 1 + this.index;
    shareStarted(this.index);
    // Every barrier, before anything can fail: releaseBarrier() then lets the other shares through whichever ones
    // this command has (counting at a barrier nobody meets this command is harmless: the caller resets them all).
    this.pending = (1 << Control.Barrier) | (1 << Control.BarrierSkin) | (1 << Control.BarrierMerge);
    const sync = command.sync;
    this.sync(sync);
    const control = this.control;
    let segment: Segment | undefined;
    if (command.op === 'all') {
      if (sync.checkSkin) {
        if (this.beyondSkin()) Atomics.store(control, Control.Beyond, 1);
        lap(row, SharePhase.Skin);
        this.meet(Control.BarrierSkin);
        lap(row, SharePhase.Barrier);
        if (Atomics.load(control, Control.Beyond) === 1) {
          // Someone's entity left its skin: the caller rebuilds instead, so nobody re-checks or merges.
          shareDone(this.index);
          return { count: 0 };
        }
      }
      this.updateAll();
      lap(row, SharePhase.Work);
    } else {
      this.halfSkin2 = (command.job.skin / 2) ** 2;
      this.scan(command.job);
      lap(row, SharePhase.Work);
      this.meet(Control.Barrier);
      lap(row, SharePhase.Barrier);
      segment = this.finish();
      lap(row, SharePhase.Finish);
    }
    // Sorted here, in parallel, so that the main thread only merges the workers' runs (a serial sort of every
    // event was most of its share of a tick).
    const count = this.out.count;
    const sorted = sortKeys(this.out.keys, count, this.store.end, this.scratch);
    lap(row, SharePhase.Sort);
    const reply: Reply = { count };
    if (this.keysOut === null || this.keysOut.length < count) {
      const size = Math.max(count, 2 * (this.keysOut?.length ?? 0), 1024);
      this.keysOut = new Float64Array(new SharedArrayBuffer(size * 8));
      reply.keys = this.keysOut;
      // The other shares do not know this buffer yet.
      Atomics.store(control, Control.NoMerge, 1);
    }
    this.keysOut.set(sorted.subarray(0, count));
    this.out.count = 0;
    lap(row, SharePhase.Copy);
    if (sync.merge) this.merge(count);
    shareDone(this.index);
    if (segment !== undefined) reply.segment = segment;
    return reply;
  }

  /**
   * After a failure: counts this share at every barrier of the command it had not passed, without waiting, so the
   * other shares go on (the caller fails the tick anyway), and calls the merge off (this share's run is not there).
   */
  releaseBarrier(): void {
    Atomics.store(this.control, Control.NoMerge, 1);
    for (const word of [Control.Barrier, Control.BarrierSkin, Control.BarrierMerge]) {
      if ((this.pending & (1 << word)) === 0) continue;
      Atomics.add(this.control, word, 1);
      Atomics.notify(this.control, word);
    }
    this.pending = 0;
  }

  /** Waits at the barrier counted in control word `word` (bit `1 << word` of `pending`). */
  private meet(word: number): void {
    barrier(this.control, this.parties, word);
    this.pending &= ~(1 << word);
  }

  /** Whether an entity of this share's slots is beyond its skin since the last rebuild (the caller's rule). */
  private beyondSkin(): boolean {
    const { alive, x, y, leave, end } = this.store;
    const { refX, refY, refLeave, halfSkin2 } = this;
    const to = Math.floor((end * (this.index + 1)) / this.parties);
    for (let s = Math.floor((end * this.index) / this.parties); s < to; s++) {
      if (alive[s] === 0) continue;
      const dx = x[s]! - refX[s]!;
      const dy = y[s]! - refY[s]!;
      if (dx * dx + dy * dy > halfSkin2 || leave[s]! > refLeave[s]!) return true;
    }
    return false;
  }

  /** Meets the others once every run is sorted, then merges and decodes this share's range of watcher slots. */
  private merge(count: number): void {
    const control = this.control;
    const at = slot(this.index);
    control[at + Control.RunCount] = count;
    this.meet(Control.BarrierMerge);
    const row = 1 + this.index;
    lap(row, SharePhase.Barrier);
    const decode = this.decode;
    if (Atomics.load(control, Control.NoMerge) === 1 || decode === null) return;
    const counts: number[] = [];
    let total = 0;
    for (let k = 0; k < this.parties; k++) {
      counts.push(control[slot(k) + Control.RunCount]!);
      total += counts[k]!;
    }
    // Too many for the caller's arrays: every share sees the same, and the caller merges (and grows them).
    if (total > decode.kinds.length) return;
    const runs = this.runs.slice();
    runs[this.index] = this.keysOut!;
    const end = this.store.end;
    const from = Math.floor((end * this.index) / this.parties);
    const to = this.index === this.parties - 1 ? MAX_SLOTS : Math.floor((end * (this.index + 1)) / this.parties);
    const { enters, leaves } = mergeDecodePart(runs, counts, from, to, this.store.ids, decode);
    control[at + Control.Enters] = enters;
    control[at + Control.Leaves] = leaves;
    lap(row, SharePhase.Merge);
  }

  private sync(sync: Sync): void {
    const store = this.store;
    if (sync.store !== undefined) Object.assign(store, sync.store);
    store.end = sync.end;
    store.count = sync.count;
    if (sync.moved !== undefined) this.movedBuffer = sync.moved;
    this.moved = sync.moveEvents ? this.movedBuffer : null;
    // A copy: finish() replaces this share's entry, and the caller's own share is handed the caller's array.
    if (sync.segments !== undefined) this.segments = sync.segments.slice();
    if (sync.runs !== undefined) this.runs = sync.runs;
    if (sync.decode !== undefined) this.decode = sync.decode;
    if (sync.ref !== undefined) {
      this.refX = sync.ref.x;
      this.refY = sync.ref.y;
      this.refLeave = sync.ref.leave;
    }
  }

  /** The hot loop of GridAlgorithm.updateAll over this worker's pairs. */
  private updateAll(): void {
    const out = this.out;
    const moved = this.moved;
    if (this.store.hasHeight) {
      updateRunsWithHeight(this.store, this.cur, out, moved);
      return;
    }
    const { x, y, view2, leave2 } = this.store;
    const { b, flags, runCount, runSlot, runStart } = this.cur;
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
        // step() written out twice, as in GridAlgorithm.updateAll: this loop is the whole tick.
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

  private scan(job: ScanJob): void {
    const end = this.store.end;
    if (this.mark.length < end) {
      const size = Math.max(end, this.mark.length * 2);
      this.mark = new Int32Array(size);
      this.markPair = new Int32Array(size);
      this.markSeg = new Int32Array(size);
      this.markEpoch = 0;
    }
    this.spare.count = 0;
    if (job.dense) this.scanDense(job);
    else this.scanHashed(job);
    this.spare.buildRows(end);
    if (this.spareCarried.length < this.spare.count) {
      this.spareCarried = new Uint8Array(
        new SharedArrayBuffer(Math.max(this.spare.count, 2 * this.spareCarried.length)),
      );
    } else this.spareCarried.fill(0, 0, this.spare.count);
  }

  /** Leaves of this worker's old pairs that no rebuild share found again; then the new pairs become current. */
  private finish(): Segment {
    const { a, b, flags, count } = this.cur;
    const carried = this.curCarried;
    const out = this.out;
    for (let p = 0; p < count; p++) {
      const f = flags[p]!;
      if (carried[p] === 1 || (f & (ASeesB | BSeesA)) === 0) continue;
      if (f & ASeesB) out.push(a[p]!, b[p]!, EventKind.Leave);
      if (f & BSeesA) out.push(b[p]!, a[p]!, EventKind.Leave);
    }
    [this.cur, this.spare] = [this.spare, this.cur];
    [this.curCarried, this.spareCarried] = [this.spareCarried, this.curCarried];
    const list = this.cur;
    const segment: Segment = {
      a: list.a,
      b: list.b,
      flags: list.flags,
      count: list.count,
      rowSlots: list.rowSlots,
      rowStart: list.rowStart,
      rowPairs: list.rowPairs,
      carried: this.curCarried,
    };
    this.segments[this.index] = segment;
    return segment;
  }

  /** Marks the entities `i` shares a live old pair with (in any worker's segment); returns the mark epoch. */
  private markOld(i: number): number {
    if (this.markEpoch === 0x7fffffff) {
      this.mark.fill(0);
      this.markEpoch = 0;
    }
    const epoch = ++this.markEpoch;
    const { mark, markPair, markSeg } = this;
    for (let s = 0; s < this.segments.length; s++) {
      const seg = this.segments[s]!;
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

  /** Stores the candidate pair (i, j) at squared distance d2: view bits carried over, then the rule applied. */
  private pair(i: number, j: number, d2: number, epoch: number): void {
    const store = this.store;
    const { roles, tags, interest, view2, leave2, hasHeight: height } = store;
    const moved = this.moved;
    const out = this.out;
    const iCan = (roles[i]! & Role.Watcher) !== 0 && (roles[j]! & Role.Marker) !== 0 && (interest[i]! & tags[j]!) !== 0;
    const jCan = (roles[i]! & Role.Marker) !== 0 && (roles[j]! & Role.Watcher) !== 0 && (interest[j]! & tags[i]!) !== 0;
    let f = 0;
    if (this.mark[j] === epoch) {
      const seg = this.segments[this.markSeg[j]!]!;
      const p = this.markPair[j]!;
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
    if (f !== 0) this.spare.push(i, j, f);
  }

  /**
   * GridAlgorithm's dense scan restricted to cell rows [from, to): the entities of those rows and of the halo row
   * below are counting-sorted by cell (slot order within a cell, as in the single-threaded scan).
   */
  private scanDense(job: ScanJob): void {
    const { cell, skin, gx0, gy0, w, from, to } = job;
    const { alive, x, y, leave } = this.store;
    const end = this.store.end;
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
    const store = this.store;
    const { roles, tags, interest, view2, leave2, hasHeight: height } = store;
    const { mark, markPair, markSeg, segments, moved, out, spare } = this;
    for (let cy = 0; cy < to - from; cy++) {
      for (let cx = 0; cx < w; cx++) {
        const c = cy * w + cx;
        const cEnd = cellStart[c + 1]!;
        for (let u = cellStart[c]!; u < cEnd; u++) {
          const i = order[u]!;
          const epoch = this.markOld(i);
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
                // i is the pair's a when the mark is not complemented (see markOld).
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

  /** GridAlgorithm's hashed scan for the entities of slots [from, to) (every worker hashes all entities). */
  private scanHashed(job: ScanJob): void {
    const { cell, skin, from, to } = job;
    const store = this.store;
    const { alive, x, y, leave } = store;
    const grid = this.grid;
    grid.build(store, cell);
    const { start, items, mask } = grid;
    for (let i = from; i < to; i++) {
      if (alive[i] === 0) continue;
      const epoch = this.markOld(i);
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
            this.pair(i, j, d2, epoch);
          }
        }
      }
    }
  }
}
