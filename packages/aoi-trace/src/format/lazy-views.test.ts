import { describe, expect, it } from 'vitest';
import { WorldState } from '../model/world-state.js';
import { LazyViews, SeekWorldState } from './lazy-views.js';
import { ViewTable } from './view-table.js';

function lazy(): LazyViews {
  return new LazyViews(
    new Map([
      [1, Int32Array.of(2, 3)],
      [5, Int32Array.of(-4)],
      [9, Int32Array.of(1, 7, 8)],
    ]),
  );
}

describe('LazyViews', () => {
  it('answers like a plain map and builds a Set only when asked', () => {
    const views = lazy();
    expect(views.size).toBe(3);
    expect(views.has(5)).toBe(true);
    expect(views.has(4)).toBe(false);
    expect([...(views.get(9) ?? [])]).toEqual([1, 7, 8]);
    expect(views.pendingCount).toBe(2);
    expect(views.delete(5)).toBe(true);
    expect(views.delete(5)).toBe(false);
    views.set(4, new Set([1]));
    expect(views.size).toBe(3);
    expect(new Map([...views].map(([w, v]) => [w, [...v]]))).toEqual(
      new Map([
        [9, [1, 7, 8]],
        [4, [1]],
        [1, [2, 3]],
      ]),
    );
    expect(views.pendingCount).toBe(0);
  });

  it('is the views of a WorldState that applies ticks and clones like any other', () => {
    const state = new SeekWorldState(lazy());
    expect(state).toBeInstanceOf(WorldState);
    state.apply({
      tick: 0,
      time: 0,
      eventBase: 0,
      messages: [],
      spawns: [],
      updates: [],
      despawns: [],
      moves: {
        count: 0,
        ids: new Int32Array(0),
        xs: new Float64Array(0),
        ys: new Float64Array(0),
        teleports: new Uint8Array(0),
        causes: new Int32Array(0),
      },
      events: { count: 2, kinds: Uint8Array.of(1, 0), watchers: Int32Array.of(5, 1), targets: Int32Array.of(-4, 0) },
    });
    expect(state.views.has(5)).toBe(false);
    expect(state.viewOf(1)).toEqual([0, 2, 3]);
    const copy = state.clone();
    expect([...copy.views.keys()].sort((a, b) => a - b)).toEqual([1, 9]);
  });
});

describe('ViewTable', () => {
  it('keeps sorted lists through adds, deletes and pool compaction', () => {
    const table = new ViewTable();
    const truth = new Map<number, Set<number>>();
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 40_000; i++) {
      const watcher = (next() % 300) - 20;
      const target = next() % 500;
      const view = truth.get(watcher) ?? new Set<number>();
      expect(table.has(watcher, target)).toBe(view.has(target));
      if (next() % 3 === 0) {
        table.delete(watcher, target);
        view.delete(target);
      } else {
        expect(table.add(watcher, target)).toBe(!view.has(target));
        view.add(target);
      }
      if (view.size === 0) truth.delete(watcher);
      else truth.set(watcher, view);
      if (i % 5000 === 0) {
        table.deleteWatcher(watcher);
        truth.delete(watcher);
      }
    }
    expect([...table.sortedWatchers()]).toEqual([...truth.keys()].sort((a, b) => a - b));
    for (const [watcher, view] of truth) {
      expect([...table.targetsOf(table.slotOf(watcher))]).toEqual([...view].sort((a, b) => a - b));
    }
    expect(table.pairs).toBe([...truth.values()].reduce((n, v) => n + v.size, 0));
  });
});
