// The caller's side of a background format 3.x TraceWriter: the whole inline writer runs on a worker thread
// (writer-thread.ts), because a 3.x file's bytes depend on the prediction before the next tick is encoded (a chunk is
// cut on the prediction's work, keyframes follow the predictor's view pairs, the string table restarts per chunk).
// The caller only copies each tick's columns into transferable buffers (tick-transfer.ts) and writes the bytes that
// come back, in order, at their positions: the same file as the inline writer, byte for byte.
// Back-pressure: at most `backgroundTicks` ticks are in flight; writeTick blocks (Atomics.wait) until the worker has
// finished one, so a worker that falls behind slows the caller to its rate and memory stays bounded. A worker's error
// (a bad record, a limit) is thrown by the next writeTick, flush or close after it arrives; ticks the caller handed
// over after the bad one are dropped, and close() still ends the file after the last good tick.

import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { TraceError, TraceErrorCode } from '../errors.js';
import type { SinkBacklog, TickRecord, TraceHeader } from '../model/types.js';
import { workerScript } from '../worker-script.js';
import type { WriteTarget } from './io.js';
import { transferableTick } from './tick-transfer.js';
import type { ResolvedWriterOptions } from './writer-options.js';
import {
  type PredictReply,
  type PredictRequest,
  type RemoteError,
  STATUS_WORDS,
  Status,
} from './writer-thread-protocol.js';

/** How long one Atomics.wait lasts before the caller checks that the worker still runs. */
const WAIT_MS = 1000;

export class ThreadedWriter {
  /** @internal The worker thread (tests stop it to check what a dead worker does). */
  readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly status = new Int32Array(new SharedArrayBuffer(STATUS_WORDS * 4));
  private readonly target: WriteTarget;
  private readonly limit: number;
  private sent = 0;
  private position = 0;
  /** Requests (begin, flush, close) the worker has answered. */
  private readonly answered = new Set<string>();
  /** The worker's first error, until a call throws it. */
  private unthrown: Error | undefined;
  private state: 'open' | 'failed' | 'closed' = 'open';

  /** Starts the worker and begins the file; throws the worker's error if the header is refused. */
  constructor(target: WriteTarget, options: ResolvedWriterOptions, header: TraceHeader) {
    this.target = target;
    this.limit = options.backgroundTicks;
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(workerScript('format', 'writer-thread.js'), {
      workerData: { port: port2, status: this.status },
      transferList: [port2],
    });
    // Neither keeps the process alive: a writer that is never closed must not hang its program.
    this.worker.unref();
    this.port.unref();
    try {
      this.request({ type: 'begin', header, options: { ...options, background: false } });
    } catch (error) {
      this.stop();
      throw error;
    }
  }

  writeTick(record: TickRecord): void {
    this.check('writeTick');
    this.pump();
    this.raise();
    if (this.inFlight >= this.limit) {
      Atomics.add(this.status, Status.stalls, 1);
      Atomics.notify(this.status, Status.stalls);
      this.waitUntil(() => this.inFlight < this.limit);
    }
    const { record: copy, transfer } = transferableTick(record);
    this.post({ type: 'tick', record: copy }, transfer);
    this.sent++;
  }

  /** Waits until the worker has ended its chunk and every byte so far is written. */
  flush(): void {
    this.check('flush');
    this.request({ type: 'flush' });
  }

  /** Ends the file (the worker writes the index), closes the target and stops the worker. */
  close(): void {
    if (this.state === 'closed') return;
    const alive = this.worker.threadId !== -1;
    this.state = 'closed';
    try {
      if (alive) this.request({ type: 'close' });
    } finally {
      this.stop();
      this.target.close();
    }
  }

  get bytesWritten(): number {
    return this.position;
  }

  /**
   * Ticks not yet in the file: in flight to the worker, and in its open chunk or packer (read from the shared
   * counters: no write happens here, so monitoring cannot fail; bytes on their way back count as written).
   */
  backlog(): SinkBacklog {
    return {
      ticks: this.inFlight + Atomics.load(this.status, Status.backlogTicks),
      chunks: Atomics.load(this.status, Status.backlogChunks),
    };
  }

  /** Ticks handed to the worker and not finished yet (at most `backgroundTicks`). */
  get inFlight(): number {
    return this.sent - Atomics.load(this.status, Status.ticksDone);
  }

  /** Times writeTick blocked on a full queue: how often the worker held the caller back. */
  get stalls(): number {
    return Atomics.load(this.status, Status.stalls);
  }

  /** @internal Tests: the worker waits until the caller stalls on a full queue. */
  hold(): void {
    this.post({ type: 'hold' });
  }

  private check(call: string): void {
    if (this.state !== 'open') throw argument(`${call}: the writer is ${this.state}.`);
  }

  /** Sends a request that is not a tick and waits for its answer; throws the worker's error, if any. */
  private request(request: Exclude<PredictRequest, { type: 'tick' }>): void {
    this.answered.delete(request.type);
    this.post(request);
    this.waitUntil(() => this.answered.has(request.type));
    this.raise();
  }

  private post(request: PredictRequest, transfer: ArrayBuffer[] = []): void {
    this.port.postMessage(request, transfer);
  }

  /** Writes the bytes that came back, notes answers and keeps the first error. */
  private pump(): void {
    for (;;) {
      const message = receiveMessageOnPort(this.port);
      if (message === undefined) return;
      const reply = message.message as PredictReply;
      if (reply.type === 'write') this.write(reply.bytes, reply.position);
      else if (reply.type === 'done') this.answered.add(reply.request);
      else this.unthrown ??= localError(reply.error);
    }
  }

  /** A failed write leaves a hole after it: no tick may be written after one (as the inline writer's drain). */
  private write(bytes: Uint8Array, position: number): void {
    try {
      this.target.write(bytes, position);
    } catch (error) {
      if (this.state === 'open') this.state = 'failed';
      throw error;
    }
    this.position = Math.max(this.position, position + bytes.length);
  }

  /** Throws the worker's error once; the writer refuses further ticks after it. */
  private raise(): void {
    const error = this.unthrown;
    if (error === undefined) return;
    this.unthrown = undefined;
    if (this.state === 'open') this.state = 'failed';
    throw error;
  }

  /** Pumps replies until `done()`; throws if the worker stopped (it never answers then). */
  private waitUntil(done: () => boolean): void {
    for (;;) {
      const seen = Atomics.load(this.status, Status.signal);
      this.pump();
      if (done()) return;
      if (this.unthrown !== undefined && this.state === 'open') this.raise();
      if (Atomics.wait(this.status, Status.signal, seen, WAIT_MS) === 'timed-out' && this.worker.threadId === -1) {
        this.pump();
        if (done()) return;
        if (this.state === 'open') this.state = 'failed';
        throw new Error(
          'aoi-trace: the background writer thread stopped before finishing its ticks; the file ends at its last whole chunk.',
        );
      }
    }
  }

  private stop(): void {
    this.port.close();
    void this.worker.terminate();
  }
}

/** The worker's error as the caller throws it: a TraceError keeps its code. */
function localError(error: RemoteError): Error {
  if (error.code !== undefined) return new TraceError(error.code, error.message, error.details, error.fault);
  return new Error(`aoi-trace: the background writer thread failed: ${error.message}`);
}

const argument = (message: string) => new TraceError(TraceErrorCode.InvalidArgument, message);
