import { AoiWorld } from '@lanes/aoi';
import { describe, expect, it } from 'vitest';
import { emptyEvents, emptyMoves, pushEvent, pushMove } from '../model/columns.js';
import { MemoryTrace } from '../model/memory-trace.js';
import type { EventColumns, MoveColumns } from '../model/types.js';
import { recordWorld } from '../record/recorder.js';
import { detect } from './detect.js';

/** Radii of every entity: enter at 10, leave beyond 20, so 10 < d <= 20 is the hysteresis band. */
const RADII = { viewRadius: 10, leaveRadius: 20 };

/** Records `script` on a batched engine, one tick per step. */
function record(steps: ((world: AoiWorld) => void)[]): MemoryTrace {
  const world = new AoiWorld({ mode: 'batched' });
  const trace = new MemoryTrace();
  let time = 1_764_000_000_000;
  const recorder = recordWorld(world, trace, { now: () => (time += 100), quantum: 1 / 64 });
  for (const step of steps) {
    step(world);
    recorder.tick();
  }
  recorder.close();
  return trace;
}

const tornFindings = (trace: MemoryTrace) =>
  detect(trace, { detectors: ['torn-view', 'ground-truth'], maxFindingsPerDetector: 100 });

/** Neither detector has anything to say: the one-sided view was legal. */
function expectSilent(trace: MemoryTrace): void {
  const report = tornFindings(trace);
  expect(report.counts['ground-truth']).toBe(0);
  expect(report.findings.filter((f) => f.detector === 'torn-view')).toEqual([]);
}

/** Appends a tick a buggy engine could have recorded: only these moves and events. */
function appendTick(trace: MemoryTrace, moves: MoveColumns, events: EventColumns): number {
  const last = trace.records.at(-1)!;
  const tick = last.tick + 1;
  trace.writeTick({
    ...last,
    tick,
    time: last.time + 100,
    eventBase: last.eventBase + last.events.count,
    messages: [],
    spawns: [],
    updates: [],
    despawns: [],
    moves,
    events,
  });
  return tick;
}

describe('torn-view and the hysteresis band', () => {
  it('stays silent when a role change inside the band leaves a legal one-sided view', () => {
    const trace = record([
      (w) => {
        w.add(1, { x: 0, y: 0, ...RADII });
        w.add(2, { x: 5, y: 0, ...RADII, watcher: false });
      },
      (w) => w.move(2, 15, 0), // 1 keeps seeing 2 inside the band
      (w) => w.setRoles(2, { watcher: true }), // 2 becomes a watcher at 15 > 10: it does not enter 1
      (w) => w.move(2, 16, 0),
      (w) => w.move(2, 14, 0),
      (w) => w.move(2, 5, 0), // within 10: now 2 enters 1
    ]);
    expectSilent(trace);
  });

  it('stays silent when a radius change inside the band leaves a legal one-sided view', () => {
    const trace = record([
      (w) => {
        w.add(1, { x: 0, y: 0, ...RADII });
        w.add(2, { x: 8, y: 0, viewRadius: 5, leaveRadius: 6 });
      },
      (w) => w.move(2, 15, 0), // 1 keeps 2 (band); 2 never saw 1 (radius 5)
      (w) => w.setRadius(2, RADII.viewRadius, RADII.leaveRadius), // equal radii now; 2 at 15 > 10: no enter
      (w) => w.move(2, 17, 0),
      (w) => w.move(2, 25, 0), // beyond 20: 1 leaves 2, the asymmetry ends
    ]);
    expectSilent(trace);
  });

  it('still reports a one-sided view inside the band that no role or radius change explains', () => {
    const trace = record([
      (w) => {
        w.add(1, { x: 0, y: 0, ...RADII });
        w.add(2, { x: 5, y: 0, ...RADII });
      },
      (w) => w.move(2, 15, 0), // mutual, inside the band
      (w) => w.move(2, 16, 0),
    ]);
    // A buggy engine drops 2's view of 1 inside the band (a spurious exit, nothing changed).
    const events = emptyEvents();
    pushEvent(events, 1, 2, 1);
    const tick = appendTick(trace, emptyMoves(), events);
    const report = tornFindings(trace);
    const torn = report.findings.filter((f) => f.detector === 'torn-view');
    expect(torn.map((f) => [f.tick, ...f.entities])).toEqual([[tick, 1, 2]]);
    expect(report.counts['ground-truth']).toBeGreaterThan(0);
  });

  it('reports a role-change asymmetry once the pair leaves the band without the enter', () => {
    const trace = record([
      (w) => {
        w.add(1, { x: 0, y: 0, ...RADII });
        w.add(2, { x: 5, y: 0, ...RADII, watcher: false });
      },
      (w) => w.move(2, 15, 0),
      (w) => w.setRoles(2, { watcher: true }),
      (w) => w.move(2, 16, 0),
    ]);
    // Then 2 comes within 10 of 1 and the engine forgets 2's enter of 1: 1 sees 2, 2 does not see 1.
    const moves = emptyMoves();
    pushMove(moves, 2, 4, 0, false, -1);
    const tick = appendTick(trace, moves, emptyEvents());
    const torn = tornFindings(trace).findings.filter((f) => f.detector === 'torn-view');
    expect(torn.map((f) => [f.tick, ...f.entities])).toEqual([[tick, 1, 2]]);
  });
});

describe('torn-view: missing leaves on an incremental tick', () => {
  it('reports an enter of a despawned id on a tick that spawns and despawns nothing, in both modes', () => {
    const trace = record([
      (w) => {
        w.add(1, { x: 0, y: 0, ...RADII });
        w.add(2, { x: 5, y: 0, ...RADII });
      },
      (w) => w.move(1, 1, 0),
      (w) => w.remove(2), // a full tick: 1's leave of 2 is recorded
      (w) => w.move(1, 2, 0),
    ]);
    // A buggy engine brings the dead id back into 1's view on a quiet tick (moves and events only): the kinetic
    // schedule's tick, where torn-view tells live ids from its world's slots.
    const moves = emptyMoves();
    pushMove(moves, 1, 3, 0, false, -1);
    const events = emptyEvents();
    pushEvent(events, 0, 1, 2); // enter(1, 2)
    const tick = appendTick(trace, moves, events);
    appendTick(trace, emptyMoves(), emptyEvents());
    for (const mode of ['incremental', 'full'] as const) {
      const report = detect(trace, { detectors: ['torn-view', 'ground-truth'] }, undefined, mode);
      const ghosts = report.findings.filter((f) => f.detector === 'torn-view');
      expect([mode, ghosts.map((f) => [f.tick, ...f.entities, f.evidence.kind])]).toEqual([
        mode,
        [[tick, 1, 2, 'missing-leave']],
      ]);
    }
  });
});
