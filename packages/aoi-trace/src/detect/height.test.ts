import { AoiWorld } from '@lanes/aoi';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { heightOp, recordHeightRun } from '../format/test-support/height-runs.js';
import { emptyEvents, pushEvent } from '../model/columns.js';
import { MemoryTrace } from '../model/memory-trace.js';
import type { TickRecord } from '../model/types.js';
import { WorldState } from '../model/world-state.js';
import { recordWorld } from '../record/recorder.js';
import { entityZone } from './cylinder.js';
import { type DetectionMode, type DetectionReport, detect } from './detect.js';
import { FLOOR, recordHeightWorld } from './test-support/height-world.js';
import { DETECTOR_NAMES, type DetectorName } from './types.js';

const MODES: DetectionMode[] = ['incremental', 'full'];
const NONE = Object.fromEntries(DETECTOR_NAMES.map((d) => [d, 0]));
const all = { maxFindingsPerDetector: 1_000_000 };

/** Enter and exit events of a trace: what ground truth must expect of a correct engine. */
const transitions = (trace: MemoryTrace) =>
  trace.records.reduce((n, r) => n + [...r.events.kinds.subarray(0, r.events.count)].filter((k) => k < 2).length, 0);

function expectClean(trace: MemoryTrace, tolerance?: number): void {
  for (const mode of MODES) {
    const report = detect(trace, { ...all, ...(tolerance === undefined ? {} : { tolerance }) }, undefined, mode);
    expect({ mode, counts: report.counts, findings: report.findings.slice(0, 3) }).toEqual({
      mode,
      counts: NONE,
      findings: [],
    });
    expect(report.groundTruth).toMatchObject({ expected: transitions(trace), onTime: transitions(trace) });
  }
}

/** Pairs (over all ticks) the 2D rule would see and the cylinder does not: the run really tests height. */
function heightOnlyPairs(trace: MemoryTrace): number {
  const world = new WorldState();
  let n = 0;
  for (const record of trace.records) {
    world.apply(record);
    for (const w of world.entities.values()) {
      if (!w.watcher) continue;
      for (const t of world.entities.values()) {
        if (t === w || !t.marker) continue;
        if (Math.hypot(w.x - t.x, w.y - t.y) <= w.viewRadius && entityZone(w, t) !== 0) n++;
      }
    }
  }
  return n;
}

/**
 * A small world with floors, recorded from the engine: a, b, c stacked at (0, 0) on floors 0, 10, 20 (half-height 4,
 * leave 6); d next to a on floor 0 with a tall view (12); e climbs from floor 0 to 20 and back at (3, 0), crossing
 * every half-height without moving horizontally, then hovers in a's vertical band (|dz| between 4 and 6).
 */
function floors(): { trace: MemoryTrace; ticks: Map<string, number> } {
  const world = new AoiWorld({ mode: 'batched' });
  const trace = new MemoryTrace();
  let time = 0;
  const recorder = recordWorld(world, trace, { now: () => (time += 100) });
  const ticks = new Map<string, number>();
  const floor = { viewRadius: 20, leaveRadius: 24, viewHeight: 4, leaveHeight: 6 };
  world.add(1, { x: 0, y: 0, z: 0, ...floor });
  world.add(2, { x: 0, y: 0, z: FLOOR, ...floor });
  world.add(3, { x: 0, y: 0, z: 2 * FLOOR, ...floor });
  world.add(4, { x: 5, y: 0, z: 0, viewRadius: 20, leaveRadius: 24, viewHeight: 12, leaveHeight: 12 });
  world.add(5, { x: 3, y: 0, z: 0, ...floor });
  let tick = 0;
  const close = (label?: string) => {
    if (label !== undefined) ticks.set(label, tick);
    recorder.tick();
    tick++;
  };
  close();
  for (let z = 1; z <= 2 * FLOOR; z++) {
    world.move(5, 3, 0, z);
    close(`e at ${z}`);
  }
  for (let z = 2 * FLOOR - 1; z >= 0; z--) {
    world.move(5, 3, 0, z);
    close(`e back at ${z}`);
  }
  // Hover in 1's band: 3 (in view) -> 5 (band: stays) -> 4.5 -> 5.5 -> 7 (leaves) -> 5 (band: does not enter) -> 4.
  for (const z of [3, 5, 4.5, 5.5, 7, 5, 4]) {
    world.move(5, 3, 0, z);
    close(`hover ${z}`);
  }
  // A half-height change while in view, then a walk on floor 0.
  world.setHeight(1, 2, 3);
  close('setHeight');
  for (let x = 4; x <= 30; x += 2) {
    world.move(5, x, 0);
    close(`walk ${x}`);
  }
  recorder.close();
  return { trace, ticks };
}

