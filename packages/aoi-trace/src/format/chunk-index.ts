// The index chunk (one entry per chunk, written by close()) and the footer that points at it.

import { crc32 } from 'node:zlib';
import type { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { ChunkKind, FOOTER_BYTES, FOOTER_MAGIC } from './layout.js';
import { Limits } from './limits.js';

export interface ChunkEntry {
  readonly offset: number;
  readonly kind: number;
  /** Payload bytes as stored (after the 40-byte frame). */
  readonly storedLength: number;
  readonly firstTick: number;
  readonly lastTick: number;
  /** Ticks, moves and events in a ticks chunk (0 for others); undefined when unknown (index rebuilt by scanning). */
  readonly ticks?: number | undefined;
  readonly moves?: number | undefined;
  readonly events?: number | undefined;
  /** Why the chunk cannot be read (bad checksum, bad structure, a gap with no readable frame), if it cannot. */
  bad?: string;
}

/** Kind of the pseudo-entry that stands for damaged bytes whose frame could not be read. */
export const GAP_KIND = 0;

export function encodeIndex(entries: readonly ChunkEntry[]): Uint8Array {
  const out = new ByteWriter(64 + entries.length * 16);
  out.varint(entries.length);
  let prevEnd = 0;
  let prevTick = 0;
  for (const entry of entries) {
    out.varint(entry.offset - prevEnd);
    out.u8(entry.kind);
    out.varint(entry.storedLength);
    out.svarint(entry.firstTick - prevTick);
    out.varint(entry.lastTick - entry.firstTick);
    out.varint(entry.ticks ?? 0);
    out.varint(entry.moves ?? 0);
    out.varint(entry.events ?? 0);
    prevEnd = entry.offset + 40 + entry.storedLength;
    prevTick = entry.lastTick;
  }
  return out.toBytes();
}

/** Entries of an index payload; `dataEnd` is where the index chunk starts (every entry must end before it). */
export function decodeIndex(input: ByteReader, dataStart: number, dataEnd: number): ChunkEntry[] {
  const count = input.count('index entry', 8);
  if (count > Limits.chunks) throw input.limit(`${count} index entries, more than ${Limits.chunks}`);
  const entries: ChunkEntry[] = [];
  let prevEnd = 0;
  let prevTick = 0;
  for (let i = 0; i < count; i++) {
    const offset = prevEnd + input.varint();
    if (offset < dataStart) throw input.fail(`index entry ${i} points into the header`);
    const kind = input.u8();
    const storedLength = input.varint();
    const firstTick = prevTick + input.svarint();
    const lastTick = firstTick + input.varint();
    const ticks = input.varint();
    const moves = input.varint();
    const events = input.varint();
    if (kind !== ChunkKind.Keyframe && kind !== ChunkKind.Ticks) throw input.fail(`index entry ${i}: bad kind ${kind}`);
    if (offset + 40 + storedLength > dataEnd) throw input.fail(`index entry ${i} points past the data`);
    if (!Number.isSafeInteger(firstTick) || !Number.isSafeInteger(lastTick) || firstTick < prevTick) {
      throw input.fail(`index entry ${i}: bad tick range`);
    }
    if (ticks > Math.min(Limits.chunkTicks, lastTick - firstTick + 1)) {
      throw input.fail(`index entry ${i}: ${ticks} ticks in ticks ${firstTick}..${lastTick}`);
    }
    entries.push({ offset, kind, storedLength, firstTick, lastTick, ticks, moves, events });
    prevEnd = offset + 40 + storedLength;
    prevTick = lastTick;
  }
  input.end();
  return entries;
}

export function encodeFooter(indexOffset: number): Uint8Array {
  const bytes = new Uint8Array(FOOTER_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, FOOTER_MAGIC, true);
  view.setFloat64(4, indexOffset, true);
  view.setUint32(12, crc32(bytes.subarray(0, 12)), true);
  return bytes;
}

/** The index offset a footer points at, or undefined if these bytes are not a valid footer. */
export function decodeFooter(bytes: Uint8Array): number | undefined {
  if (bytes.length !== FOOTER_BYTES) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, FOOTER_BYTES);
  if (view.getUint32(0, true) !== FOOTER_MAGIC) return undefined;
  if (view.getUint32(12, true) !== crc32(bytes.subarray(0, 12))) return undefined;
  const offset = view.getFloat64(4, true);
  return Number.isSafeInteger(offset) && offset >= 0 ? offset : undefined;
}
