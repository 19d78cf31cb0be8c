// The worker threads of a parallel grid and the synchronous round trip to them: the main thread writes one command
// per worker into the shared control block (or posts it, when it carries buffers or a job), counts it in `Seq` and
// wakes them all with one notify, runs its own share if it has one, then blocks in Atomics.wait until every worker
// has counted its answer in `Done`. Node allows Atomics.wait on the main thread.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { AoiError, AoiErrorCode } from './errors.js';
import { lap, MainPhase, notified, phaseClock, wokenBack } from './parallel-phases.js';
import { type Command, Control, controlWords, perCommandWords, type Reply, slot } from './parallel-protocol.js';
import type { WorkerShare } from './parallel-share.js';

let live = 0;

/** Worker threads of every parallel grid of this process that have not exited yet (for leak checks in tests). */
export function liveAoiWorkers(): number {
  return live;
}

/** A command the worker can read from the control block: a re-check that carries no buffers. */
const plain = (command: Command): boolean =>
  command.op === 'all' &&
  command.sync.store === undefined &&
  command.sync.moved === undefined &&
  command.sync.segments === undefined &&
  command.sync.runs === undefined &&
  command.sync.decode === undefined &&
  command.sync.ref === undefined;

export class WorkerPool {
  readonly control: Int32Array;
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly exited: Array<Promise<void>> = [];
  private closed = false;
  /** Set once a round trip failed: answers may be out of step with commands, so every later call throws it. */
  private failure: AoiError | undefined;

  /**
   * @param size worker threads
   * @param parties shares that meet at a rebuild's barrier: `size`, plus one when the caller's thread has a share
   */
  constructor(
    readonly size: number,
    readonly parties = size,
  ) {
    this.control = new Int32Array(new SharedArrayBuffer(4 * controlWords(parties)));
    const script = workerScript();
    for (let index = 0; index < size; index++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(script, {
        workerData: { port: port2, control: this.control, index, parties, phases: phaseClock() },
        transferList: [port2],
      });
      live++;
      this.exited.push(
        new Promise((resolve) =>
          worker.once('exit', () => {
            live--;
            resolve();
          }),
        ),
      );
      // Neither keeps the process alive: a world that is never closed must not hang its program.
      worker.unref();
      port1.unref();
      this.workers.push(worker);
      this.ports.push(port1);
    }
  }

  /**
   * Sends `commands[k]` to worker k and returns the answers, in worker order. With `local` (the caller's own share),
   * `commands[size]` runs on this thread while the workers run theirs, and its answer comes last.
   */
  run(commands: Command[], local?: WorkerShare): Reply[] {
    if (this.failure !== undefined) throw this.failure;
    if (this.closed) throw new AoiError(AoiErrorCode.Closed, 'tick: the world was closed; its workers are gone.');
    try {
      return this.roundTrip(commands, local);
    } catch (error) {
      this.failure =
        error instanceof AoiError
          ? error
          : new AoiError(AoiErrorCode.WorkerFailed, `tick: ${String(error)}`, undefined, 'system');
      throw this.failure;
    }
  }

  private roundTrip(commands: Command[], local: WorkerShare | undefined): Reply[] {
    const control = this.control;
    const target = Atomics.load(control, Control.Done) + this.size;
    for (const word of perCommandWords) Atomics.store(control, word, 0);
    for (let k = 0; k < this.size; k++) {
      const command = commands[k]!;
      const at = slot(k);
      if (plain(command)) {
        control[at + Control.End] = command.sync.end;
        control[at + Control.Count] = command.sync.count;
        control[at + Control.MoveEvents] = command.sync.moveEvents ? 1 : 0;
        control[at + Control.Flags] = (command.sync.checkSkin ? 1 : 0) | (command.sync.merge ? 2 : 0);
        control[at + Control.CommandIsMessage] = 0;
      } else {
        this.ports[k]!.postMessage(command);
        control[at + Control.CommandIsMessage] = 1;
      }
    }
    notified();
    Atomics.add(control, Control.Seq, 1);
    Atomics.notify(control, Control.Seq);
    lap(0, MainPhase.Dispatch);
    let own: Reply | undefined;
    if (local !== undefined) {
      try {
        own = local.handle(commands[this.size]!);
      } catch (error) {
        local.releaseBarrier();
        own = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
      }
      lap(0, MainPhase.Own);
    }
    for (;;) {
      const seen = Atomics.load(control, Control.Done);
      if (seen >= target) break;
      if (
        Atomics.wait(control, Control.Done, seen, 1000) === 'timed-out' &&
        this.workers.some((w) => w.threadId === -1)
      ) {
        throw new AoiError(AoiErrorCode.WorkerFailed, 'tick: a worker thread stopped.', undefined, 'system');
      }
    }
    wokenBack(this.size);
    lap(0, MainPhase.Wait);
    const replies = this.ports.map((port, k): Reply | undefined => {
      const at = slot(k);
      if (control[at + Control.ReplyIsMessage] === 0) return { count: control[at + Control.ReplyCount]! };
      return receiveMessageOnPort(port)?.message as Reply | undefined;
    });
    if (local !== undefined) replies.push(own);
    return replies.map((reply) => {
      if (reply === undefined || 'error' in reply) {
        const why = reply === undefined ? 'no answer' : reply.error;
        throw new AoiError(AoiErrorCode.WorkerFailed, `tick: a worker thread failed: ${why}`, undefined, 'system');
      }
      return reply;
    });
  }

  /** Terminates every worker; resolves once all have exited. */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      // Out of their waits (for a command, or at a barrier a dead share never reached), then out of their loops.
      const control = this.control;
      Atomics.store(control, Control.Exit, 1);
      Atomics.add(control, Control.Seq, 1);
      Atomics.notify(control, Control.Seq);
      Atomics.add(control, Control.Barrier, 1 << 20);
      Atomics.notify(control, Control.Barrier);
      for (const port of this.ports) port.close();
      for (const worker of this.workers) void worker.terminate();
    }
    return Promise.all(this.exited).then(() => undefined);
  }
}

/**
 * The worker's compiled script. Under vitest this module runs from its TypeScript source, and Node 20 cannot start a
 * worker from a .ts file, so the built twin in dist/ is used (run `npx tsc -b` first).
 */
function workerScript(): URL {
  const beside = new URL('./parallel-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  const built = new URL('../dist/parallel-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new AoiError(
    AoiErrorCode.WorkerFailed,
    `parallel-worker.js not found next to ${fileURLToPath(import.meta.url)} nor in dist/.`,
    undefined,
    'system',
  );
}
