import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detect } from '../detect/detect.js';
import { TraceError } from '../errors.js';
import { exportChromeTrace } from '../export/chrome-trace.js';
import { StringTextSink } from '../export/text-sink.js';
import { MemoryTrace } from '../model/memory-trace.js';
import type { TickRecord } from '../model/types.js';
import { WorldState } from '../model/world-state.js';
import { NdjsonWriter } from '../ndjson/ndjson-writer.js';
import { parseNdjsonLine } from '../ndjson/parse-ndjson-line.js';
import { TickValidator } from '../ndjson/tick-validator.js';
import { eventsOf } from '../query/events-of.js';
import { whoSawWhom } from '../query/who-saw-whom.js';
import { type DamageEntry, tickCoverage } from './damage-report.js';
import { ChunkKind } from './layout.js';
import { plain, recordRun, writeBytes } from './test-support/recorded-runs.js';
import { chunkSpans, plainWorld, replayAll } from './test-support/world-view.js';
import { readTraceBytes } from './trace-reader.js';

const trace = recordRun({ ticks: 120, entities: 50, seed: 11 });
const bytes = writeBytes(trace, { chunkTicks: 5, keyframeInterval: 20 });
const spans = chunkSpans(bytes);
const ticksChunks = spans.filter((s) => s.kind === ChunkKind.Ticks);
const keyframes = spans.filter((s) => s.kind === ChunkKind.Keyframe);
const indexChunk = spans.find((s) => s.kind === ChunkKind.Index)!;
const worlds = replayAll(trace.records);
/** A ticks chunk in the middle that follows another ticks chunk (so ticks before it are read). */
const victim = ticksChunks.find((s, i) => i > 0 && s.firstTick > 45 && ticksChunks[i - 1]!.end === s.offset)!;
const nextKey = keyframes.find((k) => k.offset > victim.offset)!;

function flipped(at: number): Uint8Array {
  const copy = bytes.slice();
  copy[at]! ^= 0x10;
  return copy;
}

