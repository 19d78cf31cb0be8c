// Worker thread of a background TraceWriter: packs the jobs it is sent, in order, and answers each on the port
// (then bumps the shared counter, so that a writer blocked in Atomics.wait wakes up). See background-packer.ts.

import { type MessagePort, workerData } from 'node:worker_threads';
import { TraceError, type TraceErrorCode } from '../errors.js';
import { ChunkPacker, type PackedChunk, type PackJob } from './chunk-packer.js';

/** A packed chunk, or why not: a TraceError (a recording past the format's limits) keeps its code across threads. */
export type PackReply = PackedChunk | { readonly error: string; readonly code?: TraceErrorCode };

const { port, done } = workerData as { port: MessagePort; done: Int32Array };
const packer = new ChunkPacker();

port.on('message', (job: PackJob) => {
  try {
    const packed = packer.pack(job);
    port.postMessage(packed, [packed.bytes.buffer as ArrayBuffer]);
  } catch (error) {
    if (error instanceof TraceError) port.postMessage({ error: error.message, code: error.code });
    else port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
  Atomics.add(done, 0, 1);
  Atomics.notify(done, 0);
});
