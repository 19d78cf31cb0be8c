// Where a TraceWriter's chunks get packed (chunk-packer.ts): inline, or on a worker thread so that view-set upkeep,
// keyframe views, deflate and checksums leave the caller's thread. Both hand back packed chunks in submission order;
// the writer writes them itself, so each chunk is still one positional write, in order, and the index comes last.
// The queue is bounded: a caller that outruns the worker blocks (Atomics.wait) until a job is done, so memory
// stays bounded; `collect('all')` (close) waits for everything.

import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { TraceError } from '../errors.js';
import { workerScript } from '../worker-script.js';
import { ChunkPacker, type PackedChunk, type PackJob } from './chunk-packer.js';
import type { PackReply } from './encode-worker.js';
import { ChunkKind } from './layout.js';

export interface Packer {
  submit(job: PackJob): void;
  /**
   * Packed chunks not yet collected, oldest first, after waiting until at most `pending` jobs are unfinished
   * ('room': the queue limit; Infinity: no wait).
   */
  collect(pending: number | 'room'): PackedChunk[];
  close(): void;
}

export class InlinePacker implements Packer {
  private readonly packer = new ChunkPacker();
  private done: PackedChunk[] = [];

  submit(job: PackJob): void {
    this.done.push(this.packer.pack(job));
  }

  collect(): PackedChunk[] {
    const done = this.done;
    this.done = [];
    return done;
  }

  close(): void {}
}

/** One worker thread and the port it answers on. */
class PackWorker {
  readonly worker: Worker;
  readonly port: MessagePort;
  /** Replies received and not yet matched to a job. */
  readonly replies: PackedChunk[] = [];

  constructor(done: Int32Array) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(workerScript('format', 'encode-worker.js'), {
      workerData: { port: port2, done },
      transferList: [port2],
    });
    // Neither keeps the process alive: a writer that is never closed must not hang its program.
    this.worker.unref();
    this.port.unref();
  }

  send(job: PackJob): void {
    const { raw, changes } = job;
    const transfer = [changes.kinds.buffer, changes.watchers.buffer, changes.targets.buffer];
    if (raw !== null) transfer.push(raw.buffer);
    this.port.postMessage(job, transfer as ArrayBuffer[]);
  }

  /** Moves every reply that has arrived into `replies`; returns how many. */
  receive(): number {
    let count = 0;
    for (; ; count++) {
      const message = receiveMessageOnPort(this.port);
      if (message === undefined) return count;
      const reply = message.message as PackReply;
      if ('error' in reply) {
        if (reply.code !== undefined) throw new TraceError(reply.code, reply.error);
        throw new Error(`aoi-trace: the background encode worker failed: ${reply.error}`);
      }
      this.replies.push(reply);
    }
  }

  close(): void {
    this.port.close();
    void this.worker.terminate();
  }
}

/**
 * Two workers: one keeps the view sets (applies every chunk's view changes, writes and packs keyframes), the other
 * deflates and frames ticks chunks, which need no view sets. With the caller's thread that is three threads' work
 * spread over the cores, instead of one worker doing everything the caller no longer does.
 */
export class BackgroundPacker implements Packer {
  private readonly done = new Int32Array(new SharedArrayBuffer(4));
  private readonly views: PackWorker;
  private readonly ticks: PackWorker;
  private readonly limit: number;
  /** Per job not yet collected: true if the ticks worker packs it (the views worker only applies its changes). */
  private readonly order: boolean[] = [];
  private received = 0;
  /** Set once a worker failed or stopped: every later call throws it (the jobs in flight are lost). */
  private failure: Error | undefined;

  /** @param limit jobs that may be unfinished before collect('room') blocks */
  constructor(limit: number) {
    this.limit = limit;
    this.views = new PackWorker(this.done);
    this.ticks = new PackWorker(this.done);
  }

  submit(job: PackJob): void {
    if (this.failure) throw this.failure;
    const split = job.kind === ChunkKind.Ticks && job.raw !== null;
    if (split) {
      this.views.send({ ...job, raw: null });
      this.ticks.send({ ...job, changes: noChanges() });
    } else {
      this.views.send(job);
    }
    this.order.push(split);
  }

  collect(pending: number | 'room'): PackedChunk[] {
    if (this.failure) throw this.failure;
    try {
      return this.wait(pending === 'room' ? this.limit : pending);
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      throw this.failure;
    }
  }

  close(): void {
    this.views.close();
    this.ticks.close();
  }

  private wait(allowed: number): PackedChunk[] {
    const out: PackedChunk[] = [];
    for (;;) {
      const seen = Atomics.load(this.done, 0);
      this.received += this.views.receive() + this.ticks.receive();
      this.match(out);
      if (this.order.length <= allowed) return out;
      // Workers post before they count, so a count ahead of `received` means a reply is already queued.
      if (seen > this.received) continue;
      const stopped = this.views.worker.threadId === -1 || this.ticks.worker.threadId === -1;
      if (Atomics.wait(this.done, 0, seen, 1000) === 'timed-out' && stopped) {
        throw new Error('aoi-trace: a background encode worker stopped before finishing its chunks.');
      }
    }
  }

  /** Pairs replies with jobs, oldest job first, as far as both parts of a job are back. */
  private match(out: PackedChunk[]): void {
    const views = this.views.replies;
    const ticks = this.ticks.replies;
    while (this.order.length > 0) {
      const split = this.order[0]!;
      if (views.length === 0 || (split && ticks.length === 0)) return;
      this.order.shift();
      const applied = views.shift()!;
      out.push(split ? { ...ticks.shift()!, pairs: applied.pairs } : applied);
    }
  }
}

const noChanges = () => ({
  count: 0,
  kinds: new Uint8Array(0),
  watchers: new Int32Array(0),
  targets: new Int32Array(0),
});