describe('a damaged ticks chunk', () => {
  it('resumes at the next keyframe with the world there, so a replay of the reading matches the truth', () => {
    const reader = readTraceBytes(flipped(victim.offset + 60));
    const records = [...reader.ticks()];
    const resumed = records.find((r) => r.resync !== undefined)!;
    expect(resumed.tick).toBe(nextKey.lastTick + 1);
    expect(plainWorld(resumed.resync!.state)).toEqual(worlds.get(nextKey.lastTick));
    expect(resumed.resync!.lostFrom).toBe(victim.firstTick);
    // Every tick read gives the true world: nothing made up, nothing applied against the wrong state.
    for (const [tick, world] of replayAll(records)) expect(world).toEqual(worlds.get(tick));
    expect(records.map((r) => r.tick)).toEqual(
      trace.records.map((r) => r.tick).filter((t) => t < victim.firstTick || t > nextKey.lastTick),
    );
  });

  it('reports the gap: ticks lost, the chunk, its offset and where reading resumed', () => {
    const reader = readTraceBytes(flipped(victim.offset + 60));
    for (const _ of reader.ticks()) {
      // read everything
    }
    const lost = nextKey.lastTick - victim.firstTick + 1;
    expect(reader.damageReport).toEqual([
      {
        type: 'gap',
        offset: victim.offset,
        chunk: 'ticks',
        reason: expect.stringMatching(/checksum/),
        fromTick: victim.firstTick,
        toTick: nextKey.lastTick,
        ticksLost: lost,
        resumeTick: nextKey.lastTick + 1,
      },
    ]);
    const coverage = tickCoverage(reader.damageReport, 0, trace.records.at(-1)!.tick);
    expect(coverage.covered).toEqual([
      { from: 0, to: victim.firstTick - 1 },
      { from: nextKey.lastTick + 1, to: trace.records.at(-1)!.tick },
    ]);
  });

  it('detectors resume after the gap instead of failing on entities they never saw', () => {
    const report = detect(readTraceBytes(flipped(victim.offset + 60)));
    expect(Object.values(report.counts).reduce((a, b) => a + b, 0)).toBe(0);
    // The report itself says which ticks nobody looked at.
    expect(report.unread).toEqual([
      {
        lostFrom: victim.firstTick,
        lostTo: nextKey.lastTick,
        resumeTick: nextKey.lastTick + 1,
        reason: expect.any(String),
      },
    ]);
    expect(detect(trace).unread).toBeUndefined();
    expect(report.lastTick).toBe(trace.records.at(-1)!.tick);
  });

  it('queries that follow events across the gap close and open what the lost ticks changed', () => {
    const reader = readTraceBytes(flipped(victim.offset + 60));
    const intervals = whoSawWhom(reader);
    const last = trace.records.at(-1)!.tick;
    const finalViews = new Map((worlds.get(last) as { views: [number, number[]][] }).views);
    const atResume = new Map((worlds.get(nextKey.lastTick) as { views: [number, number[]][] }).views);
    // Nothing stays open that the true world no longer has in view (an exit lost in the gap).
    for (const i of intervals.filter((i) => i.toTick === null)) expect(finalViews.get(i.watcher)).toContain(i.target);
    expect(intervals.some((i) => i.lost === 'end')).toBe(true);
    for (const i of intervals.filter((i) => i.lost === 'start')) {
      expect(i.fromTick).toBe(nextKey.lastTick);
      expect(atResume.get(i.watcher)).toContain(i.target);
    }
    const events = [...eventsOf(reader, {})];
    expect(events.every((e) => e.tick < victim.firstTick || e.tick > nextKey.lastTick)).toBe(true);
  });

  it('the Chrome trace marks the gap and counts entities from the world reading resumed at', () => {
    const out = new StringTextSink();
    exportChromeTrace(readTraceBytes(flipped(victim.offset + 60)), out);
    const events = JSON.parse(out.toString()).traceEvents as {
      name: string;
      ts: number;
      args: Record<string, unknown>;
    }[];
    expect(events.filter((e) => e.name === 'ticks lost')).toEqual([
      expect.objectContaining({
        args: expect.objectContaining({ lostFrom: victim.firstTick, lostTo: nextKey.lastTick }),
      }),
    ]);
    const counts = events.filter((e) => e.name === 'entities').map((e) => e.args.entities);
    const last = worlds.get(trace.records.at(-1)!.tick) as { entities: unknown[] };
    expect(counts.at(-1)).toBe(last.entities.length);
  });

  it('seeking into the lost ticks gives the world at the keyframe with the resync', () => {
    const reader = readTraceBytes(flipped(victim.offset + 60));
    const [first] = reader.ticks({ from: victim.firstTick + 1 });
    expect(first!.tick).toBe(nextKey.lastTick + 1);
    expect(plainWorld(first!.resync!.state)).toEqual(worlds.get(nextKey.lastTick));
    // stateAt cannot rebuild a lost tick: it says which chunk, and from which tick on it can.
    expect(() => reader.stateAt(victim.firstTick + 1)).toThrow(
      new RegExp(
        `tick ${victim.firstTick + 1} cannot be rebuilt: the chunk at byte ${victim.offset} is damaged .*tick ${nextKey.lastTick} and later can be`,
      ),
    );
  });
});

describe('NDJSON of a damaged file', () => {
  it('carries the resync, imports, and writes an .aoitrace that reads back the same ticks and gap', () => {
    const imported = exportAndImport(readTraceBytes(flipped(victim.offset + 60)));
    const again = readTraceBytes(writeBytes(imported, { chunkTicks: 5, keyframeInterval: 20 }));
    const original = [...readTraceBytes(flipped(victim.offset + 60)).ticks()];
    const reread = [...again.ticks()];
    const strip = (r: TickRecord) => {
      const { resync, ...rest } = r;
      // The reason differs (a damaged chunk, then "recorded before the file was written"); the rest is equal.
      return { ...plain(rest), resync: resync && { lostFrom: resync.lostFrom, state: plainWorld(resync.state) } };
    };
    expect(reread.map(strip)).toEqual(original.map(strip));
    expect(again.verify().corrupt).toEqual([]);
    expect(again.damageReport).toEqual([
      expect.objectContaining({
        type: 'gap',
        chunk: 'keyframe',
        fromTick: victim.firstTick,
        toTick: nextKey.lastTick,
        resumeTick: nextKey.lastTick + 1,
      }),
    ]);
  });

  it('a damaged first chunk: the loss starts at the first tick, and the export still imports', () => {
    const first = ticksChunks[0]!;
    const reader = readTraceBytes(flipped(first.offset + 60));
    const key = keyframes[0]!;
    const imported = exportAndImport(reader);
    expect(imported.records[0]!.tick).toBe(key.lastTick + 1);
    expect(imported.records[0]!.resync!.lostFrom).toBe(0);
    expect(reader.damageReport).toEqual([
      expect.objectContaining({ type: 'gap', fromTick: 0, toTick: key.lastTick, resumeTick: key.lastTick + 1 }),
    ]);
    const again = readTraceBytes(writeBytes(imported));
    const [resumed] = again.ticks();
    expect(plainWorld(resumed!.resync!.state)).toEqual(worlds.get(key.lastTick));
  });

  it('refuses a resync that goes back in time', () => {
    const validator = new TickValidator(trace.header);
    for (const record of trace.records.slice(0, 30)) validator.apply(record);
    const back = new WorldState();
    back.tick = 10;
    const error = validator.check({ ...trace.records[30]!, resync: { state: back, lostFrom: 5, reason: 'test' } });
    expect(error?.message).toMatch(/resync\.tick: 10 must be after tick 29/);
  });
});

