// The worker threads of a parallel grid and the synchronous round trip to them: the main thread posts one command
// per worker, blocks in Atomics.wait until every worker has counted its answer, then takes the answers with
// receiveMessageOnPort. Node allows Atomics.wait on the main thread; a round trip costs tens of microseconds.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { AoiError, AoiErrorCode } from './errors.js';
import type { Command, Reply } from './parallel-protocol.js';

let live = 0;

/** Worker threads of every parallel grid of this process that have not exited yet (for leak checks in tests). */
export function liveAoiWorkers(): number {
  return live;
}

export class WorkerPool {
  private readonly done = new Int32Array(new SharedArrayBuffer(4));
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly exited: Array<Promise<void>> = [];
  private closed = false;
  /** Set once a round trip failed: answers may be out of step with commands, so every later call throws it. */
  private failure: AoiError | undefined;

  constructor(readonly size: number) {
    const script = workerScript();
    for (let index = 0; index < size; index++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(script, { workerData: { port: port2, done: this.done, index }, transferList: [port2] });
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

  /** Sends `commands[k]` to worker k and returns the answers, in worker order. */
  run(commands: Command[]): Reply[] {
    if (this.failure !== undefined) throw this.failure;
    if (this.closed) throw new AoiError(AoiErrorCode.Closed, 'tick: the world was closed; its workers are gone.');
    try {
      return this.roundTrip(commands);
    } catch (error) {
      this.failure =
        error instanceof AoiError
          ? error
          : new AoiError(AoiErrorCode.WorkerFailed, `tick: ${String(error)}`, undefined, 'system');
      throw this.failure;
    }
  }

  private roundTrip(commands: Command[]): Reply[] {
    const target = Atomics.load(this.done, 0) + commands.length;
    commands.forEach((command, k) => {
      this.ports[k]!.postMessage(command);
    });
    for (;;) {
      const seen = Atomics.load(this.done, 0);
      if (seen >= target) break;
      if (Atomics.wait(this.done, 0, seen, 1000) === 'timed-out' && this.workers.some((w) => w.threadId === -1)) {
        throw new AoiError(AoiErrorCode.WorkerFailed, 'tick: a worker thread stopped.', undefined, 'system');
      }
    }
    return this.ports.map((port) => {
      const reply = receiveMessageOnPort(port)?.message as Reply | undefined;
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
