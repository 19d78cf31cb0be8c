import { describe, expect, it } from 'vitest';
import { detect } from '../detect/detect.js';
import { CHUNK_HEADER_BYTES, ChunkKind } from '../format/layout.js';
import { recordRun, writeBytes } from '../format/test-support/recorded-runs.js';
import { chunkSpans } from '../format/test-support/world-view.js';
import { readTraceBytes } from '../format/trace-reader.js';
import { causalChain } from './causal-chain.js';
import { findEvent } from './find-event.js';

// A file whose early ticks chunks are damaged (a byte flipped in each payload, checksums left wrong): reading them
// is noticed (integrity.corrupt), so a query that does not list them never decoded them.
const trace = recordRun({ ticks: 120, entities: 60, seed: 11 });
const good = writeBytes(trace, { chunkTicks: 5, keyframeInterval: 20 });
const spans = chunkSpans(good);
const ticksChunks = spans.filter((s) => s.kind === ChunkKind.Ticks);
const damaged = good.slice();
for (const span of ticksChunks.filter((s) => s.firstTick > 0 && s.lastTick < 40)) {
  damaged[span.offset + CHUNK_HEADER_BYTES + 3]! ^= 0xff;
}
const lastRecord = trace.records.at(-1)!;
const totalEvents = lastRecord.eventBase + lastRecord.events.count;

describe('queries near the end seek through the index', () => {
  it('the damage is real: a full read reports the early chunks', () => {
    const reader = readTraceBytes(damaged);
    for (const _ of reader.ticks()) {
      // decoding is the check
    }
    expect(reader.integrity.corrupt.length).toBeGreaterThan(0);
    expect(totalEvents).toBeGreaterThan(100);
  });

  it('query event by id reads only the chunk holding it', () => {
    for (const id of [totalEvents - 1, Math.floor(totalEvents * 0.8)]) {
      const reader = readTraceBytes(damaged);
      expect(findEvent(reader, id)).toEqual(findEvent(trace, id));
      expect(reader.integrity.corrupt).toEqual([]);
    }
  });

  it('the causal chain looks back in windows from the event, not from tick 0', () => {
    // A late event whose pair changed after the damaged ticks: nothing early is read.
    const chains = Array.from({ length: 300 }, (_, i) => causalChain(trace, totalEvents - 1 - i));
    const recent = chains.find((c) => c.previous !== null && c.previous.tick > lastRecord.tick - 32);
    expect(recent).toBeDefined();
    const reader = readTraceBytes(damaged);
    expect(causalChain(reader, recent!.event.id)).toEqual(recent);
    expect(reader.integrity.corrupt).toEqual([]);
    // The backward search finds the same previous event as a full read, however far back it is.
    const undamaged = readTraceBytes(good);
    for (let id = 0; id < totalEvents; id += 97) expect(causalChain(undamaged, id)).toEqual(causalChain(trace, id));
  });

  it('an event id the index cannot place is still found by reading', () => {
    const reader = readTraceBytes(good);
    expect(findEvent(reader, 0)).toEqual(findEvent(trace, 0));
    expect(() => findEvent(reader, totalEvents)).toThrow(/does not exist/);
  });

  it('detect over --from/--to starts at the keyframe before from, with the findings of the same ticks', () => {
    const reader = readTraceBytes(damaged);
    const report = detect(reader, { tolerance: 0 }, { from: 70, to: 110 });
    expect(reader.integrity.corrupt).toEqual([]);
    expect(report).toMatchObject({ firstTick: 70, lastTick: 110, ticks: 41 });
    expect(report).toEqual(detect(trace, { tolerance: 0 }, { from: 70, to: 110 }));
    // Ground truth starts from the recorded views at tick 69, not from an empty world.
    expect(report.groundTruth).toMatchObject({ missing: 0, extra: 0, late: 0 });
    expect(report.groundTruth!.onTime).toBeGreaterThan(0);
  });
});