/** `aoi-trace export` then `aoi-trace import`, in memory: NDJSON lines, each validated against the trace so far. */
function exportAndImport(reader: ReturnType<typeof readTraceBytes>): MemoryTrace {
  const lines: string[] = [];
  const writer = new NdjsonWriter(lines);
  writer.begin(reader.header);
  for (const record of reader.ticks()) writer.writeTick(record);
  const validator = new TickValidator(reader.header);
  const imported = new MemoryTrace(reader.header);
  lines.slice(1).forEach((line, i) => {
    const parsed = parseNdjsonLine(line, i + 2, { eventBase: validator.nextEventId });
    if (parsed.type !== 'tick') throw new Error('not a tick');
    const error = validator.check(parsed.record, i + 2);
    if (error !== undefined) throw error;
    validator.apply(parsed.record);
    imported.writeTick(parsed.record);
  });
  return imported;
}

describe('a file cut short', () => {
  it('says so, with the last tick it could read', () => {
    const at = ticksChunks[Math.floor(ticksChunks.length * 0.6)]!.offset + 9;
    const reader = readTraceBytes(bytes.subarray(0, at));
    const last = ticksChunks.filter((s) => s.end <= at).at(-1)!.lastTick;
    expect(reader.damageReport).toEqual([{ type: 'cut', offset: at - 9, fileBytes: at, lastTick: last }]);
    expect(tickCoverage(reader.damageReport, 0, last)).toEqual({
      covered: [{ from: 0, to: last }],
      unread: [],
      cut: true,
    });
  });
});

