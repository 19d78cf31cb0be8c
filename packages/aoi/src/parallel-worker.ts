// Entry of a parallel-grid worker thread (see parallel-grid.ts): runs each command on its share, answers on the port,
// then bumps the shared counter so that the main thread, blocked in Atomics.wait, wakes up.

import { type MessagePort, workerData } from 'node:worker_threads';
import type { Command, Reply } from './parallel-protocol.js';
import { WorkerShare } from './parallel-share.js';

const { port, done, index } = workerData as { port: MessagePort; done: Int32Array; index: number };
const share = new WorkerShare(index);

port.on('message', (command: Command) => {
  let reply: Reply;
  try {
    reply = share.handle(command);
  } catch (error) {
    reply = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply);
  Atomics.add(done, 0, 1);
  Atomics.notify(done, 0);
});
