import { AoiWorld } from '@lanes/aoi';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groundTruth } from '../detect/detect.js';
import { diffTraces } from '../diff/diff-traces.js';
import { writeBytes } from '../format/test-support/recorded-runs.js';
import { readTraceBytes } from '../format/trace-reader.js';
import { MemoryTrace } from '../model/memory-trace.js';
import { EngineReplay } from '../replay/engine-replay.js';
import { recordWorld } from './recorder.js';

// Any batched engine run, with ids removed and added again within a tick in every order, recorded: ground truth
// finds every event on time and nothing else, the stored file replays to the engine's views, and an engine replay
// of the recording gives its events again.

const id = fc.integer({ min: 0, max: 5 });
// Multiples of 1/4: exact in the 1/1024 quantum, so ground truth can run without a tolerance band.
const coord = fc.integer({ min: -40, max: 40 }).map((v) => v / 4);
const radius = fc.integer({ min: 0, max: 24 }).map((v) => v / 4);
const op = fc.oneof(
  {
    arbitrary: fc.record({ op: fc.constant('add' as const), id, x: coord, y: coord, r: radius, extra: radius }),
    weight: 3,
  },
  { arbitrary: fc.record({ op: fc.constant('remove' as const), id }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('move' as const), id, x: coord, y: coord }), weight: 2 },
  fc.record({ op: fc.constant('radius' as const), id, r: radius }),
  // remove(id) then add(id) at once, near where it was (so most of its pairs stay in range).
  {
    arbitrary: fc.record({ op: fc.constant('respawn' as const), id, dx: fc.integer({ min: -4, max: 4 }), r: radius }),
    weight: 3,
  },
  { arbitrary: fc.record({ op: fc.constant('tick' as const) }), weight: 3 },
);

describe('recorder + ground truth on runs with respawns', () => {
  it('ground truth is exact and the file replays to the engine', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 80, size: 'medium' }), (ops) => {
        const world = new AoiWorld({ mode: 'batched' });
        const trace = new MemoryTrace();
        let time = 0;
        const recorder = recordWorld(world, trace, { now: () => time++ });
        let transitions = 0;
        const tick = () => {
          const batch = recorder.tick();
          transitions += batch.enterCount + batch.leaveCount;
        };
        for (const o of [...ops, { op: 'tick' as const }]) {
          if (o.op === 'tick') tick();
          else if (o.op === 'add') {
            if (!world.has(o.id)) world.add(o.id, { x: o.x, y: o.y, viewRadius: o.r, leaveRadius: o.r + o.extra });
          } else if (!world.has(o.id)) continue;
          else if (o.op === 'remove') world.remove(o.id);
          else if (o.op === 'move') world.move(o.id, o.x, o.y);
          else if (o.op === 'respawn') {
            const { x, y } = world.position(o.id);
            world.remove(o.id);
            world.add(o.id, { x: x + o.dx / 4, y, viewRadius: o.r });
          } else world.setRadius(o.id, o.r, o.r);
        }
        recorder.close();
        const report = groundTruth(trace, { tolerance: 0 });
        expect(report.findings).toEqual([]);
        expect(report.counts).toMatchObject({ expected: transitions, onTime: transitions });

        // Replayed through the engine with the recorded settings: the same events. Not always in the same order: an
        // id added, removed and added again in one tick is one spawn in the record, but took two engine slots, and
        // a tick's events are in slot order.
        const replay = new MemoryTrace();
        new EngineReplay(trace).writeTo(replay);
        expect(diffTraces(trace, replay).identical).toBe(true);

        const reader = readTraceBytes(writeBytes(trace, { keyframeInterval: 4, chunkTicks: 3 }));
        const state = reader.stateAt(reader.lastTick!);
        for (let i = 0; i <= 5; i++) {
          expect(state.entities.has(i)).toBe(world.has(i));
          if (world.has(i)) expect(state.viewOf(i)).toEqual(world.viewOf(i));
        }
      }),
      { numRuns: 300 },
    );
  });
});
