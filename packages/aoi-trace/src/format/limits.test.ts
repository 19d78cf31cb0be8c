// The format's limits (limits.ts, docs/aoitrace-format.md "Limits"): hand-built chunks with every checksum right that
// declare or decode to implausible sizes are refused with an error naming the chunk, before anything big is
// allocated; the writer cuts chunks so that it never writes one a reader refuses.

import { describe, expect, it } from 'vitest';
import { TraceError, TraceErrorCode } from '../errors.js';
import { emptyMoves, pushMove } from '../model/columns.js';
import { tickRecord } from '../model/test-support/tick-records.js';
import type { EntitySpawn, TickRecord } from '../model/types.js';
import { WorldState } from '../model/world-state.js';
import { ByteWriter } from './byte-writer.js';
import { MemoryTarget } from './io.js';
import { CHUNK_HEADER_BYTES, ChunkKind, FILE_HEADER_BYTES } from './layout.js';
import { DecodeCost, Limits } from './limits.js';
import {
  concat,
  enterBombChunk,
  fileStart,
  headerChunk,
  keyframeEntitiesChunk,
  movesBombChunk,
  rawChunk,
  repairChecksums,
  traceFile,
  zeroBombFile,
  zeroTicksChunk,
} from './test-support/bomb-files.js';
import { SpawnFlag } from './tick-layout.js';
import { readTraceBytes } from './trace-reader.js';
import { TraceWriter } from './trace-writer.js';

const dataStart = fileStart().length;

/**
 * The error of a strict full read (ticks, then every keyframe), else the first damaged chunk a scan noted (a frame
 * that cannot be trusted is damage the reader steps over), else undefined: the file reads.
 */
function strictError(bytes: Uint8Array): TraceError | undefined {
  try {
    const reader = readTraceBytes(bytes, { strict: true });
    const damage = reader.verify().corrupt[0];
    if (damage === undefined) return undefined;
    const message = `chunk at byte ${damage.offset}: ${damage.reason}`;
    return new TraceError(TraceErrorCode.Corrupt, message, { offset: damage.offset });
  } catch (error) {
    if (error instanceof TraceError) return error;
    throw error;
  }
}

