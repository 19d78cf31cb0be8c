import { describe, expect, it } from 'vitest';
import { copyEvents, copyMoves } from '../model/columns.js';
import { MemoryTrace } from '../model/memory-trace.js';
import type { TickRecord } from '../model/types.js';
import { type SimulateOptions, simulate } from '../simulate/index.js';
import { detect } from './detect.js';
import { IdMarks } from './id-marks.js';

/** Ids this far up are past the marked range, so the detectors take the reference path (the view Sets themselves). */
const SHIFT = 2 ** 30;

/** The same trace with every entity id shifted by SHIFT. */
function shifted(trace: MemoryTrace): MemoryTrace {
  const out = new MemoryTrace(trace.header);
  for (const r of trace.records) {
    const moves = copyMoves(r.moves);
    const events = copyEvents(r.events);
    for (let i = 0; i < moves.count; i++) moves.ids[i]! += SHIFT;
    for (let i = 0; i < events.count; i++) {
      events.watchers[i]! += SHIFT;
      events.targets[i]! += SHIFT;
    }
    const record: TickRecord = {
      ...r,
      spawns: r.spawns.map((s) => ({ ...s, id: s.id + SHIFT })),
      updates: r.updates.map((u) => ({ ...u, id: u.id + SHIFT })),
      despawns: r.despawns.map((id) => id + SHIFT),
      moves,
      events,
    };
    out.writeTick(record);
  }
  return out;
}

const outline = (report: ReturnType<typeof detect>, shift: number) => ({
  counts: report.counts,
  groundTruth: report.groundTruth,
  findings: report.findings.map((f) => ({
    detector: f.detector,
    tick: f.tick,
    entities: f.entities.map((id) => id - shift),
    kind: f.evidence.kind ?? f.evidence.finding ?? f.evidence.scope ?? f.evidence.event,
  })),
});

describe('IdMarks in the detectors', () => {
  it('answers like the set it marks, below and above the marked range', () => {
    const marks = new IdMarks();
    const set = new Set([0, 5, 4096, SHIFT + 1]);
    marks.mark(set);
    for (const id of [0, 1, 5, 4096, 4097, SHIFT, SHIFT + 1]) expect(marks.has(id)).toBe(set.has(id));
    marks.mark(new Set([1]));
    expect([marks.has(0), marks.has(1), marks.has(SHIFT + 1)]).toEqual([false, true, false]);
    marks.mark(undefined);
    expect(marks.has(1)).toBe(false);
  });

  // The detectors with marks (small ids) against the same detectors on the reference path (shifted ids, where the
  // membership test is the view Set itself), on simulated runs with every kind of injected bug: same findings.
  for (const options of [
    {
      scenario: 'random-walk',
      inject: {
        tornView: { rate: 0.05 },
        delayedBroadcast: { rate: 0.02, ticks: 3 },
        race: { rate: 0.02 },
        oscillation: { rate: 0.02, flips: 6 },
      },
    },
    { scenario: 'border-crowd', leaveRadius: 50 },
    { scenario: 'aoitesting-dense', entities: 1500, ticks: 20, inject: { race: { rate: 0.01 } } },
  ] as SimulateOptions[]) {
    it(`finds the same as the reference path in ${options.scenario}`, () => {
      const trace = new MemoryTrace();
      simulate(options, trace);
      const settings = { maxFindingsPerDetector: 1e6 };
      const fast = outline(detect(trace, settings), 0);
      const reference = outline(detect(shifted(trace), settings), SHIFT);
      expect(Object.values(fast.counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      expect(fast).toEqual(reference);
    });
  }
});
