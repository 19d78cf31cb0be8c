import { EntityStore, MAX_SLOTS } from './entity-store.js';
import { type SortScratch, sortKeys, TransitionBuffer } from './event-queue.js';
import { HashGrid } from './hash-grid.js';
import { updateRunsWithHeight } from './height.js';
import { PairFlag, PairList } from './pair-list.js';
import { scanHashedShare } from './parallel-hashed-scan.js';
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
import { SegmentMarks, type ShareScan } from './parallel-scan-state.js';
import { StripeGrid } from './parallel-stripe-grid.js';
import { EventKind } from './types.js';

const { ASeesB, BSeesA, ACan, BCan } = PairFlag;

/**
 * One worker's share of the parallel grid: the pairs its part of the last rebuild found (its segment), updated in
 * place every tick. Rebuilds read every worker's old segment (the view bits carry over wherever the pair was) and
 * write only this worker's new one, plus the `carried` byte of the old pairs found again. Here: the command, its
 * barriers, the update and the merge; the rebuild's scans are `parallel-stripe-grid.ts` (dense) and
 * `parallel-hashed-scan.ts`, over the state of `parallel-scan-state.ts`.
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
  private readonly marks = new SegmentMarks();
  private readonly stripe = new StripeGrid();

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
    this.marks.reserve(end);
    this.spare.count = 0;
    const { store, segments, marks, moved, out, spare } = this;
    const scan: ShareScan = { store, segments, marks, moved, out, spare };
    if (job.dense) this.stripe.scan(scan, job);
    else scanHashedShare(scan, this.grid, job);
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
}
