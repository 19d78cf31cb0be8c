import { describe, expect, it } from 'vitest';
import { ChunkKind } from './layout.js';
import { plain, recordRun, writeBytes } from './test-support/recorded-runs.js';
import { chunkSpans, plainWorld, replayAll } from './test-support/world-view.js';
import { readTraceBytes } from './trace-reader.js';

const trace = recordRun({ ticks: 160, entities: 70, seed: 11 });
const options = { chunkTicks: 6, keyframeInterval: 25 };
const bytes = writeBytes(trace, options);
const reader = readTraceBytes(bytes);
const spans = chunkSpans(bytes);

describe('.aoitrace seeking', () => {
  it('has keyframes and many chunks to seek through', () => {
    expect(spans.filter((s) => s.kind === ChunkKind.Keyframe).length).toBeGreaterThanOrEqual(5);
    expect(reader.stats().keyframes).toBe(spans.filter((s) => s.kind === ChunkKind.Keyframe).length);
  });

  it('stateAt equals a full replay from the start, at every tick', () => {
    const worlds = replayAll(trace.records);
    for (let tick = 0; tick < 160; tick++)
      expect(plainWorld(reader.stateAt(tick)), `tick ${tick}`).toEqual(worlds.get(tick));
    expect(plainWorld(reader.stateAt(10_000))).toEqual(worlds.get(159));
    expect(reader.stateAt(-1).entities.size).toBe(0);
  });

  it('stateAt works with the default options and a lossy epsilon too', () => {
    const lossy = recordRun({ ticks: 80, seed: 3, epsilon: 0.3 });
    const lossyReader = readTraceBytes(writeBytes(lossy, { keyframeInterval: 10 }));
    const worlds = replayAll([...lossyReader.ticks()]);
    for (const tick of [0, 9, 10, 11, 40, 79]) expect(plainWorld(lossyReader.stateAt(tick))).toEqual(worlds.get(tick));
  });

  it('ticks(range) is right at chunk and keyframe boundaries', () => {
    const all = trace.records.map(plain);
    const boundaries = new Set<number>();
    for (const span of spans) {
      if (span.kind !== ChunkKind.Ticks && span.kind !== ChunkKind.Keyframe) continue;
      for (const t of [span.firstTick - 1, span.firstTick, span.lastTick, span.lastTick + 1]) boundaries.add(t);
    }
    expect(boundaries.size).toBeGreaterThan(40);
    for (const from of boundaries) {
      for (const to of [from, from + 1, from + 6, from + 30]) {
        const got = [...reader.ticks({ from, to })].map(plain);
        expect(got, `${from}..${to}`).toEqual(all.filter((_, i) => i >= from && i <= to));
      }
    }
    expect([...reader.ticks({ from: 158 })].map((r) => r.tick)).toEqual([158, 159]);
    expect([...reader.ticks({ to: 2 })].map((r) => r.tick)).toEqual([0, 1, 2]);
    expect([...reader.ticks({ from: 500 })]).toEqual([]);
  });

  it('reads lazily: stopping early never decodes the rest', () => {
    let n = 0;
    for (const record of reader.ticks({ from: 30 })) {
      expect(record.tick).toBe(30 + n);
      if (++n === 3) break;
    }
    expect(n).toBe(3);
  });
});
