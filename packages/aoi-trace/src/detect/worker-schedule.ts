// The detectors' side of the schedule worker (schedule-worker.ts): a PairSchedule that, instead of running the kinetic
// schedule, takes each tick's pairs from a worker that runs it over the same file, a few ticks ahead. The two threads
// then share a dense tick's work on a 2-core machine (issue 15, Scale). The detectors' pass is synchronous, so the
// messages are taken with receiveMessageOnPort and the wait is an Atomics.wait on a shared control block
// (https://nodejs.org/api/worker_threads.html#worker_threadsreceivemessageonportport).

import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { TraceError, type TraceErrorCode, type TraceErrorDetails } from '../errors.js';
import type { TickRange, TickRecord } from '../model/types.js';
import type { WorldState } from '../model/world-state.js';
import { workerScript } from '../worker-script.js';
import { HeightColumns } from './cylinder.js';
import { emptyChanges, type PairChanges } from './pair-changes.js';
import type { PairSchedule } from './pair-schedule.js';
import { TickGeometry } from './tick-geometry.js';

/** Int32 slots of the shared control block. */
export const Control = { Produced: 0, Consumed: 1, Stop: 2 } as const;
/** The worker waits when it is this many ticks ahead: bounds the messages queued (a dense tick's are ~70 KB). */
export const WINDOW = 16;
/** How long one wait lasts before the worker's liveness is checked (a worker that died posts nothing). */
const WAIT_MS = 1000;

export interface ScheduleWorkerData {
  path: string;
  range: TickRange | undefined;
  tolerance: number;
  control: Int32Array;
  port: MessagePort;
}

/** One message: a tick's pairs (watcher, target interleaved), the end of the ticks, or why the worker failed. */
export type TickPairs =
  | { tick: number; full: boolean; pairs: Int32Array }
  | { end: true }
  | { failure: { code?: TraceErrorCode; message: string; details?: TraceErrorDetails } };

export class WorkerSchedule implements PairSchedule {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly control = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  /**
   * The world the pairs are read against (slots, positions, radii, roles), the detectors' state as the tick left it:
   * loaded after a full tick, then moved along (a tick that is not full spawns, despawns and updates nothing).
   */
  private readonly geometry: TickGeometry;
  private loaded = false;
  private out = emptyChanges(1024);

  /** Starts the worker on `path`: it must read the same ticks as the detectors (the same `range`). */
  constructor(path: string, range: TickRange | undefined, tolerance: number) {
    this.geometry = new TickGeometry(tolerance);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const workerData: ScheduleWorkerData = { path, range, tolerance, control: this.control, port: port2 };
    this.worker = new Worker(workerScript('detect', 'schedule-worker.js'), { workerData, transferList: [port2] });
    // The detectors' thread never waits for it asynchronously: close() ends it.
    this.worker.unref();
  }

  /** The worker restarts its own schedule on the same ticks (a resync is full there too). */
  invalidate(): void {}

  enableHeight(): void {
    this.geometry.height ??= new HeightColumns();
  }

  /** The pairs of `record`'s tick, from the worker; call after `state.apply(record)`. */
  update(state: WorldState, record: TickRecord): PairChanges {
    const message = this.next();
    if ('failure' in message) {
      const { code, message: text, details } = message.failure;
      if (code !== undefined) throw new TraceError(code, text, details);
      throw new Error(`the detectors' schedule worker failed: ${text}`);
    }
    if ('end' in message || message.tick !== record.tick) {
      const at = 'end' in message ? 'the end of the trace' : `tick ${message.tick}`;
      throw new Error(`the detectors' schedule worker read ${at} where the detectors read tick ${record.tick}.`);
    }
    let out = this.out;
    out.full = message.full;
    out.count = 0;
    out.world = undefined;
    if (message.full) {
      this.loaded = false;
      return out;
    }
    const g = this.geometry;
    this.follow(state, record);
    out.world = g;
    const { pairs } = message;
    const count = pairs.length / 2;
    if (out.watchers.length < count) {
      out = emptyChanges(Math.max(count, 2 * out.watchers.length));
      out.full = false;
      this.out = out;
    }
    for (let i = 0; i < count; i++) {
      const watcher = pairs[2 * i]!;
      const target = pairs[2 * i + 1]!;
      out.watchers[i] = watcher;
      out.targets[i] = target;
      out.watcherSlots[i] = g.slotIndex(watcher);
      out.targetSlots[i] = g.slotIndex(target);
    }
    out.count = count;
    return out;
  }

  /**
   * Brings the geometry to the tick: loads it after a full tick (or a tick with updates: with height, vertical
   * moves), else writes the tick's moves into it (all of its ids are live: the worker's tick would be full).
   */
  private follow(state: WorldState, record: TickRecord): void {
    const g = this.geometry;
    if (!this.loaded || record.updates.length > 0) {
      g.load(state);
      this.loaded = true;
      return;
    }
    const { ids, xs, ys, count } = record.moves;
    for (let i = 0; i < count; i++) {
      const slot = g.slotIndex(ids[i]!);
      if (slot < 0) {
        g.load(state);
        return;
      }
      // The last move of an id wins, as in the state.
      g.xs[slot] = xs[i]!;
      g.ys[slot] = ys[i]!;
    }
  }

  /** Stops the worker (at the end, or when the detectors stopped early). */
  close(): void {
    Atomics.store(this.control, Control.Stop, 1);
    Atomics.notify(this.control, Control.Consumed);
    Atomics.notify(this.control, Control.Stop);
    this.port.close();
    void this.worker.terminate();
  }

  /** The next message, waiting for it; throws if the worker ended without one. */
  private next(): TickPairs {
    const control = this.control;
    for (;;) {
      // Read before polling: a message posted after the poll has moved the count, so the wait returns at once.
      const produced = Atomics.load(control, Control.Produced);
      const received = receiveMessageOnPort(this.port);
      if (received !== undefined) {
        Atomics.add(control, Control.Consumed, 1);
        Atomics.notify(control, Control.Consumed);
        return received.message as TickPairs;
      }
      // threadId is -1 once the worker no longer runs (Node's worker_threads docs, worker.threadId).
      if (Atomics.wait(control, Control.Produced, produced, WAIT_MS) === 'timed-out' && this.worker.threadId < 0) {
        if (Atomics.load(control, Control.Produced) !== produced) continue;
        throw new Error("the detectors' schedule worker stopped without a word.");
      }
    }
  }
}
