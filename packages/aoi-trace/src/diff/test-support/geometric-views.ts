// Visibility recomputed from a script's positions alone, under the hysteresis rule or without it: an independent
// check on what the engine (and so the recorded traces) must show.

import type { Script } from '../../query/test-support/scenarios.js';

interface Body {
  x: number;
  y: number;
  view: number;
  leave: number;
}

/** Per tick, the set of "watcher,target" pairs in view after it. */
export function geometricViews(script: Script, hysteresis: boolean): Set<string>[] {
  const bodies = new Map<number, Body>();
  let seen = new Set<string>();
  const result: Set<string>[] = [];
  for (const ops of script) {
    for (const op of ops) {
      if (op.kind === 'add') bodies.set(op.id, { x: op.x, y: op.y, view: op.view, leave: op.leave });
      else if (op.kind === 'remove') bodies.delete(op.id);
      else Object.assign(bodies.get(op.id)!, { x: op.x, y: op.y });
    }
    const next = new Set<string>();
    for (const [w, a] of bodies) {
      for (const [t, b] of bodies) {
        if (w === t) continue;
        const key = `${w},${t}`;
        const d2 = (a.x - b.x) ** 2 + (a.y - b.y) ** 2;
        const keep = hysteresis && seen.has(key) ? d2 <= a.leave * a.leave : d2 <= a.view * a.view;
        if (keep) next.add(key);
      }
    }
    // A removed and re-added id starts fresh: pairs of ids gone in between were dropped with the removal.
    seen = next;
    result.push(next);
  }
  return result;
}

/** Counts the intervals in which exactly one of two per-tick pair sets holds a pair (per side). */
export function disagreementIntervals(a: readonly Set<string>[], b: readonly Set<string>[]): number {
  let previous = new Set<string>();
  let count = 0;
  for (let tick = 0; tick < a.length; tick++) {
    const current = new Set<string>();
    for (const key of a[tick]!) if (!b[tick]!.has(key)) current.add(`a:${key}`);
    for (const key of b[tick]!) if (!a[tick]!.has(key)) current.add(`b:${key}`);
    for (const key of current) if (!previous.has(key)) count++;
    previous = current;
  }
  return count;
}
