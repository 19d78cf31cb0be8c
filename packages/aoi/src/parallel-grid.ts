// Hot loops over typed arrays: every index is bounded by a count kept beside the arrays, so the non-null assertion
// on an indexed read states that invariant (noUncheckedIndexedAccess) instead of a check per element in inner loops.
import type { AoiAlgorithm, DirtySet } from './algorithm.js';
import { EPS } from './cell-margin.js';
import type { EntityStore } from './entity-store.js';
import type { TransitionBuffer } from './event-queue.js';
import { PairFlag } from './pair-list.js';
import { mergeRuns } from './parallel-merge.js';
import { lap, MainPhase, mark } from './parallel-phases.js';
import type { Command, DecodeArrays, Reply, ScanJob, Segment, Sync } from './parallel-protocol.js';
import { Control, slot } from './parallel-protocol.js';
import { forEachSegmentPair, removeFromSegments, updateSegmentRows } from './parallel-segment-rows.js';
import { WorkerShare } from './parallel-share.js';
import { cutStripes, rowWork } from './parallel-stripes.js';
import { checkGridLength } from './validate.js';
import { WorkerPool } from './worker-pool.js';

const { ASeesB, BSeesA } = PairFlag;

const emptySegment = (): Segment => ({
  a: new Int32Array(0),
  b: new Int32Array(0),
  flags: new Uint8Array(0),
  count: 0,
  rowSlots: 0,
  rowStart: new Int32Array(1),
  rowPairs: new Int32Array(0),
  carried: new Uint8Array(0),
});

/**
 * The grid of {@link GridAlgorithm} (same neighbour list, skin and rebuild rule) with its bulk work on worker
 * threads over shared memory: a rebuild splits the dense grid into horizontal stripes of cell rows balanced by
 * the scan's candidate pairs (each stripe reads one row of halo below it), and each worker keeps the pairs its
 * stripe found as its segment, which it re-checks on later ticks, skin test, sort, merge and decode included. The
 * main thread keeps the cheap parts: updates of a few entities, removals and queries, over the segments in shared
 * memory while the workers are idle. Events are packed
 * keys (the single-threaded engine's), which the world sorts into the one canonical order, so the output does not
 * depend on which worker found what. Here: the rebuild rule and the commands; a share is `parallel-share.ts`, the
 * caller's thread's rows, removals and queries are `parallel-segment-rows.ts`.
 */
export class ParallelGridAlgorithm implements AoiAlgorithm {
  readonly name = 'grid';
  cellSize = 0;
  private readonly pool: WorkerPool;
  /** The caller's thread's own share (the last one), or undefined when it only waits for the workers. */
  private readonly local: WorkerShare | undefined;
  /** Shares of the work: the worker threads, plus the caller's thread when it has one. */
  private readonly shares: number;
  private segments: Segment[];
  /** Per worker: its shared output buffer of sorted keys (see Reply). */
  private readonly workerKeys: Float64Array[];
  private segmentsChanged = true;
  private runsChanged = true;
  /** The shared arrays the shares merge and decode a batch into (grown when a batch did not fit). */
  private decode: DecodeArrays = {
    kinds: new Uint8Array(new SharedArrayBuffer(0)),
    watchers: new Int32Array(new SharedArrayBuffer(0)),
    targets: new Int32Array(new SharedArrayBuffer(0)),
  };
  private decodeChanged = true;
  private refChanged = true;
  private sentX: Float64Array | null = null;
  private sentZ: Float64Array | null = null;
  private moved = new Uint8Array(new SharedArrayBuffer(0));
  private movedChanged = true;
  private needsRebuild = true;
  private halfSkin2 = 0;
  private refX: Float64Array = new Float64Array(0);
  private refY: Float64Array = new Float64Array(0);
  private builtLeave: Float64Array = new Float64Array(0);

