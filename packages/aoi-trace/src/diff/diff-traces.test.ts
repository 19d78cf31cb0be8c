import { describe, expect, it } from 'vitest';
import { MemoryTrace } from '../model/memory-trace.js';
import { expectInvalidArgument } from '../query/test-support/expect-trace-error.js';
import { HAND_SCRIPT, type Op, randomScript, runScript, type Script } from '../query/test-support/scenarios.js';
import { diffTraces } from './diff-traces.js';
import { disagreementIntervals, geometricViews } from './test-support/geometric-views.js';

const TICKS = 60;

describe('diffTraces', () => {
  it('finds a grid run and a brute-force run of the same scenario identical', () => {
    const script = randomScript(61, { entities: 40, ticks: TICKS });
    const grid = runScript(script, 'grid');
    const brute = runScript(script, 'brute-force');
    expect(grid.truth.length).toBeGreaterThan(100);
    const diff = diffTraces(grid.trace, brute.trace, { order: 'sequence' });
    expect(diff).toMatchObject({
      identical: true,
      firstDivergentTick: null,
      ticksCompared: TICKS,
      eventsOnlyInA: 0,
      eventsOnlyInB: 0,
      divergentTicks: { items: [], total: 0 },
      views: { total: 0 },
      positions: { total: 0 },
    });
  });

  it('finds where hysteresis first matters, checked against the geometry alone', () => {
    // A sparse scenario, chosen so that the two rules agree for a while (with events) before they part.
    const withHysteresis = randomScript(62, { entities: 15, ticks: TICKS, view: 6, leaveFactor: 1.3 });
    const without = randomScript(62, { entities: 15, ticks: TICKS, view: 6, leaveFactor: 1 });
    const views = geometricViews(withHysteresis, true);
    const plain = geometricViews(without, false);
    const expectedFirst = views.findIndex((pairs, tick) => !sameSet(pairs, plain[tick]!));
    expect(expectedFirst).toBeGreaterThan(5);
    const runA = runScript(withHysteresis);
    expect(runA.truth.filter((e) => e.tick < expectedFirst).length).toBeGreaterThan(5);

    const diff = diffTraces(runA.trace, runScript(without).trace);
    expect(diff.identical).toBe(false);
    expect(diff.firstDivergentTick).toBe(expectedFirst);
    // Before it, both held the same pairs, so the only change is exits that hysteresis held back.
    const first = diff.divergentTicks.items[0]!;
    expect(first.eventsOnlyInA).toBe(0);
    expect(first.eventsOnlyInB).toBeGreaterThan(0);
    expect(first.events.every((e) => e.side === 'b' && e.kind === 'exit')).toBe(true);
    expect(diff.views.items[0]).toMatchObject({ seenIn: 'a', fromTick: expectedFirst });
    expect(diff.views.total).toBe(disagreementIntervals(views, plain));
    expect(diff.positions.total).toBe(0);
    // Every tick after which the view sets differ is listed as divergent with the right count.
    for (const tickDiff of diff.divergentTicks.items) {
      const t = tickDiff.tick;
      const differing =
        [...views[t]!].filter((k) => !plain[t]!.has(k)).length + [...plain[t]!].filter((k) => !views[t]!.has(k)).length;
      expect(tickDiff.viewDifferences).toBe(differing);
    }

    const capped = diffTraces(runScript(withHysteresis).trace, runScript(without).trace, { maxItems: 2 });
    expect(diff.views.total).toBeGreaterThan(2);
    expect(capped.views.items).toHaveLength(2);
    expect(capped.views.total).toBe(diff.views.total);
    expect(capped.divergentTicks.items).toHaveLength(2);
    expect(capped.divergentTicks.total).toBe(diff.divergentTicks.total);
    expect(capped.eventsOnlyInB).toBe(diff.eventsOnlyInB);
  });

  it('tells event order from event content', () => {
    const crowd = (ids: number[]): Script => [
      ids.map((id): Op => ({ kind: 'add', id, x: id, y: 0, view: 5, leave: 5 })),
      [{ kind: 'move', id: 2, x: 20, y: 0 }],
    ];
    const forward = runScript(crowd([1, 2, 3])).trace;
    const backward = runScript(crowd([3, 2, 1])).trace;
    expect(forward.records[0]!.events.count).toBe(6);
    expect(diffTraces(forward, backward).identical).toBe(true);
    const ordered = diffTraces(forward, backward, { order: 'sequence' });
    expect(ordered.firstDivergentTick).toBe(0);
    expect(ordered.divergentTicks.items[0]).toMatchObject({ eventsOnlyInA: 0, eventsOnlyInB: 0, orderDiffers: true });
  });

  it('reports ticks present in one trace only and keeps aligning by tick number after them', () => {
    const hand = runScript(HAND_SCRIPT).trace;
    // Ticks 5 and 8 changed nothing: dropping 5 from b makes it missing there, but the worlds stay equal.
    const gapped = new MemoryTrace(
      hand.header,
      hand.records.filter((r) => r.tick !== 5),
    );
    const diff = diffTraces(hand, gapped);
    expect(diff.ticksOnlyInA).toEqual({ items: [5], total: 1 });
    expect(diff.ticksOnlyInB.total).toBe(0);
    expect(diff.ticksCompared).toBe(8);
    expect(diff.divergentTicks.items.map((t) => [t.tick, t.presentIn])).toEqual([[5, 'a']]);
    const longer = runScript([...HAND_SCRIPT, [], []]).trace;
    expect(diffTraces(hand, longer).ticksOnlyInB).toEqual({ items: [9, 10], total: 2 });
    expect(diffTraces(hand, longer).firstDivergentTick).toBe(9);
  });

  it('reports positions apart by more than the tolerance, and when they agree again', () => {
    const shifted = HAND_SCRIPT.map((ops, tick) =>
      tick === 0 ? ops.map((op) => (op.kind === 'add' && op.id === 3 ? { ...op, y: 100.25 } : op)) : ops,
    );
    const a = runScript(HAND_SCRIPT).trace;
    const b = runScript(shifted).trace;
    const exact = diffTraces(a, b);
    expect(exact.eventsOnlyInA + exact.eventsOnlyInB).toBe(0);
    expect(exact.positions).toEqual({
      items: [
        { entity: 3, fromTick: 0, resolvedAt: 4, a: { x: 100, y: 100 }, b: { x: 100, y: 100.25 }, maxDistance: 0.25 },
      ],
      total: 1,
    });
    expect(exact.divergentTicks.items.map((t) => t.tick)).toEqual([0, 1, 2, 3]);
    expect(diffTraces(a, b, { positionTolerance: 0.5 }).identical).toBe(true);
  });

  it('reports entities that exist in one trace only', () => {
    const extra = HAND_SCRIPT.map((ops, tick) =>
      tick === 2 ? [...ops, { kind: 'add', id: 9, x: 500, y: 500, view: 1, leave: 1 } as Op] : ops,
    );
    const diff = diffTraces(runScript(HAND_SCRIPT).trace, runScript(extra).trace);
    expect(diff.positions.items).toEqual([
      { entity: 9, fromTick: 2, resolvedAt: null, a: null, b: { x: 500, y: 500 }, maxDistance: null },
    ]);
    expect(diff.firstDivergentTick).toBe(2);
  });

  it('rejects bad options', () => {
    const hand = runScript(HAND_SCRIPT).trace;
    expectInvalidArgument(
      () => diffTraces(hand, hand, { order: 'random' as 'set' }),
      /options\.order must be 'set' or 'sequence'/,
    );
    expectInvalidArgument(() => diffTraces(hand, hand, { maxItems: -1 }), /options\.maxItems must be an integer >= 0/);
    expectInvalidArgument(
      () => diffTraces(hand, hand, { positionTolerance: Number.NaN }),
      /positionTolerance must be a finite number >= 0/,
    );
  });
});

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((k) => b.has(k));
}
