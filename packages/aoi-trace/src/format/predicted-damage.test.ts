import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TraceError, TraceErrorCode } from '../errors.js';
import { ChunkKind } from './layout.js';
import { Limits } from './limits.js';
import { repairChecksums } from './test-support/bomb-files.js';
import { plain, recordRun, writeBytes } from './test-support/recorded-runs.js';
import { chunkSpans, plainWorld, replayAll } from './test-support/world-view.js';
import { readTraceBytes } from './trace-reader.js';

// Formats 3.0 and 3.1 keep format 2's damage story (docs/aoitrace-format.md, "Reading, recovery and damage"): a damaged ticks
// chunk costs the ticks up to the next keyframe, where the prediction is positioned again; and its one new cost,
// the prediction, is bounded by a limit like every size.

describe.each(['3.0', '3.1'] as const)('format %s', (format) => {
  const trace = recordRun({ ticks: 120, entities: 50, seed: 11 });
  const bytes = writeBytes(trace, { chunkTicks: 5, keyframeInterval: 20, format });
  const spans = chunkSpans(bytes);
  const ticksChunks = spans.filter((s) => s.kind === ChunkKind.Ticks);
  const keyframes = spans.filter((s) => s.kind === ChunkKind.Keyframe);
  const victim = ticksChunks.find((s, i) => i > 0 && s.firstTick > 45 && ticksChunks[i - 1]!.end === s.offset)!;
  const nextKey = keyframes.find((k) => k.offset > victim.offset)!;
  const worlds = replayAll(trace.records);

  describe('a damaged ticks chunk', () => {
    it('resumes at the next keyframe; every tick read is the true tick', () => {
      const copy = bytes.slice();
      copy[victim.offset + 60]! ^= 0x10;
      const records = [...readTraceBytes(copy).ticks()];
      const resumed = records.find((r) => r.resync !== undefined)!;
      expect(resumed.tick).toBe(nextKey.lastTick + 1);
      expect(plainWorld(resumed.resync!.state)).toEqual(worlds.get(nextKey.lastTick));
      const truth = new Map(trace.records.map((r) => [r.tick, plain(r)]));
      expect(records.map((r) => r.tick)).toEqual(
        trace.records.map((r) => r.tick).filter((t) => t < victim.firstTick || t > nextKey.lastTick),
      );
      for (const { resync: _resync, ...record } of records) expect(plain(record)).toEqual(truth.get(record.tick));
    });
  });

  describe('the prediction limit', () => {
    /** Runs `fn` with Limits.predictionWork lowered (the real limit needs a million entities in one clump). */
    function withWorkLimit<T>(limit: number, fn: () => T): T {
      const limits = Limits as { predictionWork: number };
      const saved = limits.predictionWork;
      limits.predictionWork = limit;
      try {
        return fn();
      } finally {
        limits.predictionWork = saved;
      }
    }

    it('a reader refuses a chunk whose prediction passes the limit (LIMIT, naming it), skipping to the next keyframe', () => {
      const reader = readTraceBytes(bytes);
      const records = withWorkLimit(200, () => [...reader.ticks()]);
      expect(records.length).toBeLessThan(trace.records.length);
      expect(reader.damageReport.some((d) => d.type === 'gap' && d.reason.includes('pair tests'))).toBe(true);
      expect(() => withWorkLimit(200, () => [...readTraceBytes(bytes, { strict: true }).ticks()])).toThrow(
        expect.objectContaining({ code: TraceErrorCode.Limit }),
      );
    });

    it('a writer flushes chunks before the limit and refuses a tick that alone would pass half of it', () => {
      const small = withWorkLimit(4000, () => writeBytes(trace, { format }));
      const ticks = withWorkLimit(4000, () => [...readTraceBytes(small, { strict: true }).ticks()]);
      expect(ticks.map(plain)).toEqual(trace.records.map(plain));
      let error: unknown;
      try {
        withWorkLimit(50, () => writeBytes(trace, { format }));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(TraceError);
      expect((error as TraceError).code).toBe(TraceErrorCode.Limit);
      expect((error as TraceError).message).toContain('pair tests');
    });
  });

  describe('hostile input', () => {
    const raw = writeBytes(recordRun({ ticks: 30, entities: 20, seed: 9 }), {
      chunkTicks: 4,
      deflate: false,
      format,
    });

    it('garbage in a payload (checksums repaired) ends in a TraceError or a reading, never anything else', () => {
      fc.assert(
        fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (positions) => {
          const bytes = raw.slice();
          for (const p of positions) bytes[16 + (p % (bytes.length - 16))]! ^= 0x5a;
          try {
            const reader = readTraceBytes(repairChecksums(bytes));
            for (const record of reader.ticks())
              expect(record.events.count).toBeLessThanOrEqual(Limits.chunkDecodedBytes);
            reader.verify();
            for (const tick of [0, 12, 29]) {
              try {
                reader.stateAt(tick);
              } catch (error) {
                if (!(error instanceof TraceError)) throw error;
              }
            }
          } catch (error) {
            if (!(error instanceof TraceError)) throw error;
          }
        }),
        { numRuns: 200 },
      );
    });
  });
});
