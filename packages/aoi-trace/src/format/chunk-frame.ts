// The 40-byte frame in front of every chunk payload: what it is, how long, which ticks, and two CRC-32s (one for
// the frame itself, so a damaged length is never trusted; one for the payload).

import { crc32 } from 'node:zlib';
import { CHUNK_DEFLATED, CHUNK_HEADER_BYTES, CHUNK_KIND_NAMES, CHUNK_SYNC } from './layout.js';
import { Limits } from './limits.js';

export interface ChunkFrame {
  readonly kind: number;
  readonly flags: number;
  /** Bytes stored after the frame. */
  readonly storedLength: number;
  /** Bytes after inflating (equal to storedLength when not deflated). */
  readonly rawLength: number;
  readonly firstTick: number;
  readonly lastTick: number;
  readonly payloadCrc: number;
}

/** The frame bytes for a payload. */
export function encodeFrame(frame: ChunkFrame): Uint8Array {
  const bytes = new Uint8Array(CHUNK_HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, CHUNK_SYNC, true);
  view.setUint8(4, frame.kind);
  view.setUint8(5, frame.flags);
  view.setUint32(8, frame.storedLength, true);
  view.setUint32(12, frame.rawLength, true);
  view.setFloat64(16, frame.firstTick, true);
  view.setFloat64(24, frame.lastTick, true);
  view.setUint32(32, frame.payloadCrc, true);
  view.setUint32(36, crc32(bytes.subarray(0, 36)), true);
  return bytes;
}

/** The frame in `bytes` (40 bytes), or the reason it is not a valid frame. */
export function decodeFrame(bytes: Uint8Array): ChunkFrame | string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, CHUNK_HEADER_BYTES);
  if (view.getUint32(0, true) !== CHUNK_SYNC) return 'no chunk marker (AOIC)';
  if (view.getUint32(36, true) !== crc32(bytes.subarray(0, 36))) return 'chunk frame checksum mismatch';
  const frame: ChunkFrame = {
    kind: view.getUint8(4),
    flags: view.getUint8(5),
    storedLength: view.getUint32(8, true),
    rawLength: view.getUint32(12, true),
    firstTick: view.getFloat64(16, true),
    lastTick: view.getFloat64(24, true),
    payloadCrc: view.getUint32(32, true),
  };
  const lengths = implausibleLengths(frame);
  if (lengths !== undefined) return lengths;
  if (!Number.isSafeInteger(frame.firstTick) || !Number.isSafeInteger(frame.lastTick)) return 'bad tick range';
  if (frame.firstTick > frame.lastTick) return 'bad tick range';
  return frame;
}

/** Why a frame's lengths cannot be honest (beyond the limits, or more inflation than deflate can do), if so. */
export function implausibleLengths(
  frame: Pick<ChunkFrame, 'kind' | 'flags' | 'storedLength' | 'rawLength'>,
): string | undefined {
  const { chunkPayload, deflateRatio } = Limits;
  const what = `the ${CHUNK_KIND_NAMES[frame.kind] ?? `kind ${frame.kind}`} chunk's frame declares`;
  const see = '(docs/aoitrace-format.md, "Limits")';
  if (frame.storedLength > chunkPayload || frame.rawLength > chunkPayload) {
    const length = Math.max(frame.storedLength, frame.rawLength);
    return `${what} ${length} payload bytes, over the ${chunkPayload}-byte limit ${see}`;
  }
  if ((frame.flags & CHUNK_DEFLATED) !== 0 && frame.rawLength > frame.storedLength * deflateRatio) {
    return `${what} ${frame.rawLength} bytes inflated from ${frame.storedLength}, more than deflate's ${deflateRatio}:1 ${see}`;
  }
  return undefined;
}
