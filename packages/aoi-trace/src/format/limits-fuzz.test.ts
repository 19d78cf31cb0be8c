// Fuzzing the reader with built bombs and mutated files (docs/aoitrace-format.md, "Limits"): chunks swapped,
// duplicated, dropped, bombs inserted, frames that lie about their lengths or ticks with their checksums repaired,
// then truncations, bit flips and zero runs. Whatever comes out: only documented TraceError codes, what is decoded
// stays within the per-chunk limits (counted, not timed), and byte damage without repaired checksums never changes
// a tick that is handed out.

import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TraceError, TraceErrorCode } from '../errors.js';
import { type ChunkFrame, decodeFrame } from './chunk-frame.js';
import { CHUNK_HEADER_BYTES, CHUNK_SYNC, ChunkKind } from './layout.js';
import { Limits, tickCost } from './limits.js';
import {
  keyframeEntitiesChunk,
  movesBombChunk,
  rawChunk,
  repairChecksums,
  traceFile,
  zeroTicksChunk,
} from './test-support/bomb-files.js';
import { plain, recordRun, writeBytes } from './test-support/recorded-runs.js';
import { chunkSpans } from './test-support/world-view.js';
import { readTraceBytes } from './trace-reader.js';

/** Valid files, by name (names keep fast-check's counterexamples short). */
const files = {
  deflated: writeBytes(recordRun({ ticks: 60, entities: 30, seed: 11 }), { chunkTicks: 5, keyframeInterval: 15 }),
  stored: writeBytes(recordRun({ ticks: 40, entities: 20, seed: 12 }), {
    chunkTicks: 4,
    keyframeInterval: 12,
    deflate: false,
  }),
};
type FileName = keyof typeof files;
const fileName = fc.constantFrom<FileName>('deflated', 'stored');

/** A file as its start (file header + header chunk) and its keyframe and ticks chunks. */
interface Parts {
  readonly start: Uint8Array;
  readonly chunks: Uint8Array[];
  /** The original index and footer (stale once chunks move). */
  readonly tail: Uint8Array;
}

function split(bytes: Uint8Array): Parts {
  const spans = chunkSpans(bytes);
  const data = spans.filter((s) => s.kind === ChunkKind.Keyframe || s.kind === ChunkKind.Ticks);
  const last = data.at(-1)!.end;
  return {
    start: bytes.slice(0, spans[0]!.end),
    chunks: data.map((s) => bytes.slice(s.offset, s.end)),
    tail: bytes.slice(last),
  };
}

/** Bombs built once: each is one chunk whose checksums are right. */
const bombs: readonly Uint8Array[] = [
  zeroTicksChunk(1000, 5),
  zeroTicksChunk(Limits.chunkTicks),
  zeroTicksChunk(Limits.chunkTicks + 1),
  zeroTicksChunk(2_000_000), // the 10 KB file
  movesBombChunk(3_000_000),
  keyframeEntitiesChunk(Limits.liveEntities + 1, 20),
  rawChunk({ kind: ChunkKind.Ticks, raw: new Uint8Array(60), firstTick: 0, lastTick: 11, declaredRaw: 1 << 24 }),
];

type Structural =
  | { type: 'swap'; i: number; j: number }
  | { type: 'duplicate'; i: number; j: number }
  | { type: 'drop'; i: number }
  | { type: 'bomb'; which: number; at: number }
  | { type: 'lie'; i: number; field: 'storedLength' | 'rawLength' | 'firstTick' | 'lastTick'; value: number };

const structural: fc.Arbitrary<Structural> = fc.oneof(
  fc.record({ type: fc.constant('swap' as const), i: fc.nat(), j: fc.nat() }),
  fc.record({ type: fc.constant('duplicate' as const), i: fc.nat(), j: fc.nat() }),
  fc.record({ type: fc.constant('drop' as const), i: fc.nat() }),
  fc.record({ type: fc.constant('bomb' as const), which: fc.nat(bombs.length - 1), at: fc.nat() }),
  fc.record({
    type: fc.constant('lie' as const),
    i: fc.nat(),
    field: fc.constantFrom('storedLength' as const, 'rawLength' as const, 'firstTick' as const, 'lastTick' as const),
    value: fc.oneof(
      fc.constantFrom(0, 1, 39, 40, 1 << 16, Limits.chunkPayload, Limits.chunkPayload + 1, 0xffffffff),
      fc.nat(),
    ),
  }),
);

function applyStructural(parts: Parts, op: Structural): void {
  const { chunks } = parts;
  const n = chunks.length;
  if (op.type === 'bomb') {
    chunks.splice(op.at % (n + 1), 0, bombs[op.which]!);
    return;
  }
  if (n === 0) return;
  const i = op.i % n;
  if (op.type === 'swap') [chunks[i], chunks[op.j % n]] = [chunks[op.j % n]!, chunks[i]!];
  else if (op.type === 'duplicate') chunks.splice(op.j % (n + 1), 0, chunks[i]!);
  else if (op.type === 'drop') chunks.splice(i, 1);
  else chunks[i] = lie(chunks[i]!, op.field, op.value);
}

/** The chunk with one frame field replaced and the frame's CRC repaired (the payload's CRC still matches). */
function lie(chunk: Uint8Array, field: keyof ChunkFrame, value: number): Uint8Array {
  const copy = chunk.slice();
  const view = new DataView(copy.buffer);
  if (field === 'storedLength') view.setUint32(8, value >>> 0, true);
  else if (field === 'rawLength') view.setUint32(12, value >>> 0, true);
  else view.setFloat64(field === 'firstTick' ? 16 : 24, value, true);
  view.setUint32(36, crc32(copy.subarray(0, 36)), true);
  return copy;
}

