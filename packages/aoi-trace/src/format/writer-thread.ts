// Worker thread of a background format 3.x TraceWriter (threaded-writer.ts): runs the inline writer, so the events'
// prediction, the deviations, the chunking and keyframe decisions that depend on the prediction, deflate and
// checksums all happen here, exactly as they would on the caller (same bytes). Every byte it would write goes back
// to the caller as a positional write, in order; the caller owns the target.

import { type MessagePort, workerData } from 'node:worker_threads';
import { TraceError } from '../errors.js';
import type { WriteTarget } from './io.js';
import { receivedTick } from './tick-transfer.js';
import { TraceWriter } from './trace-writer.js';
import { HOLD_MS, type PredictReply, type PredictRequest, type RemoteError, Status } from './writer-thread-protocol.js';

const { port, status } = workerData as { port: MessagePort; status: Int32Array };
/** Posts a write back; the bytes are copied so the packer's buffers are never shared. */
const target: WriteTarget = {
  write(bytes, position) {
    const copy = bytes.slice();
    post({ type: 'write', bytes: copy, position }, [copy.buffer]);
  },
  close() {},
};
let writer: TraceWriter | undefined;
/** Once a request failed, ticks are refused (the caller throws the first error); close still finishes the file. */
let failed = false;

port.on('message', (request: PredictRequest) => {
  try {
    if (request.type === 'begin') {
      writer = new TraceWriter(target, { ...request.options, background: false });
      writer.begin(request.header);
    } else if (request.type === 'tick') {
      if (!failed) writer!.writeTick(receivedTick(request.record));
    } else if (request.type === 'hold') {
      Atomics.wait(status, Status.stalls, 0, HOLD_MS);
    } else if (request.type === 'flush') {
      if (!failed) writer!.flush();
    } else {
      writer?.close();
    }
  } catch (error) {
    failed = true;
    post({ type: 'error', error: remoteError(error) });
  }
  if (request.type === 'tick') Atomics.add(status, Status.ticksDone, 1);
  else post({ type: 'done', request: request.type });
  const backlog = writer?.backlog() ?? { ticks: 0, chunks: 0 };
  Atomics.store(status, Status.backlogTicks, backlog.ticks);
  Atomics.store(status, Status.backlogChunks, backlog.chunks);
  Atomics.add(status, Status.signal, 1);
  Atomics.notify(status, Status.signal);
});

function post(reply: PredictReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(reply, transfer);
}

function remoteError(error: unknown): RemoteError {
  if (error instanceof TraceError)
    return { message: error.message, code: error.code, details: error.details, fault: error.fault };
  return { message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}
