import { describe, expect, it } from 'vitest';
import { MemoryTrace } from '../model/memory-trace.js';
import type { TraceInput } from '../model/types.js';
import { WorldState } from '../model/world-state.js';
import { simulate } from '../simulate/index.js';
import { detect } from './detect.js';
import { resolveDetectOptions } from './options.js';

/**
 * `delayed-broadcast` as docs/aoi-trace.md defines it, by brute force over every ordered pair of every tick (no
 * grid, no schedule): a pair contradicts its recorded view when unseen within the view radius (less tolerance) or
 * seen beyond the leave radius (plus tolerance, or no longer a watcher and a marker); the contradiction lasts while
 * the hysteresis rule keeps it (an unseen pair within the leave radius, a seen one beyond the view radius), and the
 * event that ends it is late by the ticks since it began (unless that tick's own event opened it). Findings as
 * "due kind(watcher,target) delivered lag".
 */
function bruteForceDelays(input: TraceInput): string[] {
  const { tolerance: tol, maxLagTicks } = resolveDetectOptions({}, input.header);
  const world = new WorldState();
  const open = new Map<string, { kind: number; since: number; byEvent: boolean }>();
  const found: string[] = [];
  for (const record of input.ticks()) {
    world.apply(record);
    const { events, tick } = record;
    const touched = new Set<string>();
    for (let i = 0; i < events.count; i++) {
      const key = `${events.watchers[i]},${events.targets[i]}`;
      touched.add(key);
      const o = open.get(key);
      if (o === undefined || o.kind !== events.kinds[i]) continue;
      open.delete(key);
      const lag = tick - o.since;
      if (!o.byEvent && lag > maxLagTicks) found.push(`${o.since} ${['enter', 'exit'][o.kind]}(${key}) ${tick} ${lag}`);
    }
    const now = new Set<string>();
    const entities = [...world.entities.values()];
    for (const w of entities) {
      for (const t of entities) {
        if (t === w) continue;
        const seen = world.views.get(w.id)?.has(t.id) === true;
        const d = Math.hypot(w.x - t.x, w.y - t.y);
        let kind: number | undefined;
        if (w.watcher && t.marker && d <= w.leaveRadius + tol) kind = !seen && d <= w.viewRadius - tol ? 0 : undefined;
        else if (seen) kind = 1;
        if (kind === undefined) continue;
        const key = `${w.id},${t.id}`;
        now.add(key);
        if (!open.has(key)) open.set(key, { kind, since: tick, byEvent: touched.has(key) });
      }
    }
    for (const [key, o] of open) {
      if (now.has(key)) continue;
      const [a, b] = key.split(',').map(Number) as [number, number];
      const w = world.entities.get(a);
      const t = world.entities.get(b);
      let lasts = false;
      if (w?.watcher && t?.marker) {
        const seen = world.views.get(a)?.has(b) === true;
        const d = Math.hypot(w.x - t.x, w.y - t.y);
        lasts = o.kind === 0 ? !seen && d <= Math.max(0, w.leaveRadius - tol) : seen && d > w.viewRadius + tol;
      }
      if (!lasts) open.delete(key);
    }
  }
  return found.sort();
}

describe('delayed-broadcast against a brute-force reading of its definition (issue 15)', () => {
  // A slow crowd (0.3 a tick: under the schedule's bucket width, 50 / 64) with held events, 3 seeds.
  for (const seed of [1, 2, 3]) {
    it(`finds exactly the brute force's delays in both modes, seed ${seed}`, () => {
      const trace = new MemoryTrace();
      simulate(
        {
          scenario: 'aoitesting-dense',
          entities: 200,
          half: 200,
          step: 0.3,
          ticks: 60,
          seed,
          inject: { delayedBroadcast: { rate: 0.05, ticks: 3 } },
        },
        trace,
      );
      const expected = bruteForceDelays(trace);
      expect(expected.length).toBeGreaterThan(100);
      for (const mode of ['incremental', 'full'] as const) {
        const report = detect(
          trace,
          { detectors: ['delayed-broadcast'], maxFindingsPerDetector: 1e6 },
          undefined,
          mode,
        );
        const delays = report.findings.map((f) => {
          const e = f.evidence as { dueTick: number; event: string; deliveredTick: number; lagTicks: number };
          return `${e.dueTick} ${e.event}(${f.entities.join(',')}) ${e.deliveredTick} ${e.lagTicks}`;
        });
        expect({ mode, delays: delays.sort() }).toEqual({ mode, delays: expected });
      }
    });
  }
});
