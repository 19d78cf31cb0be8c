import { describe, expect, it } from 'vitest';
import { runScript, type Script } from '../query/test-support/scenarios.js';
import { FiguresStream, teeInput, traceFigures } from './figures.js';
import { compareFigures } from './figures-compare.js';

// Three watchers of radius 10; 2 walks past 1 (enter, a move in view, leave, back in view), 3 sees nobody and goes.
const script: Script = [
  [
    { kind: 'add', id: 1, x: 0, y: 0, view: 10, leave: 10 },
    { kind: 'add', id: 2, x: 5, y: 0, view: 10, leave: 10 },
    { kind: 'add', id: 3, x: 100, y: 0, view: 10, leave: 10 },
  ],
  [{ kind: 'move', id: 2, x: 6, y: 0 }],
  [{ kind: 'move', id: 2, x: 50, y: 0 }],
  [{ kind: 'remove', id: 3 }],
  [{ kind: 'move', id: 2, x: 5, y: 0 }],
];

describe('trace figures', () => {
  it('counts churn per tick and per watcher, view sizes, move updates and bytes as the model says', () => {
    const figures = traceFigures(runScript(script).trace);
    expect(figures.ticks).toBe(5);
    expect([figures.enters, figures.leaves]).toEqual([4, 2]);
    // Churn per tick 2, 0, 2, 0, 2.
    expect(figures.churnPerTick).toEqual({ total: 6, mean: 1.2, p50: 2, p99: 2, max: 2 });
    expect(figures.topChurn).toEqual([
      { entity: 1, churn: 3, enters: 2, leaves: 1 },
      { entity: 2, churn: 3, enters: 2, leaves: 1 },
    ]);
    // Only tick 1's move is an update: at tick 2 nobody sees 2 any more, at tick 4 its watcher gets an enter.
    expect(figures.moveUpdates).toBe(1);
    // 18 per enter, 6 per leave, 14 per move: 36, 14, 12, 0, 36.
    expect(figures.bytesPerTick).toEqual({ total: 98, mean: 19.6, p50: 14, p99: 36, max: 36 });
    // View sizes after each tick: [1,1,0] [1,1,0] [0,0,0] [0,0] [1,1] -> six 1s, seven 0s.
    expect(figures.viewSize).toEqual({ mean: 6 / 13, p50: 0, p99: 1, max: 1 });
    expect(figures.oscillationFindings).toBe(0);
  });

  it('prices messages as told, and the tee gives the same figures as a pass of its own', () => {
    const { trace } = runScript(script);
    const stream = new FiguresStream({ messageSizes: { enter: 100 } });
    const input = teeInput(trace, stream);
    for (const _ of input.ticks());
    const figures = stream.result();
    expect(figures.bytesPerTick.total).toBe(4 * 100 + 2 * 6 + 1 * 14);
    expect(figures).toEqual(traceFigures(trace, { messageSizes: { enter: 100 } }));
  });

  it('compares two runs figure by figure', () => {
    const a = traceFigures(runScript(script).trace);
    const b = traceFigures(runScript(script.slice(0, 2)).trace);
    const churn = compareFigures(a, b).find((row) => row.figure === 'churnPerTick.mean')!;
    expect(churn).toEqual({ figure: 'churnPerTick.mean', a: 1.2, b: 1, change: 1 / 1.2 - 1 });
  });

  it('refuses a negative message size, naming it', () => {
    expect(() => new FiguresStream({ messageSizes: { leave: -1 } })).toThrow(/messageSizes.leave/);
  });
});