  constructor(
    private readonly store: EntityStore,
    private readonly options: { skin?: number; cellSize?: number },
    workers: number,
    callerShare = false,
  ) {
    checkGridLength('skin', options.skin);
    checkGridLength('cellSize', options.cellSize);
    this.shares = workers + (callerShare ? 1 : 0);
    this.pool = new WorkerPool(workers, this.shares);
    this.local = callerShare ? new WorkerShare(workers, this.pool.control, this.shares) : undefined;
    this.segments = Array.from({ length: this.shares }, emptySegment);
    this.workerKeys = Array.from({ length: this.shares }, () => new Float64Array(0));
    this.resize(store.capacity);
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  resize(capacity: number): void {
    // Shared: the shares run the skin test against them (Sync.ref).
    const grow = (old: Float64Array) => {
      const next = new Float64Array(new SharedArrayBuffer(capacity * 8));
      next.set(old);
      return next;
    };
    this.refX = grow(this.refX);
    this.refY = grow(this.refY);
    this.builtLeave = grow(this.builtLeave);
    this.refChanged = true;
    this.moved = new Uint8Array(new SharedArrayBuffer(capacity));
    this.movedChanged = true;
  }

  added(): void {
    this.needsRebuild = true;
  }

  rolesChanged(): void {
    this.needsRebuild = true;
  }

  remove(slot: number, out: TransitionBuffer): void {
    removeFromSegments(this.segments, slot, out);
  }

  update(dirty: DirtySet, out: TransitionBuffer, moveEvents: boolean): void {
    mark(0);
    const few = dirty.count * 8 < this.store.count;
    if (!this.needsRebuild && few && this.anyBeyondSkin(dirty)) this.needsRebuild = true;
    if (!this.needsRebuild && few) {
      updateSegmentRows(this.store, this.segments, dirty, out, moveEvents ? dirty.moved : null);
      return;
    }
    if (moveEvents) this.moved.set(dirty.moved.subarray(0, this.store.end));
    lap(0, MainPhase.Skin);
    // Many dirty: the shares run the skin test, each on its slots (every entity not dirty passed it when it last
    // moved, so testing all gives the caller's answer), and re-check their pairs only when nobody left the skin.
    if (this.needsRebuild || this.run(out, moveEvents, (sync) => ({ op: 'all', sync }), true) === null) {
      this.rebuild(out, moveEvents);
    }
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

  /** The grid geometry of GridAlgorithm's rebuild, the shares of the workers, then the scan and its leaves. */
  private rebuild(out: TransitionBuffer, moveEvents: boolean): void {
    const store = this.store;
    const { alive, x, y, leave } = store;
    const end = store.end;
    let maxLeave = 0;
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
    let maxAbs = Math.max(Math.abs(minX), Math.abs(maxX), Math.abs(minY), Math.abs(maxY));
    if (!(maxAbs < Infinity)) maxAbs = 0;
    const skin = this.options.skin ?? 0.25 * maxLeave;
    const reachMax = maxLeave + skin;
    const cell = Math.max(
      this.options.cellSize ?? reachMax * (1 + EPS),
      reachMax / 16,
      maxAbs * 2 ** -30,
      Number.MIN_VALUE * 2 ** 60,
    );
    this.cellSize = cell;
    this.halfSkin2 = (skin / 2) * (skin / 2);
    const n = store.count;
    const gx0 = Math.floor(minX / cell);
    const gy0 = Math.floor(minY / cell);
    const w = Math.floor(maxX / cell) - gx0 + 1;
    const h = Math.floor(maxY / cell) - gy0 + 1;
    const dense = n > 0 && reachMax <= cell * (1 - EPS / 2) && w * h <= 4 * n + 1024;
    const jobs = dense ? cutStripes(rowWork(store, cell, gx0, gy0, w, h), this.shares) : this.slotRanges();
    const base = { dense, cell, skin, gx0, gy0, w, h };
    lap(0, MainPhase.RebuildSerial);
    const replies = this.run(out, moveEvents, (sync, k) => ({ op: 'rebuild', sync, job: { ...base, ...jobs[k]! } }))!;
    this.segments = replies.map((reply) => ('segment' in reply ? reply.segment! : emptySegment()));
    this.segmentsChanged = true;
    this.refX.set(x.subarray(0, end));
    this.refY.set(y.subarray(0, end));
    this.builtLeave.set(leave.subarray(0, end));
    this.needsRebuild = false;
    lap(0, MainPhase.RebuildSerial);
  }

  private slotRanges(): Array<Pick<ScanJob, 'from' | 'to'>> {
    const k = this.shares;
    const end = this.store.end;
    return Array.from({ length: k }, (_, part) => ({
      from: Math.floor((end * part) / k),
      to: Math.floor((end * (part + 1)) / k),
    }));
  }

  /**
   * One command per share (with whatever shared buffers changed), their transitions appended to `out`, or only
   * handed over already merged and decoded (see parallel-merge.ts) when nothing else is pending. Null, and nothing
   * appended, when the shares' skin test (`checkSkin`) found an entity beyond its skin.
   */
  private run(
    out: TransitionBuffer,
    moveEvents: boolean,
    command: (sync: Sync, k: number) => Command,
    checkSkin = false,
  ): Reply[] | null {
    const store = this.store;
    const merge = out.count === 0 && !out.sorted;
    const sync: Sync = { end: store.end, count: store.count, moveEvents, checkSkin, merge };
    if (store.x !== this.sentX || store.z !== this.sentZ) {
      const { capacity, ids, x, y, leave, view2, leave2, roles, tags, interest, alive } = store;
      const { hasHeight, z, viewH, leaveH } = store;
      sync.store = {
        capacity,
        ids,
        x,
        y,
        leave,
        view2,
        leave2,
        roles,
        tags,
        interest,
        alive,
        hasHeight,
        z,
        viewH,
        leaveH,
      };
      this.sentX = store.x;
      this.sentZ = store.z;
    }
    if (this.movedChanged) sync.moved = this.moved;
    if (this.segmentsChanged) sync.segments = this.segments;
    if (this.runsChanged) sync.runs = this.workerKeys.slice();
    if (this.decodeChanged) sync.decode = this.decode;
    if (this.refChanged) sync.ref = { x: this.refX, y: this.refY, leave: this.builtLeave };
    this.movedChanged = false;
    this.segmentsChanged = false;
    this.runsChanged = false;
    this.decodeChanged = false;
    this.refChanged = false;
    const replies = this.pool.run(
      Array.from({ length: this.shares }, (_, k) => command(sync, k)),
      this.local,
    );
    const control = this.pool.control;
    let total = out.count;
    const runs = replies.map((reply, k) => {
      if (!('count' in reply)) return new Float64Array(0);
      if (reply.keys !== undefined) {
        this.workerKeys[k] = reply.keys;
        this.runsChanged = true;
      }
      total += reply.count;
      return this.workerKeys[k]!.subarray(0, reply.count);
    });
    if (checkSkin && Atomics.load(control, Control.Beyond) === 1) return null;
    const decode = this.decode;
    if (merge && Atomics.load(control, Control.NoMerge) === 0 && total <= decode.kinds.length) {
      let enters = 0;
      let leaves = 0;
      for (let k = 0; k < this.shares; k++) {
        enters += control[slot(k) + Control.Enters]!;
        leaves += control[slot(k) + Control.Leaves]!;
      }
      out.decoded = { ...decode, enters, leaves };
      out.count = total;
      lap(0, MainPhase.Merge);
      return replies;
    }
    if (merge && total > decode.kinds.length) {
      const size = Math.max(2 * total, 1024);
      this.decode = {
        kinds: new Uint8Array(new SharedArrayBuffer(size)),
        watchers: new Int32Array(new SharedArrayBuffer(size * 4)),
        targets: new Int32Array(new SharedArrayBuffer(size * 4)),
      };
      this.decodeChanged = true;
    }
    if (total > out.keys.length) {
      let size = out.keys.length;
      while (size < total) size *= 2;
      const next = new Float64Array(size);
      next.set(out.keys.subarray(0, out.count));
      out.keys = next;
    }
    if (merge) {
      // The shares could not merge this time (a run buffer was new, or the batch outgrew the shared arrays):
      // the workers' sorted runs merged here are the whole update, in order, and the world's batch needs no sort.
      mergeRuns(runs, out.keys);
      out.sorted = true;
    } else {
      let at = out.count;
      for (const keys of runs) {
        out.keys.set(keys, at);
        at += keys.length;
      }
      out.sorted = false;
    }
    out.count = total;
    lap(0, MainPhase.Merge);
    return replies;
  }

  forEachSeen(w: number, fn: (target: number) => void): void {
    forEachSegmentPair(this.segments, w, (seg, p, isA) => {
      if (seg.flags[p]! & (isA ? ASeesB : BSeesA)) fn(isA ? seg.b[p]! : seg.a[p]!);
    });
  }

  forEachWatcher(t: number, fn: (watcher: number) => void): void {
    forEachSegmentPair(this.segments, t, (seg, p, isA) => {
      if (seg.flags[p]! & (isA ? BSeesA : ASeesB)) fn(isA ? seg.b[p]! : seg.a[p]!);
    });
  }
}
