// Hand-built hostile .aoitrace files for the limits tests: every checksum is right, so only the declared and decoded
// sizes can stop the reader. Built from the frame and header codecs directly (the writer refuses to make them).

import { crc32, deflateRawSync } from 'node:zlib';
import type { TraceHeader } from '../../model/types.js';
import { ByteWriter } from '../byte-writer.js';
import { encodeFrame } from '../chunk-frame.js';
import { encodeFooter, encodeIndex } from '../chunk-index.js';
import { encodeHeader, headerBytes } from '../header-codec.js';
import {
  CHUNK_DEFLATED,
  CHUNK_HEADER_BYTES,
  ChunkKind,
  FILE_HEADER_BYTES,
  FILE_MAGIC,
  FORMAT_MAJOR,
} from '../layout.js';
import { SpawnFlag, TickFlag } from '../tick-layout.js';

/** Bytes of one empty tick in a chunk of zeros: flags, tick delta, time delta, move count, event count. */
export const EMPTY_TICK_BYTES = 5;

export interface RawChunk {
  readonly kind: number;
  readonly raw: Uint8Array;
  readonly firstTick: number;
  readonly lastTick: number;
  /** Deflate the payload (level 9), as a bomb would. @default true */
  readonly deflate?: boolean;
  /** Declare this raw length instead of the true one (a lying frame with both checksums right). */
  readonly declaredRaw?: number;
}

/** Frame + stored payload, checksums computed, no limit applied. */
export function rawChunk(chunk: RawChunk): Uint8Array {
  const deflated = chunk.deflate ?? true;
  const stored = deflated ? deflateRawSync(chunk.raw, { level: 9 }) : chunk.raw;
  const frame = encodeFrame({
    kind: chunk.kind,
    flags: deflated ? CHUNK_DEFLATED : 0,
    storedLength: stored.length,
    rawLength: chunk.declaredRaw ?? chunk.raw.length,
    firstTick: chunk.firstTick,
    lastTick: chunk.lastTick,
    payloadCrc: crc32(stored),
  });
  const bytes = new Uint8Array(frame.length + stored.length);
  bytes.set(frame);
  bytes.set(stored, frame.length);
  return bytes;
}

/** A ticks chunk of `ticks` empty ticks (all zeros): the bomb. */
export function zeroTicksChunk(ticks: number, firstTick = 0): Uint8Array {
  const raw = new Uint8Array(ticks * EMPTY_TICK_BYTES);
  return rawChunk({ kind: ChunkKind.Ticks, raw, firstTick, lastTick: firstTick + ticks - 1 });
}

/** File header and header chunk of a small valid trace. */
export function fileStart(): Uint8Array {
  const start = new Uint8Array(FILE_HEADER_BYTES);
  start.set(FILE_MAGIC);
  new DataView(start.buffer).setUint16(8, FORMAT_MAJOR, true);
  const header = {
    source: 'bomb',
    startTime: 0,
    regionSize: 64,
    quantum: 1 / 64,
    epsilon: 0,
    tagNames: [],
    attributes: {},
  };
  return concat([
    start,
    rawChunk({ kind: ChunkKind.Header, raw: encodeHeader(header), firstTick: 0, lastTick: 0, deflate: false }),
  ]);
}

/** A header chunk for `header`, without encodeHeader's checks. */
export function headerChunk(header: TraceHeader): Uint8Array {
  return rawChunk({ kind: ChunkKind.Header, raw: headerBytes(header), firstTick: 0, lastTick: 0 });
}

/**
 * A whole file: the start, then `chunks`; with `index`, an index chunk and footer listing every keyframe/ticks chunk
 * (so the reader takes the indexed path), else none (the reader scans, as after a crash).
 */
export function traceFile(chunks: readonly Uint8Array[], index = false, start = fileStart()): Uint8Array {
  if (!index) return concat([start, ...chunks]);
  const entries = [];
  let offset = start.length;
  for (const chunk of chunks) {
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    entries.push({
      offset,
      kind: view.getUint8(4),
      storedLength: view.getUint32(8, true),
      firstTick: view.getFloat64(16, true),
      lastTick: view.getFloat64(24, true),
      ticks: view.getFloat64(24, true) - view.getFloat64(16, true) + 1,
    });
    offset += chunk.length;
  }
  const indexChunk = rawChunk({
    kind: ChunkKind.Index,
    raw: encodeIndex(entries),
    firstTick: 0,
    lastTick: 0,
    deflate: false,
  });
  return concat([start, ...chunks, indexChunk, encodeFooter(offset)]);
}

