import { describe, expect, it } from 'vitest';
import { emptyEvents, pushEvent } from '../model/columns.js';
import { MemoryTrace } from '../model/memory-trace.js';
import { tickRecord, watchingSpawn } from '../model/test-support/tick-records.js';
import { HEADER } from '../model/test-support/world-implementations.js';
import type { ChunkEntry } from './chunk-index.js';
import type { ReadSource } from './io.js';
import { ChunkKind } from './layout.js';
import type { Quantizer } from './quantizer.js';
import { ReplayWorld } from './replay-world.js';
import { SegmentDecoder } from './segment-decoder.js';
import { writeBytes } from './test-support/recorded-runs.js';
import { readTraceBytes } from './trace-reader.js';

// A 3.x seek's ReplayWorld shares the predictor's view sets instead of applying every event a second time
// (replay-world.ts `follow`, segment-decoder.ts). The view-pair limit is checked after a tick's events and before its
// despawns (world-rules.ts applyTick), so the shared world must report the pairs at that point, not after the
// predictor has already dropped the despawned watchers' views.

describe('a 3.x replay sharing the predictor views', () => {
  it('reports the view pairs after the events and before the despawns, as a WorldState checks them', () => {
    const enters = emptyEvents();
    pushEvent(enters, 0, 1, 2);
    pushEvent(enters, 0, 2, 1);
    // Tick 1: entity 1 goes without the leaves the rule predicts (a buggy server): (2, 1) stays in view.
    const records = [
      tickRecord(0, { spawns: [watchingSpawn(1, 0), watchingSpawn(2, 1)], events: enters }),
      tickRecord(1, { eventBase: 2, despawns: [1] }),
    ];
    const reader = readTraceBytes(writeBytes(new MemoryTrace(HEADER, records), { format: '3.1' }), { strict: true });
    const { source, quantizer, layout } = reader as unknown as {
      source: ReadSource;
      quantizer: Quantizer;
      layout: { entries: ChunkEntry[] };
    };
    const decoder = new SegmentDecoder(source, quantizer, true, 1);
    const world = new ReplayWorld();
    decoder.reset();
    decoder.follow(world);
    const seen: number[][] = [];
    for (const entry of layout.entries) {
      if (entry.kind !== ChunkKind.Ticks) continue;
      decoder.replay(entry, 1, (record) => {
        world.apply(record);
        seen.push([record.tick, world.pairs, world.views.pairs]);
      });
    }
    // [tick, pairs where the limit is checked, pairs after the despawn]
    expect(seen).toEqual([
      [0, 2, 2],
      [1, 2, 1],
    ]);
    expect(world.views.has(2, 1)).toBe(true);
    expect(world.views.has(1, 2)).toBe(false);
  });
});
