import type { ServerResponse } from 'node:http';
import { encodeTick } from './encode.js';
import type { SourceHandle } from './source-handle.js';

/** Writes are grouped up to this size: fewer, larger chunks for small ticks. */
const FLUSH_BYTES = 256 * 1024;

/**
 * Streams the ticks of `[from, to]` as wire tick frames, one after another, as they are read: the client renders
 * the first ticks while later ones are still on the way. Respects backpressure and stops when the client goes away.
 */
export async function streamTicks(handle: SourceHandle, from: number, to: number, res: ServerResponse): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' });
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  const flush = async () => {
    if (batchBytes === 0) return;
    const ok = res.write(batch.length === 1 ? batch[0]! : Buffer.concat(batch));
    batch = [];
    batchBytes = 0;
    if (!ok && !closed) await drainOrClose(res);
  };
  for (const record of handle.source.ticks(from, to)) {
    if (closed) return;
    const frame = encodeTick(record, handle.tags);
    batch.push(frame);
    batchBytes += frame.length;
    if (batchBytes >= FLUSH_BYTES) await flush();
  }
  await flush();
  res.end();
}

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