/** The bomb files: one checksum-valid ticks chunk of zeros inflating to about `rawBytes`. */
export function zeroBombFile(rawBytes: number, index = false): Uint8Array {
  return traceFile([zeroTicksChunk(Math.floor(rawBytes / EMPTY_TICK_BYTES))], index);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * A ticks chunk (ticks 0 and 1): entity 1 spawns, then one tick declares `moves` moves in one id run from 1, each at
 * its predicted position: ~moves / 2 bytes that would decode to 25 bytes of columns per move.
 */
export function movesBombChunk(moves: number): Uint8Array {
  const out = new ByteWriter();
  out.u8(TickFlag.Spawns);
  out.varint(0); // tick delta
  out.svarint(0); // time delta
  out.varint(1); // one spawn: id 1 at (0, 0), radius 10, a watcher with the same leave radius, no tags, no cause
  out.svarint(1);
  out.svarint(0);
  out.svarint(0);
  out.number(10);
  out.u8(SpawnFlag.Watcher | SpawnFlag.SameLeave);
  out.varint(0);
  out.varint(0);
  out.varint(0); // no moves
  out.varint(0); // no events
  out.u8(0); // tick 1: moves only
  out.varint(0);
  out.svarint(0);
  out.varint(moves);
  out.varint(1); // one id run of `moves` ids from 1
  out.svarint(1);
  out.varint(moves - 1);
  out.varint(0); // no special moves
  out.append(new Uint8Array((moves + 1) >> 1).fill(0x44)); // residual code 4: (0, 0), the predicted position
  out.varint(0); // no events
  return rawChunk({ kind: ChunkKind.Ticks, raw: out.toBytes(), firstTick: 0, lastTick: 1 });
}

/** A keyframe of tick `tick` declaring `count` entities (of zero bytes: its count is all that matters). */
export function keyframeEntitiesChunk(count: number, tick = 0): Uint8Array {
  const out = new ByteWriter();
  out.f64(0);
  out.varint(count);
  out.append(new Uint8Array(count * 6));
  return rawChunk({ kind: ChunkKind.Keyframe, raw: out.toBytes(), firstTick: tick, lastTick: tick });
}

/** Recomputes every chunk's payload and frame CRC (walking frames by their lengths), so only structure is damaged. */
export function repairChecksums(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = FILE_HEADER_BYTES;
  while (offset + CHUNK_HEADER_BYTES <= bytes.length) {
    const length = view.getUint32(offset + 8, true);
    if (offset + CHUNK_HEADER_BYTES + length > bytes.length) break;
    view.setUint32(offset, 0x43494f41, true);
    view.setUint32(
      offset + 32,
      crc32(bytes.subarray(offset + CHUNK_HEADER_BYTES, offset + CHUNK_HEADER_BYTES + length)),
      true,
    );
    view.setUint32(offset + 36, crc32(bytes.subarray(offset, offset + 36)), true);
    offset += CHUNK_HEADER_BYTES + length;
  }
  return bytes;
}

/** A ticks chunk of one tick in which `watcher` enters the view of `count` targets, ids watcher + 1 on. */
export function enterBombChunk(count: number, watcher = 0, tick = 0): Uint8Array {
  const out = new ByteWriter();
  out.u8(0);
  out.varint(0); // tick delta
  out.svarint(0); // time delta
  out.varint(0); // no moves
  out.varint(count);
  out.append(new Uint8Array((count + 3) >> 2)); // kind 0: enter
  out.varint(1); // one group: `watcher`, `count` targets, each one above the last
  out.svarint(watcher);
  out.varint(count - 1);
  out.append(new Uint8Array(count).fill(2)); // svarint +1
  return rawChunk({ kind: ChunkKind.Ticks, raw: out.toBytes(), firstTick: tick, lastTick: tick });
}