describe('.aoitrace limits on hostile chunks', () => {
  // Issue 15: these inflate to ~10 MB, ~30 MB and 256 MiB of empty ticks (5 bytes each) from 10, 30 and 261 KB.
  it.each([
    ['10 KB', 10e6, TraceErrorCode.Limit, /ticks chunk at byte \d+: more than 65536 ticks/],
    ['30 KB', 30e6, TraceErrorCode.Limit, /ticks chunk at byte \d+: more than 65536 ticks/],
    ['261 KB', 256 * 1024 * 1024 - 4, TraceErrorCode.Corrupt, /ticks chunk's frame declares \d+ payload bytes/],
  ])('refuses the issue %s bomb, naming the chunk, with or without an index', (_, rawBytes, code, message) => {
    for (const index of [false, true]) {
      const error = strictError(zeroBombFile(rawBytes, index));
      expect(error?.code).toBe(code);
      expect(error?.details.offset).toBe(dataStart);
      expect(error?.message).toMatch(message);
      expect(error?.message).toContain(`byte ${dataStart}`);
    }
  });

  it('reads a chunk of empty ticks up to the tick limit, and refuses one more', () => {
    const atLimit = traceFile([zeroTicksChunk(Limits.chunkTicks)]);
    expect(strictError(atLimit)).toBeUndefined();
    expect([...readTraceBytes(atLimit).ticks()].length).toBe(Limits.chunkTicks);
    const over = traceFile([zeroTicksChunk(Limits.chunkTicks + 1)]);
    expect(strictError(over)?.code).toBe(TraceErrorCode.Limit);
    // Not strict: the chunk is reported as damaged at its offset and nothing of it is handed out.
    const reader = readTraceBytes(over);
    expect([...reader.ticks()]).toEqual([]);
    expect(reader.integrity.corrupt.map((c) => c.offset)).toEqual([dataStart]);
  });

  it('refuses a frame that declares more inflation than deflate can do (lengths lie, checksums right)', () => {
    const chunk = rawChunk({
      kind: ChunkKind.Ticks,
      raw: new Uint8Array(50),
      firstTick: 0,
      lastTick: 9,
      declaredRaw: 20 * 1024 * 1024,
    });
    const error = strictError(traceFile([chunk]));
    expect(error?.code).toBe(TraceErrorCode.Corrupt);
    expect(error?.message).toMatch(
      /ticks chunk's frame declares 20971520 bytes inflated from \d+, more than deflate's 1032:1/,
    );
  });

  it("charges a tick's moves to the chunk's budget before allocating them", () => {
    // One entity, then a tick declaring 3 million moves of it in one id run: 96 MB of columns, from ~1.5 MB of bytes.
    const chunk = movesBombChunk(3_000_000);
    const error = strictError(traceFile([chunk]));
    expect(error?.code).toBe(TraceErrorCode.Limit);
    expect(error?.message).toMatch(/ticks chunk at byte \d+: decodes to more than 64 MiB \(at 3000000 move\(s\)\)/);
  });

  it('refuses a keyframe with more entities than the live-entity limit', () => {
    const keyframe = keyframeEntitiesChunk(Limits.liveEntities + 1);
    const error = strictError(traceFile([keyframe, zeroTicksChunk(1, 1)], true));
    expect(error?.code).toBe(TraceErrorCode.Limit);
    expect(error?.message).toMatch(/keyframe chunk at byte \d+: 1048577 entities, more than 1048576/);
  });

  it("charges a keyframe's tags to its budget", () => {
    const tags = Limits.chunkDecodedBytes / DecodeCost.tag + 1;
    const out = new ByteWriter();
    out.f64(0);
    out.varint(1); // entity 1 at (0, 0), radius 10, same leave radius, `tags` times the tag "" (defined, then referenced)
    out.svarint(1);
    out.svarint(0);
    out.svarint(0);
    out.number(10);
    out.u8(SpawnFlag.SameLeave);
    out.varint(tags);
    out.varint(0);
    out.string('');
    out.append(new Uint8Array(tags - 1).fill(1));
    out.svarint(0); // spawn tick
    out.varint(0); // no views
    const keyframe = rawChunk({ kind: ChunkKind.Keyframe, raw: out.toBytes(), firstTick: 0, lastTick: 0 });
    const error = strictError(traceFile([keyframe, zeroTicksChunk(1, 1)], true));
    expect(error?.code).toBe(TraceErrorCode.Limit);
    expect(error?.message).toMatch(/^keyframe chunk at byte \d+: decodes to more than 64 MiB \(at 8388609 tag\(s\)\)/);
  });

  it('refuses to replay into a world with more view pairs than the limit, naming the tick', () => {
    const reader = readTraceBytes(traceFile([enterBombChunk(Limits.viewPairs + 1)]));
    let error: unknown;
    try {
      reader.stateAt(0);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TraceError);
    expect((error as TraceError).code).toBe(TraceErrorCode.Limit);
    expect((error as TraceError).message).toMatch(/^tick 0: the world holds more than 4194304 view pairs/);
    expect(
      readTraceBytes(traceFile([enterBombChunk(1000)]))
        .stateAt(0)
        .views.get(0)?.size,
    ).toBe(1000);
  });

  it('a WorldState built from ticks refuses more view pairs than the limit, across chunks, naming the tick', () => {
    // Two chunks, each within every per-chunk limit, whose enters add up past the pair limit.
    const half = Limits.viewPairs / 2 + 1;
    const reader = readTraceBytes(traceFile([enterBombChunk(half, 0, 0), enterBombChunk(half, half + 1, 1)]));
    const state = new WorldState();
    expect(() => {
      for (const record of reader.ticks()) state.apply(record);
    }).toThrow(/^tick 1: the world holds more than 4194304 view pairs/);
    expect(state.tick).toBe(0);
    expect(state.views.get(0)?.size).toBe(half);
  });

  it('refuses to open a file with more chunks than the limit (found by a scan), naming where', () => {
    // Empty keyframe chunks, 40 bytes each: a 1 GB file of them would be 25 million index entries.
    const frame = rawChunk({
      kind: ChunkKind.Keyframe,
      raw: new Uint8Array(0),
      firstTick: 0,
      lastTick: 0,
      deflate: false,
    });
    const chunks = new Uint8Array(frame.length * (Limits.chunks + 1));
    for (let at = 0; at < chunks.length; at += frame.length) chunks.set(frame, at);
    let error: unknown;
    try {
      readTraceBytes(traceFile([chunks]));
    } catch (caught) {
      error = caught;
    }
    expect((error as TraceError).code).toBe(TraceErrorCode.Limit);
    const offset = dataStart + Limits.chunks * frame.length;
    expect((error as TraceError).details.offset).toBe(offset);
    expect((error as TraceError).message).toContain(`more than ${Limits.chunks} chunks before byte ${offset}`);
  });

  it('refuses a header chunk over the header limit, on reading and on writing', () => {
    const attributes: Record<string, string> = {};
    for (let i = 0; i < 120_000; i++) attributes[`k${i}`] = 'v';
    const header = { source: 'x', startTime: 0, regionSize: 1, quantum: 1, epsilon: 0, tagNames: [], attributes };
    expect(() => new TraceWriter(new MemoryTarget()).begin(header)).toThrow(
      /the header .* over the 1048576-byte limit/,
    );
    const start = concat([fileStart().subarray(0, FILE_HEADER_BYTES), headerChunk(header)]);
    const error = strictError(traceFile([zeroTicksChunk(1)], false, start));
    expect(error?.code).toBe(TraceErrorCode.Limit);
    expect(error?.message).toMatch(/^header chunk at byte 16: \d+ bytes, more than the header's 1048576/);
  });

  it('refuses a header whose regionSize is not a positive finite number, on reading and on writing', () => {
    for (const regionSize of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const start = fileStart();
      // The header payload: source ("bomb", defined inline: 6 bytes), f64 startTime, then f64 regionSize.
      new DataView(start.buffer).setFloat64(FILE_HEADER_BYTES + CHUNK_HEADER_BYTES + 14, regionSize, true);
      const bytes = repairChecksums(traceFile([zeroTicksChunk(1)], false, start));
      expect(() => readTraceBytes(bytes)).toThrow(new RegExp(`header chunk at byte 16: bad regionSize ${regionSize}`));
      const writer = new TraceWriter(new MemoryTarget());
      const header = { source: 'x', startTime: 0, regionSize, quantum: 1, epsilon: 0, tagNames: [], attributes: {} };
      expect(() => writer.begin(header)).toThrow(/header.regionSize must be a positive number/);
    }
  });

  it('the writer cuts ticks chunks by decoded size, and what it writes reads back whole', () => {
    // 25,000 entities moving every tick cost ~800 KB a tick as decoded; enough ticks for 2.5 times the chunk limit,
    // with tick and byte budgets too large to cut the chunks first.
    const entities = 25_000;
    const perTick = DecodeCost.tick + entities * DecodeCost.move;
    const ticks = Math.ceil((2.5 * Limits.chunkDecodedBytes) / perTick);
    const target = new MemoryTarget();
    const writer = new TraceWriter(target, { chunkTicks: ticks + 10, chunkBytes: 16 * 1024 * 1024, deflate: false });
    writer.begin({
      source: 'limits',
      startTime: 0,
      regionSize: 64,
      quantum: 1,
      epsilon: 0,
      tagNames: [],
      attributes: {},
    });
    const spawns: EntitySpawn[] = [];
    for (let id = 0; id < entities; id++) {
      spawns.push({ id, x: 0, y: 0, viewRadius: 1, leaveRadius: 1, watcher: false, marker: true, tags: [], cause: -1 });
    }
    writer.writeTick(tick(0, spawns, emptyMoves()));
    for (let t = 1; t <= ticks; t++) {
      const moves = emptyMoves(entities);
      for (let id = 0; id < entities; id++) pushMove(moves, id, t, id % 7, false, -1);
      writer.writeTick(tick(t, [], moves));
    }
    writer.close();
    const bytes = target.bytes();
    expect(strictError(bytes)).toBeUndefined();
    const reader = readTraceBytes(bytes);
    expect(reader.stats().ticks).toBe(ticks + 1);
    expect(reader.stats().chunks).toBeGreaterThanOrEqual(3);
  });

  it('the writer refuses options past the limits', () => {
    expect(() => new TraceWriter(new MemoryTarget(), { chunkTicks: Limits.chunkTicks + 1 })).toThrow(/chunkTicks/);
    expect(() => new TraceWriter(new MemoryTarget(), { chunkBytes: Limits.chunkPayload })).toThrow(/chunkBytes/);
  });
});

const tick = (at: number, spawns: EntitySpawn[], moves: TickRecord['moves']): TickRecord =>
  tickRecord(at, { spawns, moves });
