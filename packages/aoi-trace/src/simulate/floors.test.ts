import { AoiWorld } from '@lanes/aoi';
import { describe, expect, it } from 'vitest';
import { detect } from '../detect/detect.js';
import { DETECTOR_NAMES } from '../detect/types.js';
import { MemoryTrace } from '../model/memory-trace.js';
import { validateTick } from '../model/validate-tick.js';
import { WorldState } from '../model/world-state.js';
import { recordWorld } from '../record/recorder.js';
import { resolveSimulateOptions, type SimulateOptions } from './options.js';
import { FLOOR, floorsDriver, WALKER_HEIGHT } from './scenarios/floors.js';
import { simulate } from './simulate.js';

const NONE = Object.fromEntries(DETECTOR_NAMES.map((d) => [d, 0]));
const all = { maxFindingsPerDetector: 1_000_000 };
const SMALL: SimulateOptions = { scenario: 'floors', entities: 150, ticks: 80 };

const run = (options: SimulateOptions) => {
  const trace = new MemoryTrace();
  return { trace, summary: simulate(options, trace) };
};

/** Every tick's events as `tick kind watcher target` lines. */
function eventLines(trace: MemoryTrace): string[] {
  const lines: string[] = [];
  for (const r of trace.records) {
    for (let i = 0; i < r.events.count; i++) {
      lines.push(`${r.tick} ${r.events.kinds[i]} ${r.events.watchers[i]} ${r.events.targets[i]}`);
    }
  }
  return lines;
}

/**
 * The same scenario run with height ignored: the driver's world drops z and the half-heights on the way in (the
 * engine sees a flat map), recorded the same way.
 */
function flatRun(options: SimulateOptions): MemoryTrace {
  const o = resolveSimulateOptions(options);
  const world = new AoiWorld({ mode: 'batched', algorithm: o.algorithm });
  const trace = new MemoryTrace();
  const recorder = recordWorld(world, trace, { now: () => 0 });
  const flat = {
    add: (id: number, e: Parameters<AoiWorld['add']>[1]) => {
      const { z: _z, viewHeight: _v, leaveHeight: _l, ...rest } = e;
      world.add(id, rest);
    },
    move: (id: number, x: number, y: number) => world.move(id, x, y),
    teleport: (id: number, x: number, y: number) => world.teleport(id, x, y),
    remove: (id: number) => world.remove(id),
  } as unknown as AoiWorld;
  const driver = floorsDriver(o);
  for (let tick = 0; tick < o.ticks; tick++) {
    if (tick === 0) driver.start(flat, recorder);
    else driver.step(flat, recorder, tick);
    recorder.tick();
  }
  recorder.close();
  return trace;
}

describe('floors scenario (height)', () => {
  it('is valid, has walkers on storeys and flyers between them, and storeys hide each other', () => {
    const { trace } = run(SMALL);
    const state = new WorldState();
    const storeys = new Set<number>();
    let between = 0;
    let verticalOnly = 0;
    let hidden = 0;
    for (const record of trace.records) {
      const error = validateTick(state, trace.header, record);
      if (error !== undefined) throw error;
      state.apply(record);
      verticalOnly += record.updates.filter((u) => u.z !== undefined && u.viewHeight === undefined).length;
      for (const e of state.entities.values()) {
        if (e.viewHeight === WALKER_HEIGHT.viewHeight) storeys.add(e.z!);
        else if (e.z! % FLOOR !== 0) between++;
      }
      for (const [w, view] of state.views) {
        const we = state.entities.get(w)!;
        for (const t of view) {
          // Nothing in view is beyond the watcher's leave half-height: another storey is never seen.
          expect(Math.abs(we.z! - state.entities.get(t)!.z!)).toBeLessThanOrEqual(we.leaveHeight!);
        }
        for (const te of state.entities.values()) {
          if (te === we || view.has(te.id)) continue;
          if (Math.hypot(we.x - te.x, we.y - te.y) <= we.viewRadius) hidden++;
        }
      }
    }
    expect([...storeys].sort((a, b) => a - b)).toEqual([0, 10, 20, 30]);
    expect(between).toBeGreaterThan(0);
    expect(verticalOnly).toBeGreaterThan(0);
    // Pairs within the view radius that are not in view: other storeys (the 2D rule would show them).
    expect(hidden).toBeGreaterThan(1000);
  });

  it("differs from the same run with height ignored: the flat run's views include pairs on other storeys", () => {
    const { trace } = run(SMALL);
    const flat = flatRun(SMALL);
    const withHeight = new Set(eventLines(trace));
    const flatOnly = eventLines(flat).filter((line) => !withHeight.has(line));
    expect(flatOnly.length).toBeGreaterThan(100);
    // Each enter only the flat run has is a pair more than a leave half-height apart vertically.
    const state = new WorldState();
    let checked = 0;
    for (const record of trace.records) {
      state.apply(record);
      for (const line of flatOnly) {
        const [tick, kind, w, t] = line.split(' ').map(Number) as [number, number, number, number];
        if (tick !== record.tick || kind !== 0) continue;
        const we = state.entities.get(w)!;
        const te = state.entities.get(t)!;
        expect(Math.abs(we.z! - te.z!), line).toBeGreaterThan(we.viewHeight!);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  for (const [algorithm, seed] of [
    ['grid', 1],
    ['grid', 2],
    ['grid', 3],
    ['brute-force', 1],
  ] as const) {
    it(`a clean run has no finding from any detector, and ground truth expects every event (${algorithm}, seed ${seed})`, () => {
      const { trace, summary } = run({ ...SMALL, algorithm, seed });
      for (const mode of ['incremental', 'full'] as const) {
        const report = detect(trace, all, undefined, mode);
        expect({ mode, counts: report.counts, findings: report.findings.slice(0, 3) }).toEqual({
          mode,
          counts: NONE,
          findings: [],
        });
        const transitions = eventLines(trace).filter((l) => l.split(' ')[1] !== '2').length;
        expect(report.groundTruth).toMatchObject({ expected: transitions, onTime: transitions });
      }
      expect(summary.recordedEvents).toBe(summary.engineEvents);
    });
  }

  it('is the same file for the same options', () => {
    expect(eventLines(run(SMALL).trace)).toEqual(eventLines(run(SMALL).trace));
    expect(eventLines(run({ ...SMALL, seed: 2 }).trace)).not.toEqual(eventLines(run(SMALL).trace));
  });
});
