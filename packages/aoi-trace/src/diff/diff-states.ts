import type { WorldState } from '../model/world-state.js';

/** How one watcher's view differs between two states. */
export interface WatcherViewDiff {
  readonly watcher: number;
  /** Seen in `a` only, ascending. */
  readonly onlyInA: number[];
  /** Seen in `b` only, ascending. */
  readonly onlyInB: number[];
}

export interface StateDiff {
  /** Watchers whose views differ, ascending. */
  readonly watchers: WatcherViewDiff[];
  readonly entitiesOnlyInA: number[];
  readonly entitiesOnlyInB: number[];
  /** Total (watcher, target) pairs seen in `a` only / `b` only. */
  readonly pairsOnlyInA: number;
  readonly pairsOnlyInB: number;
}

/** The difference of two moments (or two traces at one moment): per watcher, the targets seen on one side only. */
export function diffStates(a: WorldState, b: WorldState): StateDiff {
  const watchers: WatcherViewDiff[] = [];
  let pairsOnlyInA = 0;
  let pairsOnlyInB = 0;
  const ids = new Set([...a.views.keys(), ...b.views.keys()]);
  for (const watcher of [...ids].sort((x, y) => x - y)) {
    const va = a.views.get(watcher) ?? new Set<number>();
    const vb = b.views.get(watcher) ?? new Set<number>();
    const onlyInA = [...va].filter((t) => !vb.has(t)).sort((x, y) => x - y);
    const onlyInB = [...vb].filter((t) => !va.has(t)).sort((x, y) => x - y);
    if (onlyInA.length + onlyInB.length === 0) continue;
    watchers.push({ watcher, onlyInA, onlyInB });
    pairsOnlyInA += onlyInA.length;
    pairsOnlyInB += onlyInB.length;
  }
  const only = (x: WorldState, y: WorldState) =>
    [...x.entities.keys()].filter((id) => !y.entities.has(id)).sort((p, q) => p - q);
  return {
    watchers,
    entitiesOnlyInA: only(a, b),
    entitiesOnlyInB: only(b, a),
    pairsOnlyInA,
    pairsOnlyInB,
  };
}
