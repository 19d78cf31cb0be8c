import { describe, expect, it } from 'vitest';
import { expectInvalidArgument } from './test-support/expect-trace-error.js';
import { HAND_SCRIPT, randomScript, runScript } from './test-support/scenarios.js';
import { SeekableMemoryTrace } from './test-support/seekable-memory-trace.js';
import { viewBetween } from './view-between.js';

const hand = runScript(HAND_SCRIPT);

describe('viewBetween', () => {
  it('gives both views, their diff and every change in between', () => {
    const result = viewBetween(hand.trace, 2, 1, 6);
    expect(result).toMatchObject({ viewAt1: [], viewAt2: [1, 3], entered: [1, 3], exited: [], stayed: [] });
    expect(result.changes.map((c) => [c.tick, c.kind, c.target, c.eventId])).toEqual([
      [2, 'enter', 1, 1],
      [3, 'exit', 1, 3],
      [6, 'enter', 1, 6],
      [6, 'enter', 3, 7],
    ]);
    const same = viewBetween(hand.trace, 1, 4, 6);
    expect(same).toMatchObject({ viewAt1: [3], viewAt2: [2, 3], entered: [2], exited: [], stayed: [3] });
    expect(viewBetween(hand.trace, 2, 6, 7)).toMatchObject({ exited: [1], stayed: [3], entered: [] });
    expect(viewBetween(hand.trace, 2, 4, 4)).toMatchObject({ viewAt1: [], viewAt2: [], changes: [] });
  });

  it('agrees with the engine on a random run, with or without seeking', () => {
    const run = runScript(randomScript(31, { entities: 20, ticks: 40 }));
    const seekable = new SeekableMemoryTrace(run.trace, 8);
    let changed = 0;
    for (const [t1, t2] of [
      [0, 39],
      [10, 20],
      [33, 35],
    ] as const) {
      for (const watcher of run.views[t1]!.keys()) {
        if (!run.views[t2]!.has(watcher)) continue;
        const result = viewBetween(run.trace, watcher, t1, t2);
        expect(result.viewAt1).toEqual(run.views[t1]!.get(watcher));
        expect(result.viewAt2).toEqual(run.views[t2]!.get(watcher));
        const between = run.truth.filter((e) => e.watcher === watcher && e.tick > t1 && e.tick <= t2);
        expect(result.changes.map((c) => [c.tick, c.kind, c.target])).toEqual(
          between.map((e) => [e.tick, e.kind, e.target]),
        );
        expect(viewBetween(seekable, watcher, t1, t2)).toEqual(result);
        changed += result.entered.length + result.exited.length;
      }
    }
    expect(changed).toBeGreaterThan(0);
  });

  it('rejects bad ticks and unknown watchers', () => {
    expectInvalidArgument(() => viewBetween(hand.trace, 1, 5, 2), /t1 \(5\) is after t2 \(2\)/);
    expectInvalidArgument(
      () => viewBetween(hand.trace, 1, 0, 99),
      /t2 99 is outside the trace, which has ticks 0\.\.8/,
    );
    expectInvalidArgument(() => viewBetween(hand.trace, 7, 0, 8), /entity 7 never appears in ticks 0\.\.8/);
    expectInvalidArgument(() => viewBetween(hand.trace, 1, 7, 8), /entity 1 never appears in ticks 7\.\.8/);
  });
});
