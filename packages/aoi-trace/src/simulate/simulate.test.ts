import { describe, expect, it } from 'vitest';
import { TraceError } from '../errors.js';
import { MemoryTrace } from '../model/memory-trace.js';
import { WorldState } from '../model/world-state.js';
import { mulberry32 } from './mulberry32.js';
import type { SimulateOptions } from './options.js';
import { simulate } from './simulate.js';

/** bench/aoi/scenario.js as it was before it moved into the library: the reference the positions must match. */
function referenceScenario(n: number, half: number, ticks: number, seed = 12345, step = 0.6) {
  const rnd = mulberry32(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const vx = new Float64Array(n);
  const vy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = (rnd() * 2 - 1) * half;
    y[i] = (rnd() * 2 - 1) * half;
    const heading = rnd() * 2 * Math.PI;
    vx[i] = Math.cos(heading) * step;
    vy[i] = Math.sin(heading) * step;
  }
  const xs = [x.slice()];
  const ys = [y.slice()];
  for (let t = 1; t <= ticks; t++) {
    for (let i = 0; i < n; i++) {
      let nx = x[i]! + vx[i]!;
      let ny = y[i]! + vy[i]!;
      if (nx > half || nx < -half) {
        nx = nx > half ? 2 * half - nx : -2 * half - nx;
        vx[i] = -vx[i]!;
      }
      if (ny > half || ny < -half) {
        ny = ny > half ? 2 * half - ny : -2 * half - ny;
        vy[i] = -vy[i]!;
      }
      x[i] = nx;
      y[i] = ny;
    }
    xs.push(x.slice());
    ys.push(y.slice());
  }
  return { xs, ys };
}

const run = (options: SimulateOptions) => {
  const trace = new MemoryTrace();
  return { trace, summary: simulate(options, trace) };
};

