import { describe, expect, it } from 'vitest';
import { emptyEvents, emptyMoves, pushEvent, pushMove } from '../model/columns.js';
import { MemoryTrace } from '../model/memory-trace.js';
import type { TraceHeader } from '../model/types.js';
import { WorldState } from '../model/world-state.js';
import { detect } from './detect.js';
import { KineticPairs } from './kinetic-pairs.js';
import { resolveDetectOptions } from './options.js';

/**
 * Issue 15: the incremental and full modes disagreed on aoitesting-dense with delays (15,277 against 15,746
 * delayed-broadcast findings). Shrunk (ddmin over entities with "the two modes disagree" as the predicate) to one
 * pair closing in at less than a schedule bucket's width a tick (radius 100: skin 50, 64 buckets of 0.78) whose
 * enter comes a tick late. The schedule put a pair due within the buckets it had just popped into the next bucket,
 * which pops only once the travel reaches its start: a tick after the pair crossed the view radius here, so the
 * incremental mode saw the crossing in the tick of the (late) enter and called it on time.
 */
const header: TraceHeader = {
  source: 'kinetic-overdue',
  startTime: 0,
  regionSize: 256,
  quantum: 1 / 64,
  epsilon: 0,
  tagNames: [],
  attributes: {},
};
const RADIUS = 100;
/** Both exact in binary, so every position and distance below is exact. */
const START = 102.75;
const STEP = 0.5;

/** Watcher 1 at the origin; marker 2 walks towards it by STEP a tick; the enter comes `delay` ticks late (never: -1). */
function approach(delay: number, due: number, ticks = 14): MemoryTrace {
  const trace = new MemoryTrace(header);
  let eventBase = 0;
  for (let tick = 0; tick <= ticks; tick++) {
    const moves = emptyMoves();
    const events = emptyEvents();
    if (tick > 0) pushMove(moves, 2, START - STEP * tick, 0, false, -1);
    if (delay >= 0 && tick === due + delay) pushEvent(events, 0, 1, 2);
    const spawns =
      tick === 0
        ? [
            {
              id: 1,
              x: 0,
              y: 0,
              viewRadius: RADIUS,
              leaveRadius: RADIUS,
              watcher: true,
              marker: true,
              tags: [],
              cause: -1,
            },
            { id: 2, x: START, y: 0, viewRadius: 0, leaveRadius: 0, watcher: false, marker: true, tags: [], cause: -1 },
          ]
        : [];
    trace.writeTick({
      tick,
      time: tick * 100,
      eventBase,
      messages: [],
      spawns,
      updates: [],
      moves,
      despawns: [],
      events,
    });
    eventBase += events.count;
  }
  return trace;
}

/** The definition, by brute force: the first tick at which the distance is within the view radius less tolerance. */
function crossingTick(tolerance: number): number {
  let tick = 0;
  while (START - STEP * tick > RADIUS - tolerance) tick++;
  return tick;
}

const tolerance = resolveDetectOptions({}, header).tolerance;
const due = crossingTick(tolerance);

describe('the kinetic schedule on a pair closing in slower than a bucket a tick (issue 15)', () => {
  it('hands the pair over in the tick it crosses the view radius', () => {
    const trace = approach(-1, due);
    const kinetic = new KineticPairs(tolerance);
    const world = new WorldState();
    const handed: number[] = [];
    for (const record of trace.records) {
      world.apply(record);
      const changes = kinetic.update(world, record);
      expect(changes.full).toBe(record.tick === 0);
      for (let i = 0; i < changes.count; i++)
        if (changes.watchers[i] === 1 && changes.targets[i] === 2) handed.push(record.tick);
    }
    expect(due).toBeGreaterThan(2);
    expect(handed).toContain(due);
  });

  for (const mode of ['incremental', 'full'] as const) {
    it(`${mode}: an enter one tick late is a delayed broadcast and a late event, due at the crossing`, () => {
      const report = detect(approach(1, due), { detectors: ['delayed-broadcast', 'ground-truth'] }, undefined, mode);
      const delayed = report.findings.filter((f) => f.detector === 'delayed-broadcast');
      expect(delayed.map((f) => f.evidence)).toMatchObject([{ event: 'enter', dueTick: due, lagTicks: 1 }]);
      expect(report.groundTruth).toMatchObject({ late: 1, onTime: 0, missing: 0, extra: 0 });
    });

    it(`${mode}: an enter that never comes is missing from the crossing on`, () => {
      const report = detect(approach(-1, due), { detectors: ['ground-truth', 'adjacency'] }, undefined, mode);
      const missing = report.findings.filter((f) => f.detector === 'ground-truth');
      expect(missing.map((f) => f.evidence)).toMatchObject([{ finding: 'missing', event: 'enter', dueTick: due }]);
      const adjacency = report.findings.filter((f) => f.detector === 'adjacency');
      expect(adjacency.map((f) => f.evidence)).toMatchObject([{ kind: 'never-entered', since: due }]);
    });
  }
});
