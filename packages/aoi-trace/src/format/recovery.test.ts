import { describe, expect, it } from 'vitest';
import { TraceError, TraceErrorCode } from '../errors.js';
import { mulberry32 } from '../simulate/mulberry32.js';
import { ChunkKind, FILE_HEADER_BYTES } from './layout.js';
import { plain, recordRun, writeBytes } from './test-support/recorded-runs.js';
import { chunkSpans, plainWorld, replayAll } from './test-support/world-view.js';
import { readTraceBytes } from './trace-reader.js';

const trace = recordRun({ ticks: 90, entities: 50, seed: 5 });
const bytes = writeBytes(trace, { chunkTicks: 5, keyframeInterval: 20 });
const spans = chunkSpans(bytes);
const all = trace.records.map(plain);
const data = spans.filter((s) => s.kind === ChunkKind.Ticks || s.kind === ChunkKind.Keyframe);
const indexChunk = spans.find((s) => s.kind === ChunkKind.Index)!;

/** The ticks a reader must still give for a file cut at `at`: those of every complete ticks chunk before it. */
function expectedBefore(at: number): object[] {
  const complete = spans.filter((s) => s.kind === ChunkKind.Ticks && s.end <= at);
  const last = complete.at(-1)?.lastTick ?? -1;
  return all.filter((_, tick) => tick <= last);
}

describe('.aoitrace after a crash (no footer, no index)', () => {
  it('reads every complete chunk of a file cut at any chunk boundary, and says where it was cut', () => {
    expect(data.length).toBeGreaterThan(20);
    for (const span of [...data, indexChunk]) {
      const cut = readTraceBytes(bytes.subarray(0, span.offset));
      expect(cut.integrity).toEqual({ complete: false, cutAt: span.offset, corrupt: [] });
      expect([...cut.ticks()].map(plain)).toEqual(expectedBefore(span.offset));
    }
  });

  it('reads every complete chunk of a file cut at random offsets inside chunks', () => {
    const rnd = mulberry32(99);
    const firstData = data[0]!.offset;
    for (let i = 0; i < 150; i++) {
      const at = firstData + 1 + Math.floor(rnd() * (indexChunk.end - firstData - 2));
      const cut = readTraceBytes(bytes.subarray(0, at));
      const inside = spans.find((s) => s.offset < at && at < s.end);
      expect(cut.integrity).toEqual({ complete: false, cutAt: inside?.offset ?? at, corrupt: [] });
      expect([...cut.ticks()].map(plain)).toEqual(expectedBefore(at));
    }
  });

  it('rebuilds enough of the index to seek: stateAt of a cut file equals a replay', () => {
    const at = data[Math.floor(data.length * 0.7)]!.offset + 7;
    const cut = readTraceBytes(bytes.subarray(0, at));
    const worlds = replayAll(trace.records);
    const last = cut.lastTick!;
    expect(last).toBeGreaterThan(30);
    for (const tick of [0, 19, 20, 21, last]) expect(plainWorld(cut.stateAt(tick))).toEqual(worlds.get(tick));
    expect(cut.stats().ticks).toBe(last + 1);
  });

  it('refuses a file cut inside its header, with TRUNCATED', () => {
    for (const at of [3, FILE_HEADER_BYTES, spans[0]!.end - 1]) {
      expect(() => readTraceBytes(bytes.subarray(0, at))).toThrow(
        expect.objectContaining({ code: TraceErrorCode.Truncated }),
      );
    }
  });
});

describe('.aoitrace with a damaged chunk', () => {
  const middle = data.filter((s) => s.kind === ChunkKind.Ticks)[Math.floor(data.length / 2)]!;

  it('reports a flipped payload byte with the chunk offset and still reads the chunks it does not feed', () => {
    const damaged = bytes.slice();
    damaged[middle.offset + 60]! ^= 0x10;
    const reader = readTraceBytes(damaged);
    // The first tick after the gap carries the world it resumes from (damage-recovery.test.ts checks it).
    const read = [...reader.ticks()].map(({ resync: _, ...record }) => plain(record));
    expect(reader.integrity.corrupt).toEqual([{ offset: middle.offset, reason: expect.stringMatching(/checksum/) }]);
    // Ticks before the damaged chunk, and from the next keyframe on, are intact; nothing in between is made up.
    const nextKey = data.find((s) => s.kind === ChunkKind.Keyframe && s.offset > middle.offset)!;
    const expected = all.filter((_, t) => t < middle.firstTick || t > nextKey.lastTick);
    expect(read).toEqual(expected);
    expect(() => reader.stateAt(middle.firstTick)).toThrow(expect.objectContaining({ code: TraceErrorCode.Corrupt }));
    expect(plainWorld(reader.stateAt(nextKey.lastTick + 3))).toEqual(
      replayAll(trace.records).get(nextKey.lastTick + 3),
    );
  });

  it('finds the next chunk after a damaged frame when the index is gone too', () => {
    const damaged = bytes.slice(0, indexChunk.offset);
    damaged[middle.offset + 9]! ^= 0xff;
    const reader = readTraceBytes(damaged);
    expect(reader.integrity.corrupt).toEqual([{ offset: middle.offset, reason: 'chunk frame checksum mismatch' }]);
    expect(reader.integrity.cutAt).toBe(indexChunk.offset);
    expect([...reader.ticks({ from: data.at(-1)!.firstTick })].length).toBeGreaterThan(0);
  });

  it('throws CORRUPT in strict mode, and verify() lists every damaged chunk', () => {
    const damaged = bytes.slice();
    const keyframe = data.find((s) => s.kind === ChunkKind.Keyframe)!;
    damaged[middle.offset + 50]! ^= 1;
    damaged[keyframe.offset + 45]! ^= 1;
    expect(() => [...readTraceBytes(damaged, { strict: true }).ticks()]).toThrow(TraceError);
    const offsets = readTraceBytes(damaged)
      .verify()
      .corrupt.map((c) => c.offset);
    expect(offsets).toEqual([keyframe.offset, middle.offset].sort((a, b) => a - b));
  });
});

describe('.aoitrace identification', () => {
  it('rejects bad magic and unknown versions with BAD_FORMAT', () => {
    const notATrace = new TextEncoder().encode('{"type":"header"}\n');
    expect(() => readTraceBytes(notATrace)).toThrow(expect.objectContaining({ code: TraceErrorCode.BadFormat }));
    // A 2.x reader refused v3 the same way ("this reader reads v2."); this one reads v2 and v3 (predicted events).
    const v4 = bytes.slice();
    v4[8] = 4;
    expect(() => readTraceBytes(v4)).toThrow(/got \.aoitrace v4 data; this reader reads v2 and v3/);
    // v1 stored every view pair twice in keyframes; v2 readers refuse it rather than misread it.
    const v1 = bytes.slice();
    v1[8] = 1;
    expect(() => readTraceBytes(v1)).toThrow(/got \.aoitrace v1 data; this reader reads v2 and v3/);
    expect(() => readTraceBytes(new Uint8Array(0))).toThrow(
      expect.objectContaining({ code: TraceErrorCode.Truncated }),
    );
  });
});