describe('simulate', () => {
  it('mulberry32 keeps its first outputs', () => {
    const rnd = mulberry32(12345);
    // Pinned so that a change to the generator (and so to every scenario) cannot go unnoticed.
    expect([rnd(), rnd(), rnd()].map((v) => v.toFixed(10))).toEqual(['0.9797282678', '0.3067522645', '0.4842054215']);
  });

  for (const [scenario, half] of [
    ['aoitesting-dense', 1000],
    ['aoitesting-sparse', 10_000],
  ] as const) {
    it(`${scenario} reproduces the bench's positions exactly`, () => {
      const ticks = 6;
      const { trace } = run({ scenario, ticks });
      const reference = referenceScenario(10_000, half, ticks - 1);
      const state = new WorldState();
      for (const record of trace.ticks()) {
        state.apply(record);
        const t = record.tick;
        expect(state.entities.size).toBe(10_000);
        for (let i = 0; i < 10_000; i++) {
          const e = state.entities.get(i)!;
          if (e.x !== reference.xs[t]![i] || e.y !== reference.ys[t]![i]) {
            throw new Error(
              `tick ${t}, entity ${i}: (${e.x}, ${e.y}) instead of (${reference.xs[t]![i]}, ${reference.ys[t]![i]})`,
            );
          }
        }
      }
      expect(trace.records[0]!.spawns[0]).toMatchObject({ viewRadius: 100, leaveRadius: 100 });
      expect(trace.header.attributes.scenario).toBe(scenario);
    });
  }

  it('is deterministic: the same options give the same records, spans and times included', () => {
    const options: SimulateOptions = {
      scenario: 'random-walk',
      ticks: 80,
      inject: {
        tornView: { rate: 0.02 },
        delayedBroadcast: { rate: 0.02 },
        race: { rate: 0.02 },
        oscillation: { rate: 0.02 },
      },
    };
    const a = run(options);
    const b = run(options);
    expect(b.trace.header).toEqual(a.trace.header);
    expect(b.trace.records).toEqual(a.trace.records);
    expect(b.summary).toEqual(a.summary);
    expect(a.trace.records[3]!.time).toBe(Date.UTC(2025, 0, 1) + 300);
    const other = run({ ...options, seed: 2 });
    expect(other.trace.records).not.toEqual(a.trace.records);
  });

  it('random-walk has items, spawns, despawns, teleports, and messages as causes', () => {
    const { trace, summary } = run({ scenario: 'random-walk' });
    const records = trace.records;
    expect(records[0]!.spawns.some((s) => !s.watcher && s.tags[0] === 'item')).toBe(true);
    expect(records.slice(1).some((r) => r.spawns.length > 0)).toBe(true);
    expect(records.some((r) => r.despawns.length > 0)).toBe(true);
    expect(records.some((r) => Array.from(r.moves.teleports.subarray(0, r.moves.count)).includes(1))).toBe(true);
    const names = new Set(records.flatMap((r) => r.messages.map((m) => m.name)));
    expect(names).toEqual(new Set(['world-load', 'login', 'logout', 'move-request', 'teleport']));
    const moved = records[5]!;
    expect(moved.messages[moved.moves.causes[0]!]!.entity).toBe(moved.moves.ids[0]);
    expect(summary.engineEvents).toBe(summary.recordedEvents);
    expect(Object.values(summary.injected).every((n) => n === 0)).toBe(true);
  });

  it('border-crowd keeps everyone near its lattice anchor', () => {
    const { trace } = run({ scenario: 'border-crowd', entities: 100, ticks: 10 });
    const state = new WorldState();
    for (const record of trace.ticks()) state.apply(record);
    // 10 x 10 lattice, spacing 50: entity 11 is anchored at (-225 + 50, -225 + 50), jitter up to 2.
    const e = state.entities.get(11)!;
    expect(Math.abs(e.x + 175)).toBeLessThanOrEqual(2);
    expect(Math.abs(e.y + 175)).toBeLessThanOrEqual(2);
  });

  it('lists the injections it made, capped, with exact counts', () => {
    const { summary } = run({ scenario: 'random-walk', maxInjectionsListed: 5, inject: { race: { rate: 0.05 } } });
    expect(summary.injected.race).toBeGreaterThan(5);
    expect(summary.injections).toHaveLength(5);
    expect(summary.injectionsTruncated).toBe(true);
    expect(summary.recordedEvents).toBe(summary.engineEvents - summary.injected.race);
  });

  it('rejects bad options with a TraceError naming the option', () => {
    const cases: Array<[unknown, string]> = [
      [{ scenario: 'nope' }, '$.scenario'],
      [{ scenario: 'random-walk', entities: 0 }, '$.entities'],
      [{ scenario: 'random-walk', viewRadius: 50, leaveRadius: 40 }, '$.leaveRadius'],
      [{ scenario: 'random-walk', tickMs: Number.NaN }, '$.tickMs'],
      [{ scenario: 'random-walk', algorithm: 'quadtree' }, '$.algorithm'],
      [{ scenario: 'random-walk', tick: 5 }, '$.tick'],
      [{ scenario: 'random-walk', inject: { race: { rate: 2 } } }, '$.inject.race.rate'],
      [{ scenario: 'random-walk', inject: { race: {} } }, '$.inject.race.rate'],
      [{ scenario: 'random-walk', inject: { oscillation: { rate: 0.1, flips: 3 } } }, '$.inject.oscillation.flips'],
      [{ scenario: 'random-walk', inject: { tornViews: { rate: 0.1 } } }, '$.inject.tornViews'],
    ];
    for (const [options, path] of cases) {
      try {
        simulate(options as SimulateOptions, new MemoryTrace());
        expect.unreachable(`accepted ${JSON.stringify(options)}`);
      } catch (error) {
        expect(error).toBeInstanceOf(TraceError);
        expect((error as TraceError).details.path).toBe(path);
        expect((error as TraceError).message).toContain(path.slice(2));
      }
    }
  });
});
