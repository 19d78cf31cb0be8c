import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventColumns, TickRecord } from '../model/types.js';
import { EventPredictor } from './event-predictor.js';
import { type DriftRun, driftRun, recordDrift } from './test-support/kinetic-runs.js';

// The incremental predictor (kinetic schedule, incremental-pass.ts) against the full pass it replaces, tick by tick
// on the same ticks: the same predicted events, and the same charges in the same order (the reader's limits and
// the writer's chunking follow them).

type Call = [what: 'events' | 'work', count: number];

function predictTick(predictor: EventPredictor, record: TickRecord, calls: Call[]): string[] {
  predictor.begin(record.spawns, record.updates, record.moves, record.despawns);
  let moveEvents = false;
  for (let i = 0; i < record.events.count; i++) if (record.events.kinds[i] === 2) moveEvents = true;
  const predicted: EventColumns = predictor.predict(
    moveEvents,
    (count) => calls.push(['events', count]),
    (count) => calls.push(['work', count]),
  );
  const list: string[] = [];
  for (let i = 0; i < predicted.count; i++)
    list.push(`${predicted.kinds[i]} ${predicted.watchers[i]} ${predicted.targets[i]}`);
  predictor.finish(record.events, record.despawns);
  return list;
}

/** Runs both predictors over the run's ticks; reloads both from the same state every `reloadEvery` ticks. */
function compare(run: DriftRun, reloadEvery: number): void {
  const trace = recordDrift(run);
  const full = new EventPredictor({ incremental: false });
  const incremental = new EventPredictor();
  trace.records.forEach((record, i) => {
    const fullCalls: Call[] = [];
    const incrementalCalls: Call[] = [];
    const expected = predictTick(full, record, fullCalls);
    const actual = predictTick(incremental, record, incrementalCalls);
    expect({ tick: record.tick, events: actual }).toEqual({ tick: record.tick, events: expected });
    expect({ tick: record.tick, calls: incrementalCalls.filter(([, n]) => n > 0) }).toEqual({
      tick: record.tick,
      calls: fullCalls.filter(([, n]) => n > 0),
    });
    if (reloadEvery > 0 && i % reloadEvery === reloadEvery - 1) reloadBoth(full, incremental);
  });
}

/** Positions both predictors on the full one's world (a keyframe), as a reader does. */
function reloadBoth(full: EventPredictor, incremental: EventPredictor): void {
  const state = full.snapshot();
  full.load(state.entities, state.views);
  incremental.load(state.entities, state.views);
}

describe('the incremental predictor', () => {
  it('predicts every tick exactly as the full pass, with the same charges', () => {
    fc.assert(
      fc.property(driftRun, fc.constantFrom(0, 5), (run, reloadEvery) => compare(run, reloadEvery)),
      { numRuns: 150 },
    );
  });

  it('stays exact over long slow runs (many schedule rebuilds, pairs crossing radii by small steps)', () => {
    for (const seed of [1, 2, 3]) {
      compare({ seed, entities: 120, ticks: 160, step: 0.25, moveEvents: false, churn: 0.3, mutate: 0.1 }, 0);
    }
  });
});
