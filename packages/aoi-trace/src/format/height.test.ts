// Height (format 2.2): a recorded engine run with z and vertical half-heights survives the .aoitrace round trip, tick
// for tick and through keyframes (stateAt), and a trace without height is still the 2.1 bytes apart from the minor.

import { AoiWorld } from '@lanes/aoi';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryTrace } from '../model/memory-trace.js';
import { WorldState } from '../model/world-state.js';
import { recordWorld } from '../record/recorder.js';
import { FILE_HEADER_BYTES } from './layout.js';
import { plain, writeBytes } from './test-support/recorded-runs.js';
import { plainWorld, replayAll } from './test-support/world-view.js';
import { readTraceBytes } from './trace-reader.js';

const small = fc.integer({ min: -8, max: 8 });
const half = fc.oneof(fc.constantFrom(0, 2, 5, Number.POSITIVE_INFINITY), fc.double({ min: 0, max: 9, noNaN: true }));
const op = fc.oneof(
  fc.record({
    op: fc.constant('add' as const),
    id: fc.nat(9),
    x: small,
    y: small,
    z: fc.option(small),
    h: fc.option(half),
  }),
  fc.record({
    op: fc.constant('move' as const),
    id: fc.nat(9),
    x: small,
    y: small,
    z: fc.option(fc.double({ min: -9, max: 9, noNaN: true })),
  }),
  fc.record({ op: fc.constant('height' as const), id: fc.nat(9), h: half, extra: fc.constantFrom(0, 1.5) }),
  fc.record({ op: fc.constant('remove' as const), id: fc.nat(9) }),
  fc.record({ op: fc.constant('tick' as const) }),
);
type Op = typeof op extends fc.Arbitrary<infer O> ? O : never;

/** Records the ops on a batched engine; returns the trace and the engine's views after every tick. */
function record(ops: readonly Op[]): { trace: MemoryTrace; views: Map<number, object> } {
  const world = new AoiWorld({ mode: 'batched' });
  const trace = new MemoryTrace();
  let time = 0;
  const recorder = recordWorld(world, trace, { now: () => (time += 10) });
  const views = new Map<number, object>();
  let tick = 0;
  const close = () => {
    recorder.tick();
    const ids = [...Array(10).keys()].filter((id) => world.has(id));
    views.set(
      tick++,
      ids.map((id) => [id, world.viewOf(id)]).filter(([, v]) => (v as number[]).length > 0),
    );
  };
  for (const o of ops) {
    if (o.op === 'tick') close();
    else if (o.op === 'add' && !world.has(o.id)) {
      const height = { ...(o.z === null ? {} : { z: o.z }), ...(o.h === null ? {} : { viewHeight: o.h }) };
      world.add(o.id, { x: o.x, y: o.y, viewRadius: 6, leaveRadius: 7, ...height });
    } else if (!world.has(o.id)) continue;
    else if (o.op === 'move') world.move(o.id, o.x, o.y, o.z ?? undefined);
    else if (o.op === 'height') world.setHeight(o.id, o.h, o.h + o.extra);
    else if (o.op === 'remove') world.remove(o.id);
  }
  close();
  return { trace, views };
}

describe('.aoitrace with height (format 2.2)', () => {
  it('round-trips every tick and every keyframe of recorded runs with z and half-heights (fast-check)', () => {
    let withHeight = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 5, maxLength: 80 }), (ops) => {
        const { trace, views } = record(ops);
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
    const { trace } = record([{ op: 'add', id: 1, x: 0, y: 0, z: null, h: null }, { op: 'tick' }]);
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
