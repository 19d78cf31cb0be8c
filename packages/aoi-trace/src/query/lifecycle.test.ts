import { describe, expect, it } from 'vitest';
import { regionOf } from '../model/region.js';
import { lifecycle } from './lifecycle.js';
import { expectInvalidArgument } from './test-support/expect-trace-error.js';
import { HAND_SCRIPT, randomScript, runScript } from './test-support/scenarios.js';
import { SeekableMemoryTrace } from './test-support/seekable-memory-trace.js';

const hand = runScript(HAND_SCRIPT);
const A = [0, 0, 16, 16];
const B = [16, 0, 16, 16];

describe('lifecycle', () => {
  it('tells the hand-built story of entity 2 in both directions', () => {
    const items = lifecycle(hand.trace, 2).map((i) =>
      'direction' in i ? [i.tick, i.state, i.direction, i.other, i.eventId, i.region] : [i.tick, i.state, i.region],
    );
    expect(items).toEqual([
      [0, 'created', B],
      [1, 'moved-in', 'seen-by', 1, 0, A],
      [2, 'moved-in', 'sees', 1, 1, A],
      [3, 'moved-out', 'seen-by', 1, 2, B],
      [3, 'moved-out', 'sees', 1, 3, B],
      [6, 'moved-in', 'seen-by', 1, 5, A],
      [6, 'moved-in', 'sees', 1, 6, A],
      [6, 'moved-in', 'sees', 3, 7, A],
      [7, 'moved-out', 'seen-by', 1, 8, A],
      [7, 'moved-out', 'sees', 1, 10, A],
    ]);
    expect(lifecycle(hand.trace, 2)[0]!.time).toBe(hand.trace.records[0]!.time);
  });

  it('ends with the despawn, after the exits of that tick', () => {
    const items = lifecycle(hand.trace, 1, { from: 7 });
    expect(items.map((i) => i.state)).toEqual(['moved-out', 'moved-out', 'moved-out', 'destroyed']);
    expect(items.at(-1)).toMatchObject({ tick: 7, region: A });
  });

  it('limits to a range without a created item for an entity alive before it', () => {
    const items = lifecycle(hand.trace, 2, { from: 3, to: 6 });
    expect(items.map((i) => [i.tick, i.state])).toEqual([
      [3, 'moved-out'],
      [3, 'moved-out'],
      [6, 'moved-in'],
      [6, 'moved-in'],
      [6, 'moved-in'],
    ]);
  });

  it('matches the engine-side truth of a random run for every entity', () => {
    const script = randomScript(21, { entities: 20, ticks: 50 });
    const run = runScript(script);
    const seekable = new SeekableMemoryTrace(run.trace, 8);
    let removals = 0;
    for (let id = 0; id < 20; id++) {
      const items = lifecycle(run.trace, id);
      const views = items.filter((i) => i.state === 'moved-in' || i.state === 'moved-out');
      const expected = run.truth
        .filter((e) => e.watcher === id || e.target === id)
        .map((e) => [
          e.tick,
          e.kind === 'enter' ? 'moved-in' : 'moved-out',
          e.watcher === id ? 'sees' : 'seen-by',
          e.watcher === id ? e.target : e.watcher,
        ]);
      expect(views.map((i) => [i.tick, i.state, 'direction' in i && i.direction, 'other' in i && i.other])).toEqual(
        expected,
      );
      const spawns = script.flatMap((ops, tick) =>
        ops.filter((op) => op.kind === 'add' && op.id === id).map(() => tick),
      );
      const despawns = script.flatMap((ops, tick) =>
        ops.filter((op) => op.kind === 'remove' && op.id === id).map(() => tick),
      );
      removals += despawns.length;
      expect(items.filter((i) => i.state === 'created').map((i) => i.tick)).toEqual(spawns);
      expect(items.filter((i) => i.state === 'destroyed').map((i) => i.tick)).toEqual(despawns);
      for (const item of items) {
        const at = run.positions[item.tick]!.get(id);
        if (at) expect(item.region).toEqual(regionOf(at.x, at.y, 16));
      }
      expect(lifecycle(seekable, id, { from: 25 })).toEqual(lifecycle(run.trace, id, { from: 25 }));
    }
    expect(removals).toBeGreaterThan(0);
  });

  it('rejects an entity that never appears and a range outside the trace', () => {
    expectInvalidArgument(() => lifecycle(hand.trace, 42), /entity 42 never appears in ticks 0\.\.8/);
    expectInvalidArgument(() => lifecycle(hand.trace, 1, { from: 8 }), /entity 1 never appears in ticks 8\.\.8/);
    expectInvalidArgument(() => lifecycle(hand.trace, 1, { from: 9, to: 12 }), /range 9\.\.12 is outside the trace/);
    expectInvalidArgument(() => lifecycle(hand.trace, Number.NaN), /entity must be an integer >= 0, got NaN/);
  });
});