type ByteDamage =
  | { type: 'truncate'; at: number }
  | { type: 'flip'; at: number; bit: number }
  | { type: 'zero'; at: number; length: number };

const byteDamage: fc.Arbitrary<ByteDamage> = fc.oneof(
  fc.record({ type: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ type: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ type: fc.constant('zero' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 300 }) }),
);

function applyBytes(bytes: Uint8Array, op: ByteDamage): Uint8Array {
  if (bytes.length === 0) return bytes;
  const at = op.at % bytes.length;
  if (op.type === 'truncate') return bytes.slice(0, at);
  const copy = bytes.slice();
  if (op.type === 'flip') copy[at]! ^= 1 << op.bit;
  else copy.fill(0, at, at + op.length);
  return copy;
}

const documented = new Set<string>(Object.values(TraceErrorCode));

function expectDocumented(error: unknown): void {
  if (!(error instanceof TraceError)) throw error;
  expect(documented).toContain(error.code);
}

/** Valid ticks frames anywhere in the bytes: at most this many chunks can yield ticks. */
function ticksFrames(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let n = 0;
  for (let i = 0; i + CHUNK_HEADER_BYTES <= bytes.length; i++) {
    if (view.getUint32(i, true) !== CHUNK_SYNC) continue;
    const frame = decodeFrame(bytes.subarray(i, i + CHUNK_HEADER_BYTES));
    if (typeof frame !== 'string' && frame.kind === ChunkKind.Ticks) n++;
  }
  return n;
}

/**
 * Everything a consumer does with a file. Fails on any error but a documented TraceError, on more ticks or decoded
 * bytes than the file's ticks frames may hold, and (with `original`) on a tick that differs from the original's.
 */
function useEverything(bytes: Uint8Array, original?: Map<number, object>): void {
  const frames = ticksFrames(bytes);
  let records = 0;
  let cost = 0;
  try {
    const reader = readTraceBytes(bytes);
    for (const record of reader.ticks()) {
      records++;
      cost += tickCost(record);
      if (original) {
        // `resync` (the world reading resumed from, after lost ticks) is the reader's note, not the tick's data.
        const { resync: _resumedFrom, ...decoded } = plain(record) as { resync?: unknown };
        expect(decoded).toEqual(original.get(record.tick));
      }
    }
    expect(records).toBeLessThanOrEqual(frames * Limits.chunkTicks);
    expect(cost).toBeLessThanOrEqual(frames * Limits.chunkDecodedBytes);
    reader.stats();
    reader.verify();
    for (const tick of [0, 9, 33, 1e9]) {
      try {
        reader.stateAt(tick);
      } catch (error) {
        expectDocumented(error);
      }
    }
    let ranged = 0;
    for (const _ of reader.ticks({ from: 10, to: 20 })) ranged++;
    // Ticks increase within a chunk, so each chunk yields at most the 11 ticks of the range.
    expect(ranged).toBeLessThanOrEqual(11 * frames);
  } catch (error) {
    expectDocumented(error);
  }
}

const originals = {
  deflated: ticksByNumber(files.deflated),
  stored: ticksByNumber(files.stored),
};

function ticksByNumber(bytes: Uint8Array): Map<number, object> {
  return new Map([...readTraceBytes(bytes).ticks()].map((record) => [record.tick, plain(record)]));
}

describe('.aoitrace reader on bombs and mutated files', () => {
  it('reads every bomb within the limits or refuses it with a documented error', () => {
    fc.assert(
      fc.property(fc.nat(bombs.length - 1), fileName, fc.nat(), fc.boolean(), (which, base, at, index) => {
        const parts = split(files[base]);
        applyStructural(parts, { type: 'bomb', which, at });
        useEverything(traceFile(parts.chunks, index, parts.start));
      }),
      { numRuns: 30 },
    );
    // Each run inflates and decodes its bomb several times (ticks, stats, verify, stateAt): seconds, not a hang.
  }, 120_000);

  it('survives swapped, duplicated, dropped, bombed and lying chunks, then byte damage', () => {
    fc.assert(
      fc.property(
        fileName,
        fc.array(structural, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('rebuild', 'stale', 'none'),
        fc.array(byteDamage, { maxLength: 2 }),
        fc.boolean(),
        (base, ops, tail, damage, repair) => {
          const parts = split(files[base]);
          for (const op of ops) applyStructural(parts, op);
          let bytes =
            tail === 'rebuild'
              ? traceFile(parts.chunks, true, parts.start)
              : traceFile(tail === 'stale' ? [...parts.chunks, parts.tail] : parts.chunks, false, parts.start);
          for (const op of damage) bytes = applyBytes(bytes, op);
          if (repair) bytes = repairChecksums(bytes);
          useEverything(bytes);
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);

  it('never hands out a changed tick when byte damage leaves the checksums as they are', () => {
    fc.assert(
      fc.property(fileName, fc.array(byteDamage, { minLength: 1, maxLength: 3 }), (base, damage) => {
        let bytes = files[base];
        for (const op of damage) bytes = applyBytes(bytes, op);
        useEverything(bytes, originals[base]);
      }),
      { numRuns: 200 },
    );
  });
});
