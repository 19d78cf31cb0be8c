// Recorded engine runs with height (z, vertical half-heights, vertical moves, setHeight), for the round-trip tests of
// the .aoitrace format and NDJSON.

import { AoiWorld } from '@lanes/aoi';
import fc from 'fast-check';
import { MemoryTrace } from '../../model/memory-trace.js';
import { recordWorld } from '../../record/recorder.js';

const small = fc.integer({ min: -8, max: 8 });
const half = fc.oneof(fc.constantFrom(0, 2, 5, Number.POSITIVE_INFINITY), fc.double({ min: 0, max: 9, noNaN: true }));
export const heightOp = fc.oneof(
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
export type HeightOp = typeof heightOp extends fc.Arbitrary<infer O> ? O : never;

/** Records the ops on a batched engine; returns the trace and the engine's views after every tick. */
export function recordHeightRun(
  ops: readonly HeightOp[],
  algorithm: 'grid' | 'brute-force' = 'grid',
): { trace: MemoryTrace; views: Map<number, object> } {
  const world = new AoiWorld({ mode: 'batched', algorithm });
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
