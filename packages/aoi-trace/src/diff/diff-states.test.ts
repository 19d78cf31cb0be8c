import { describe, expect, it } from 'vitest';
import { stateAt } from '../query/replay.js';
import { HAND_SCRIPT, randomScript, runScript } from '../query/test-support/scenarios.js';
import { diffStates } from './diff-states.js';

describe('diffStates', () => {
  const hand = runScript(HAND_SCRIPT).trace;

  it('lists, per watcher, the targets seen at one time only', () => {
    expect(diffStates(stateAt(hand, 2), stateAt(hand, 6))).toEqual({
      watchers: [
        { watcher: 1, onlyInA: [], onlyInB: [3] },
        { watcher: 2, onlyInA: [], onlyInB: [3] },
      ],
      entitiesOnlyInA: [],
      entitiesOnlyInB: [],
      pairsOnlyInA: 0,
      pairsOnlyInB: 2,
    });
    expect(diffStates(stateAt(hand, 8), stateAt(hand, 6))).toEqual({
      watchers: [
        { watcher: 1, onlyInA: [], onlyInB: [2, 3] },
        { watcher: 2, onlyInA: [], onlyInB: [1] },
      ],
      entitiesOnlyInA: [],
      entitiesOnlyInB: [1],
      pairsOnlyInA: 0,
      pairsOnlyInB: 3,
    });
  });

  it('finds nothing between equal states and agrees with the engine views of two runs', () => {
    expect(diffStates(stateAt(hand, 6), stateAt(hand, 6)).watchers).toEqual([]);
    const a = runScript(randomScript(71, { entities: 30, ticks: 30, leaveFactor: 1.3 }));
    const b = runScript(randomScript(71, { entities: 30, ticks: 30, leaveFactor: 1 }));
    const diff = diffStates(stateAt(a.trace, 29), stateAt(b.trace, 29));
    let pairs = 0;
    for (const [watcher, view] of a.views[29]!) {
      const other = new Set(b.views[29]!.get(watcher));
      const onlyInA = view.filter((t) => !other.has(t));
      pairs += onlyInA.length;
      expect(diff.watchers.find((w) => w.watcher === watcher)?.onlyInA ?? []).toEqual(onlyInA);
    }
    expect(diff.pairsOnlyInA).toBe(pairs);
    expect(pairs).toBeGreaterThan(0);
  });
});
