import { describe, expect, it } from 'vitest';
import { MemoryTrace } from '../../model/memory-trace.js';
import { validateTick } from '../../model/validate-tick.js';
import { WorldState } from '../../model/world-state.js';
import type { SimulateOptions } from '../options.js';
import { simulate } from '../simulate.js';

/** Replays a simulated trace through validateTick; returns the world at the end (its views as sorted pairs). */
function replay(options: SimulateOptions) {
  const trace = new MemoryTrace();
  const summary = simulate(options, trace);
  const state = new WorldState();
  for (const record of trace.ticks()) {
    const error = validateTick(state, trace.header, record);
    if (error !== undefined) throw error;
    state.apply(record);
  }
  const pairs: string[] = [];
  for (const [watcher, view] of state.views) for (const target of view) pairs.push(`${watcher}:${target}`);
  return { summary, pairs: pairs.sort(), trace };
}

describe('delayed-broadcast injection', () => {
  // random-walk despawns players while their neighbours are stalled: a held event about a target that is gone by
  // the time the stall ends used to be written after the despawn, and every reader refused the trace.
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`random-walk seed ${seed}: no held event outlives its watcher or target, and the views end right`, () => {
      const base: SimulateOptions = { scenario: 'random-walk', seed, ticks: 120 };
      const injected = replay({ ...base, inject: { seed, delayedBroadcast: { rate: 0.05, ticks: 3 } } });
      expect(injected.summary.injected['delayed-broadcast']).toBeGreaterThan(0);
      const despawns = injected.trace.records.reduce((n, r) => n + r.despawns.length, 0);
      expect(despawns).toBeGreaterThan(0);
      // Every held event is delivered (late, or at its target's despawn), so the final views are the engine's.
      expect(injected.pairs).toEqual(replay(base).pairs);
    });
  }
});
