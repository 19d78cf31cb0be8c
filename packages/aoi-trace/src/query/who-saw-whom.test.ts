import { describe, expect, it } from 'vitest';
import { emptyEvents } from '../model/columns.js';
import { MemoryTrace } from '../model/memory-trace.js';
import { expectInvalidArgument } from './test-support/expect-trace-error.js';
import { HAND_SCRIPT, randomScript, runScript, type TruthEvent } from './test-support/scenarios.js';
import { type VisibilityInterval, whoSawWhom } from './who-saw-whom.js';

const hand = runScript(HAND_SCRIPT);
const brief = (intervals: VisibilityInterval[]) =>
  intervals.map((i) => [i.watcher, i.target, i.fromTick, i.toTick, i.enterEventId, i.exitEventId]);

/** Intervals rebuilt from the engine's own events. */
function intervalsOf(truth: readonly TruthEvent[]) {
  const open = new Map<string, { watcher: number; target: number; fromTick: number; toTick: number | null }>();
  const done: { watcher: number; target: number; fromTick: number; toTick: number | null }[] = [];
  for (const e of truth) {
    const key = `${e.watcher},${e.target}`;
    if (e.kind === 'enter') open.set(key, { watcher: e.watcher, target: e.target, fromTick: e.tick, toTick: null });
    else {
      done.push({ ...open.get(key)!, toTick: e.tick });
      open.delete(key);
    }
  }
  return [...done, ...open.values()];
}

const key = (i: { watcher: number; target: number; fromTick: number; toTick: number | null }) =>
  `${i.watcher},${i.target},${i.fromTick},${i.toTick}`;

describe('whoSawWhom', () => {
  it('lists every interval of the hand-built scenario with its enter and exit ids', () => {
    expect(brief(whoSawWhom(hand.trace))).toEqual([
      [1, 2, 1, 3, 0, 2],
      [2, 1, 2, 3, 1, 3],
      [1, 3, 4, 7, 4, 9],
      [1, 2, 6, 7, 5, 8],
      [2, 1, 6, 7, 6, 10],
      [2, 3, 6, null, 7, undefined],
    ]);
  });

  it('filters by watcher, target and range; an interval open at the end of the range has no end', () => {
    expect(brief(whoSawWhom(hand.trace, { watcher: 1, from: 5, to: 6 }))).toEqual([
      [1, 3, 4, null, 4, undefined],
      [1, 2, 6, null, 5, undefined],
    ]);
    expect(brief(whoSawWhom(hand.trace, { target: 1, to: 2 }))).toEqual([[2, 1, 2, null, 1, undefined]]);
    expect(brief(whoSawWhom(hand.trace, { watcher: 2, target: 1, from: 4 }))).toEqual([[2, 1, 6, 7, 6, 10]]);
  });

  it('closes intervals at a despawn the trace recorded no exits for', () => {
    const records = hand.trace.records.map((r) => (r.tick === 7 ? { ...r, events: emptyEvents() } : r));
    const trace = new MemoryTrace(hand.trace.header, records);
    expect(brief(whoSawWhom(trace, { from: 6 }))).toEqual([
      [1, 3, 4, 7, 4, undefined],
      [1, 2, 6, 7, 5, undefined],
      [2, 1, 6, 7, 6, undefined],
      [2, 3, 6, null, 7, undefined],
    ]);
  });

  it('matches the intervals rebuilt from the engine-side truth of a random run', () => {
    const run = runScript(randomScript(41, { entities: 25, ticks: 50 }));
    const all = whoSawWhom(run.trace);
    const expected = intervalsOf(run.truth);
    expect(all.length).toBeGreaterThan(20);
    expect(all.map(key).sort()).toEqual(expected.map(key).sort());
    const watcher = all[0]!.watcher;
    expect(whoSawWhom(run.trace, { watcher }).map(key).sort()).toEqual(
      expected
        .filter((i) => i.watcher === watcher)
        .map(key)
        .sort(),
    );
  });

  it('rejects bad filters and entities that never appear', () => {
    expectInvalidArgument(() => whoSawWhom(hand.trace, { watcher: 42 }), /entity 42 never appears in ticks 0\.\.8/);
    expectInvalidArgument(
      () => whoSawWhom(hand.trace, { target: 1, from: 8 }),
      /entity 1 never appears in ticks 8\.\.8/,
    );
    expectInvalidArgument(
      () => whoSawWhom(hand.trace, { from: 3, to: 1 }),
      /filter\.from \(3\) is after filter\.to \(1\)/,
    );
    expectInvalidArgument(() => whoSawWhom(hand.trace, { from: 100 }), /outside the trace, which has ticks 0\.\.8/);
  });
});