/** The trace with `edit` applied to the events of the tick numbered `tick`. */
function withEvents(
  trace: MemoryTrace,
  tick: number,
  edit: (events: [kind: number, watcher: number, target: number][]) => void,
): MemoryTrace {
  const records = trace.records.map((record): TickRecord => {
    if (record.tick !== tick) return record;
    const list: [number, number, number][] = [];
    for (let i = 0; i < record.events.count; i++)
      list.push([record.events.kinds[i]!, record.events.watchers[i]!, record.events.targets[i]!]);
    edit(list);
    const events = emptyEvents(list.length);
    for (const [k, w, t] of list) pushEvent(events, k, w, t);
    return { ...record, events };
  });
  return new MemoryTrace(trace.header, records);
}

/** The trace without the event (kind, watcher, target) of the tick numbered `tick`, which must have it. */
const withoutEvent = (trace: MemoryTrace, tick: number, kind: number, watcher: number, target: number) =>
  withEvents(trace, tick, (events) => {
    const at = events.findIndex(([k, w, t]) => k === kind && w === watcher && t === target);
    expect(at).toBeGreaterThanOrEqual(0);
    events.splice(at, 1);
  });

const findingsOf = (report: DetectionReport, detector: DetectorName, w: number, t: number) =>
  report.findings.filter((f) => f.detector === detector && f.entities[0] === w && f.entities[1] === t);

const hasEvent = (trace: MemoryTrace, tick: number, kind: number, w: number, t: number) => {
  const { events } = trace.records.find((r) => r.tick === tick)!;
  for (let i = 0; i < events.count; i++)
    if (events.kinds[i] === kind && events.watchers[i] === w && events.targets[i] === t) return true;
  return false;
};

