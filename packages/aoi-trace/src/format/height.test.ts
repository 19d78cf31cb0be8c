// Height (format 2.2): a recorded engine run with z and vertical half-heights survives the .aoitrace round trip, tick
// for tick and through keyframes (stateAt), and a trace without height is still the 2.1 bytes apart from the minor.

import { AoiWorld } from '@lanes/aoi';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryTrace } from '../model/memory-trace.js';
import { WorldState } from '../model/world-state.js';
import { recordWorld } from '../record/recorder.js';
import { FILE_HEADER_BYTES } from './layout.js';
import { heightOp, recordHeightRun } from './test-support/height-runs.js';
import { plain, writeBytes } from './test-support/recorded-runs.js';
import { plainWorld, replayAll } from './test-support/world-view.js';
import { readTraceBytes } from './trace-reader.js';

describe('.aoitrace with height (format 2.2)', () => {
  it('round-trips every tick and every keyframe of recorded runs with z and half-heights (fast-check)', () => {
    let withHeight = 0;
    fc.assert(
      fc.property(fc.array(heightOp, { minLength: 5, maxLength: 80 }), (ops) => {
        const { trace, views } = recordHeightRun(ops);
        if (trace.records.some((r) => r.spawns.some((s) => s.z !== undefined))) withHeight++;
        const worlds = replayAll(trace.records);
        // The trace's views are the engine's: WorldState replays the recorded events.
        for (const [tick, view] of views) {
          const world = worlds.get(tick) as { views: Array<[number, number[]]> };
          expect(world.views).toEqual(view);
        }
        for (const options of [{}, { keyframeInterval: 2, chunkTicks: 1 }]) {
          const reader = readTraceBytes(writeBytes(trace, options));
          expect([...reader.ticks()].map(plain)).toEqual(trace.records.map(plain));
          for (const r of trace.records) expect(plainWorld(reader.stateAt(r.tick))).toEqual(worlds.get(r.tick));
        }
      }),
      { numRuns: 150 },
    );
    expect(withHeight).toBeGreaterThan(20);
  });

  it('records a vertical move as an update of z, and only when z changed', () => {
    const world = new AoiWorld({ mode: 'batched' });
    const trace = new MemoryTrace();
    const recorder = recordWorld(world, trace, { now: () => 0 });
    world.add(1, { x: 0, y: 0, z: 3, viewRadius: 5, viewHeight: 2 });
    world.add(2, { x: 1, y: 0, viewRadius: 5 });
    recorder.tick();
    world.move(1, 0, 0, 4);
    world.move(2, 2, 0);
    recorder.tick();
    const [first, second] = trace.records;
    expect(first!.spawns.map((s) => [s.id, s.z, s.viewHeight, s.leaveHeight])).toEqual([
      [1, 3, 2, 2],
      [2, 0, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
    ]);
    expect(second!.updates.map((u) => ({ ...u }))).toEqual([{ id: 1, z: 4, cause: -1 }]);
    const state = new WorldState();
    for (const r of trace.records) state.apply(r);
    expect(state.entities.get(1)).toMatchObject({ z: 4, viewHeight: 2 });
  });

  it('reads a 2D trace written with minor 1 (2.1) the same: its ticks carry no height', () => {
    const { trace } = recordHeightRun([{ op: 'add', id: 1, x: 0, y: 0, z: null, h: null }, { op: 'tick' }]);
    const bytes = writeBytes(trace);
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint16(10, true)).toBe(2);
    const old = bytes.slice();
    new DataView(old.buffer).setUint16(10, 1, true);
    expect(FILE_HEADER_BYTES).toBeGreaterThan(12);
    const reader = readTraceBytes(old);
    expect([...reader.ticks()].map(plain)).toEqual(trace.records.map(plain));
    expect(trace.records[0]!.spawns[0]).not.toHaveProperty('z');
  });
});