/** The file without its index and footer, with the chunks at `a` and `b` (indices into spans) swapped. */
function swapped(a: number, b: number): Uint8Array {
  const parts = spans.filter((s) => s.kind !== ChunkKind.Index).map((s) => bytes.subarray(s.offset, s.end));
  [parts[a], parts[b]] = [parts[b]!, parts[a]!];
  const out = new Uint8Array(indexChunk.offset);
  out.set(bytes.subarray(0, spans[0]!.offset));
  let at = spans[0]!.offset;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The chunk frame at `offset` moved by `delta` ticks, its CRC repaired. */
function shifted(source: Uint8Array, offset: number, delta: number): Uint8Array {
  const copy = source.slice();
  const view = new DataView(copy.buffer);
  view.setFloat64(offset + 16, view.getFloat64(offset + 16, true) + delta, true);
  view.setFloat64(offset + 24, view.getFloat64(offset + 24, true) + delta, true);
  view.setUint32(offset + 36, crc32(copy.subarray(offset, offset + 36)), true);
  return copy;
}

const increasing = (records: TickRecord[]) => records.every((r, i) => i === 0 || r.tick > records[i - 1]!.tick);
const types = (entries: DamageEntry[]) => entries.map((e) => e.type);

describe('chunks out of order', () => {
  const i = spans.indexOf(victim);

  it('two swapped chunks (no index) are reported, and nothing goes backwards or is decoded out of place', () => {
    const reader = readTraceBytes(swapped(i, i + 1));
    const integrity = reader.verify();
    expect(integrity.complete).toBe(false);
    const records = [...reader.ticks()];
    expect(increasing(records)).toBe(true);
    for (const [tick, world] of replayAll(records)) expect(world).toEqual(worlds.get(tick));
    expect(types(reader.damageReport)).toEqual(expect.arrayContaining(['out-of-order', 'gap', 'cut']));
    expect(reader.damageReport.filter((e) => e.type === 'out-of-order')).toHaveLength(2);
  });

  it('a chunk whose frame was moved to other ticks, checksum repaired, with the index intact', () => {
    for (const delta of [-40, 400]) {
      const reader = readTraceBytes(shifted(bytes, victim.offset, delta));
      const records = [...reader.ticks()];
      expect(increasing(records)).toBe(true);
      for (const [tick, world] of replayAll(records)) expect(world).toEqual(worlds.get(tick));
      expect(reader.damageReport).toEqual([
        expect.objectContaining({ type: 'gap', offset: victim.offset, reason: expect.stringMatching(/out of order/) }),
      ]);
    }
  });

  it('the same without the index: found from the frames alone', () => {
    for (const delta of [-40, 400]) {
      const reader = readTraceBytes(shifted(bytes, victim.offset, delta).subarray(0, indexChunk.offset));
      const records = [...reader.ticks()];
      expect(increasing(records)).toBe(true);
      for (const [tick, world] of replayAll(records)) expect(world).toEqual(worlds.get(tick));
      expect(reader.damageReport).toContainEqual(
        expect.objectContaining({ type: 'out-of-order', offset: victim.offset }),
      );
    }
  });

  it('verify() finds a missing chunk (no index): the replay no longer reaches the next keyframe', () => {
    const gone = new Uint8Array(indexChunk.offset - (victim.end - victim.offset));
    gone.set(bytes.subarray(0, victim.offset));
    gone.set(bytes.subarray(victim.end, indexChunk.offset), victim.offset);
    const reader = readTraceBytes(gone);
    reader.verify();
    const previousKey = keyframes.filter((k) => k.offset < victim.offset).at(-1)?.lastTick ?? -1;
    expect(reader.damageReport).toContainEqual(
      expect.objectContaining({
        type: 'gap',
        chunk: 'keyframe',
        fromTick: previousKey + 1,
        toTick: nextKey.lastTick,
        reason: expect.stringMatching(/do not lead to it/),
      }),
    );
    // A clean file passes the same check.
    const clean = readTraceBytes(bytes.subarray(0, indexChunk.offset));
    clean.verify();
    expect(types(clean.damageReport)).toEqual(['cut']);
  });

  it('a duplicated chunk is out of order too', () => {
    const parts = [bytes.subarray(0, victim.end), bytes.subarray(victim.offset, indexChunk.offset)];
    const twice = new Uint8Array(parts[0]!.length + parts[1]!.length);
    twice.set(parts[0]!);
    twice.set(parts[1]!, parts[0]!.length);
    const reader = readTraceBytes(twice);
    const records = [...reader.ticks()];
    expect(increasing(records)).toBe(true);
    expect(types(reader.damageReport)).toContain('out-of-order');
  });
});

describe('any damage (flips, cuts, swapped or duplicated chunks)', () => {
  const data = spans.filter((s) => s.kind === ChunkKind.Ticks || s.kind === ChunkKind.Keyframe);
  const mutations = fc.oneof(
    fc.array(fc.nat(), { minLength: 1, maxLength: 4 }).map((at) => (b: Uint8Array) => {
      const copy = b.slice();
      for (const p of at) copy[16 + (p % (copy.length - 16))]! ^= 0x24;
      return copy;
    }),
    fc.nat().map((at) => (b: Uint8Array) => b.subarray(0, data[0]!.offset + (at % (b.length - data[0]!.offset)))),
    fc.tuple(fc.nat(), fc.nat()).map(
      ([x, y]) =>
        () =>
          swapped(x % data.length, y % data.length),
    ),
    fc.nat().map((x) => () => {
      const s = data[x % data.length]!;
      const out = new Uint8Array(indexChunk.offset + s.end - s.offset);
      out.set(bytes.subarray(0, s.end));
      out.set(bytes.subarray(s.offset, indexChunk.offset), s.end);
      return out;
    }),
  );

  it('reading never goes backwards, replays to the true world, and its NDJSON export always imports', () => {
    fc.assert(
      fc.property(mutations, (mutate) => {
        let reader: ReturnType<typeof readTraceBytes>;
        try {
          reader = readTraceBytes(mutate(bytes));
        } catch (error) {
          if (error instanceof TraceError) return; // the header itself is damaged: refused with a TraceError
          throw error;
        }
        const records = [...reader.ticks()];
        expect(increasing(records)).toBe(true);
        for (const [tick, world] of replayAll(records)) expect(world).toEqual(worlds.get(tick));
        const imported = exportAndImport(reader);
        expect(imported.records.map((r) => r.tick)).toEqual(records.map((r) => r.tick));
      }),
      { numRuns: 80 },
    );
  });
});