describe('detectors on traces with height (cylinders, as the engine)', () => {
  it('find nothing in a recorded run with floors, vertical moves across the half-heights and the vertical band', () => {
    const { trace, ticks } = floors();
    // The run does what it says: e (5) enters a's (1) view on the way down only within 4, and not at 5 (the band).
    expect(hasEvent(trace, ticks.get('e at 7')!, 1, 1, 5)).toBe(true);
    expect(hasEvent(trace, ticks.get('e back at 4')!, 0, 1, 5)).toBe(true);
    expect(hasEvent(trace, ticks.get('hover 7')!, 1, 1, 5)).toBe(true);
    expect(hasEvent(trace, ticks.get('hover 4')!, 0, 1, 5)).toBe(true);
    expect(heightOnlyPairs(trace)).toBeGreaterThan(100);
    expectClean(trace);
  });

  for (const algorithm of ['grid', 'brute-force'] as const) {
    it(`find nothing in recorded crowds with floors and flyers (${algorithm})`, () => {
      for (const seed of [1, 2, 3]) {
        const trace = recordHeightWorld({ seed, algorithm, entities: 50, ticks: 50 }) as MemoryTrace;
        expect(heightOnlyPairs(trace)).toBeGreaterThan(0);
        expectClean(trace);
      }
    });
  }

  it('report an enter while |dz| is beyond the view half-height: ground truth (extra), adjacency, torn-view', () => {
    const { trace } = floors();
    // 1 and 2 are stacked 10 apart (half-heights 4 / 6): nothing to see, horizontal distance 0.
    const buggy = withEvents(trace, 3, (events) => events.push([0, 1, 2]));
    for (const mode of MODES) {
      const report = detect(buggy, all, undefined, mode);
      expect(findingsOf(report, 'ground-truth', 1, 2).map((f) => f.evidence.finding)).toEqual(['extra']);
      expect(findingsOf(report, 'adjacency', 1, 2).map((f) => f.evidence.kind)).toEqual(['never-left']);
      // 2 (same radii and half-heights) does not see 1: one-sided.
      expect(findingsOf(report, 'torn-view', 1, 2).map((f) => f.evidence.kind)).toEqual(['asymmetric-view']);
    }
  });

  it('report a leave missing after a vertical move: ground truth (missing) and adjacency', () => {
    const { trace, ticks } = floors();
    const tick = ticks.get('e at 7')!;
    const buggy = withoutEvent(trace, tick, 1, 1, 5);
    for (const mode of MODES) {
      const report = detect(buggy, all, undefined, mode);
      const missing = findingsOf(report, 'ground-truth', 1, 5).filter((f) => f.evidence.finding === 'missing');
      expect(missing.map((f) => f.tick)).toEqual([tick]);
      const [adjacency] = findingsOf(report, 'adjacency', 1, 5);
      expect(adjacency).toMatchObject({ tick, evidence: { kind: 'never-left' } });
      // Within the leave radius, out of vertical reach: the message names the edge that was crossed.
      expect(adjacency!.message).toContain('seen beyond leave half-height');
    }
  });

  it('report one side of a symmetric vertical enter dropped as torn-view', () => {
    const { trace, ticks } = floors();
    const tick = ticks.get('e back at 4')!;
    const buggy = withoutEvent(trace, tick, 0, 5, 1);
    for (const mode of MODES) {
      const report = detect(buggy, all, undefined, mode);
      expect(findingsOf(report, 'torn-view', 1, 5)[0]).toMatchObject({ tick, evidence: { kind: 'asymmetric-view' } });
    }
  });

  it('report an enter delivered 3 ticks after the vertical crossing: delayed-broadcast and ground truth (late)', () => {
    const { trace, ticks } = floors();
    const due = ticks.get('e back at 4')!;
    const moved = withoutEvent(trace, due, 0, 1, 5);
    const buggy = withEvents(moved, due + 3, (events) => events.push([0, 1, 5]));
    for (const mode of MODES) {
      const report = detect(buggy, all, undefined, mode);
      expect(findingsOf(report, 'delayed-broadcast', 1, 5)[0]).toMatchObject({ tick: due, evidence: { lagTicks: 3 } });
      expect(findingsOf(report, 'ground-truth', 1, 5)[0]).toMatchObject({ tick: due, evidence: { finding: 'late' } });
    }
  });

  it("resolve a trace's missing height fields as the engine does", () => {
    expect(entityZone({}, { z: 1e300 })).toBe(0);
    // leaveHeight defaults to viewHeight (docs/aoi.md, "Height"), viewHeight to no limit, z to 0.
    expect(entityZone({ viewHeight: 3 }, { z: 3.5 })).toBe(2);
    expect(entityZone({ z: 1, viewHeight: 3, leaveHeight: 5 }, { z: 5 })).toBe(1);
    expect(entityZone({ z: -2, viewHeight: 2 }, {})).toBe(0);
  });

  it('do not call two watchers with the same radii but different half-heights torn', () => {
    const { trace } = floors();
    // d (4, view half-height 12) sees b (2) 10 above it; b (half-height 4) does not see d: legal, not a tear.
    const world = new WorldState();
    for (const record of trace.records) world.apply(record);
    expect(world.views.get(4)?.has(2)).toBe(true);
    expect(world.views.get(2)?.has(4)).not.toBe(true);
    for (const mode of MODES)
      expect(detect(trace, { detectors: ['torn-view'] }, undefined, mode).counts['torn-view']).toBe(0);
  });

  it('agree with the engine, brute force and grid alike, on random runs with height (property)', () => {
    fc.assert(
      fc.property(fc.array(heightOp, { maxLength: 120 }), fc.nat(), (ops, drop) => {
        for (const algorithm of ['brute-force', 'grid'] as const) {
          const { trace } = recordHeightRun(ops, algorithm);
          // Integer x, y: the stored positions are exact, so no ambiguous band is needed (tolerance 0).
          expectClean(trace, 0);
          // Any one enter or exit taken out is found by ground truth, as a finding of that pair.
          const events = trace.records.flatMap((r) =>
            [...r.events.kinds.subarray(0, r.events.count)].map((k, i) => ({
              tick: r.tick,
              k,
              w: r.events.watchers[i]!,
              t: r.events.targets[i]!,
            })),
          );
          const candidates = events.filter((e) => e.k < 2);
          if (candidates.length === 0) continue;
          const victim = candidates[drop % candidates.length]!;
          const buggy = withoutEvent(trace, victim.tick, victim.k, victim.w, victim.t);
          const report = detect(buggy, { detectors: ['ground-truth'], tolerance: 0, ...all });
          expect(findingsOf(report, 'ground-truth', victim.w, victim.t).length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 60 },
    );
  });
});
