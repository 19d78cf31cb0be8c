// Reading one chunk: one positional read of frame + payload, both checksums, then inflate if flagged. Anything
// wrong is a CORRUPT TraceError at the chunk's offset; nothing from a bad chunk is ever decoded.

import { crc32, inflateRawSync } from 'node:zlib';
import { TraceError, TraceErrorCode } from '../errors.js';
import { type ChunkFrame, decodeFrame } from './chunk-frame.js';
import type { ReadSource } from './io.js';
import { CHUNK_DEFLATED, CHUNK_HEADER_BYTES } from './layout.js';

export interface LoadedChunk {
  readonly frame: ChunkFrame;
  /** The payload after inflating. */
  readonly payload: Uint8Array;
}

/** Outcome of looking at the bytes at an offset: a chunk, the end of the file inside one, or damage. */
export type ChunkProbe =
  | { readonly type: 'chunk'; readonly frame: ChunkFrame; readonly stored: Uint8Array }
  | { readonly type: 'cut' }
  | { readonly type: 'bad-frame'; readonly reason: string }
  | { readonly type: 'bad-payload'; readonly frame: ChunkFrame; readonly reason: string };

/** Reads the frame at `offset` and, if it is valid and complete, its stored payload (checksum verified). */
export function probeChunk(source: ReadSource, offset: number): ChunkProbe {
  if (offset + CHUNK_HEADER_BYTES > source.size) return { type: 'cut' };
  const frameBytes = source.read(offset, CHUNK_HEADER_BYTES);
  const frame = decodeFrame(frameBytes);
  if (typeof frame === 'string') return { type: 'bad-frame', reason: frame };
  if (offset + CHUNK_HEADER_BYTES + frame.storedLength > source.size) return { type: 'cut' };
  const stored = source.read(offset + CHUNK_HEADER_BYTES, frame.storedLength);
  if (crc32(stored) !== frame.payloadCrc) return { type: 'bad-payload', frame, reason: 'payload checksum mismatch' };
  return { type: 'chunk', frame, stored };
}

/** The payload of the chunk at `offset`, verified and inflated; throws CORRUPT or TRUNCATED. */
export function loadChunk(source: ReadSource, offset: number, expectedKind?: number): LoadedChunk {
  const probe = probeChunk(source, offset);
  if (probe.type === 'cut') {
    throw new TraceError(TraceErrorCode.Truncated, `the file ends inside the chunk at byte ${offset}.`, { offset });
  }
  if (probe.type !== 'chunk') throw corrupt(offset, probe.reason);
  const { frame } = probe;
  if (expectedKind !== undefined && frame.kind !== expectedKind) {
    throw corrupt(offset, `chunk kind ${frame.kind}, expected ${expectedKind}`);
  }
  return { frame, payload: inflate(probe.stored, frame, offset) };
}

export function inflate(stored: Uint8Array, frame: ChunkFrame, offset: number): Uint8Array {
  if ((frame.flags & ~CHUNK_DEFLATED) !== 0) throw corrupt(offset, `unknown chunk flags ${frame.flags}`);
  if ((frame.flags & CHUNK_DEFLATED) === 0) {
    if (frame.rawLength !== frame.storedLength) throw corrupt(offset, 'stored and raw lengths differ');
    return stored;
  }
  let raw: Uint8Array;
  try {
    raw = inflateRawSync(stored, { maxOutputLength: Math.max(1, frame.rawLength) });
  } catch (error) {
    throw corrupt(offset, `deflate data is damaged (${(error as Error).message})`);
  }
  if (raw.length !== frame.rawLength)
    throw corrupt(offset, `inflated to ${raw.length} bytes, expected ${frame.rawLength}`);
  return raw;
}

export const corrupt = (offset: number, reason: string) =>
  new TraceError(TraceErrorCode.Corrupt, `chunk at byte ${offset}: ${reason}.`, { offset });
