import { describe, expect, it } from 'vitest';
import { recordHeightWorld } from '../detect/test-support/height-world.js';
import { diffTraces } from '../diff/diff-traces.js';
import { plain, recordRun, writeBytes } from '../format/test-support/recorded-runs.js';
import { readTraceBytes } from '../format/trace-reader.js';
import { MemoryTrace } from '../model/memory-trace.js';
import type { TickRecord, TraceInput } from '../model/types.js';
import { WorldState } from '../model/world-state.js';
import type { SimulateOptions } from '../simulate/options.js';
import { simulate } from '../simulate/simulate.js';
import { EngineReplay } from './engine-replay.js';
import type { ReplayOverrides } from './settings.js';

const recorded = (options: SimulateOptions) => {
  const trace = new MemoryTrace();
  simulate(options, trace);
  return trace;
};

/** A replay copied into memory (its records are only valid until the next tick). */
const replayed = (input: TraceInput, overrides: ReplayOverrides = {}) => {
  const out = new MemoryTrace();
  new EngineReplay(input, overrides).writeTo(out);
  return out;
};

const eventsOf = (record: TickRecord) => {
  const { kinds, watchers, targets, count } = record.events;
  return Array.from({ length: count }, (_, i) => `${kinds[i]}:${watchers[i]}>${targets[i]}`);
};

const SCENARIOS: SimulateOptions[] = [
  { scenario: 'aoitesting-dense', entities: 800, half: 300, ticks: 25 },
  { scenario: 'aoitesting-sparse', entities: 800, half: 1500, ticks: 25, step: 4 },
  { scenario: 'random-walk', entities: 200, ticks: 120 },
  { scenario: 'border-crowd', entities: 144, ticks: 40 },
  { scenario: 'border-crowd', entities: 144, ticks: 40, viewRadius: 50, leaveRadius: 50 },
  { scenario: 'floors', entities: 150, ticks: 60 },
];

describe('replay with the recorded settings', () => {
  for (const base of SCENARIOS) {
    for (const algorithm of ['grid', 'brute-force'] as const) {
      const options = { ...base, algorithm };
      it(`reproduces ${base.scenario} (${algorithm}, leave ${base.leaveRadius ?? 'default'}) event for event`, () => {
        const original = recorded(options);
        const replay = replayed(original);
        const diff = diffTraces(original, replay, { order: 'sequence' });
        expect(diff.identical, JSON.stringify(diff.divergentTicks.items[0])).toBe(true);
        expect(replay.records.map((r) => [r.tick, r.eventBase])).toEqual(
          original.records.map((r) => [r.tick, r.eventBase]),
        );
        const events = original.records.reduce((sum, r) => sum + r.events.count, 0);
        expect(events).toBeGreaterThan(0);
        // Sequence: same events in the same order, tick by tick, and the same messages and causes.
        for (let i = 0; i < original.records.length; i++) {
          const [a, b] = [original.records[i]!, replay.records[i]!];
          expect(eventsOf(b)).toEqual(eventsOf(a));
          expect(b.messages).toEqual(a.messages);
          expect(b.spawns).toEqual(a.spawns);
          expect(Array.from(b.moves.causes.subarray(0, b.moves.count))).toEqual(
            Array.from(a.moves.causes.subarray(0, a.moves.count)),
          );
        }
      });
    }
  }
});

describe('replay with a changed setting', () => {
  // The brute-force engine run directly on the same movements (the scenarios' movements do not depend on the
  // radii) under the new radii is the model: the replay (grid) must give exactly its events.
  const cases: { base: SimulateOptions; overrides: ReplayOverrides; view: number; leave: number }[] = [
    {
      base: { scenario: 'random-walk', entities: 200, ticks: 120 },
      overrides: { viewRadius: 80 },
      view: 80,
      leave: 80 * (70 / 60),
    },
    {
      base: { scenario: 'random-walk', entities: 200, ticks: 120 },
      overrides: { hysteresis: 0.25 },
      view: 60,
      leave: 75,
    },
    {
      base: { scenario: 'border-crowd', entities: 144, ticks: 40, leaveRadius: 50 },
      overrides: { leaveRadius: 62 },
      view: 50,
      leave: 62,
    },
    {
      base: { scenario: 'aoitesting-dense', entities: 800, half: 300, ticks: 25 },
      overrides: { viewRadius: 40, hysteresis: 0 },
      view: 40,
      leave: 40,
    },
  ];
  for (const { base, overrides, view, leave } of cases) {
    it(`${base.scenario} under ${JSON.stringify(overrides)} gives the brute-force model's events`, () => {
      const original = recorded(base);
      const replay = replayed(original, overrides);
      const model = recorded({ ...base, viewRadius: view, leaveRadius: leave, algorithm: 'brute-force' });
      expect(replay.records.length).toBe(model.records.length);
      let changed = 0;
      for (let i = 0; i < model.records.length; i++) {
        expect(eventsOf(replay.records[i]!), `tick ${i}`).toEqual(eventsOf(model.records[i]!));
        if (eventsOf(replay.records[i]!).join() !== eventsOf(original.records[i]!).join()) changed++;
      }
      // The setting did change something: a test that passes when overrides are ignored proves nothing.
      expect(changed).toBeGreaterThan(0);
    });
  }
});

describe('replay of every kind of change', () => {
  it('reproduces a run with teleports, respawn-free despawns, radius, role and tag changes, record for record', () => {
    const original = recordRun({ ticks: 90, entities: 50 });
    const replay = replayed(original);
    expect(replay.records.map(plain)).toEqual(original.records.map(plain));
  });

  it('reproduces it from the stored file too (positions on a grain the quantum keeps exactly)', () => {
    const original = recordRun({ ticks: 90, entities: 50 });
    const file = readTraceBytes(writeBytes(original, { chunkTicks: 8 }));
    const replay = replayed(file);
    expect(diffTraces(original, replay, { order: 'sequence' }).identical).toBe(true);
  });
});

describe('replay of input it cannot run', () => {
  it('says at which tick ticks were lost (a damaged file): a replay needs them all', () => {
    const original = recordRun({ ticks: 12, entities: 10 });
    const resumed = new WorldState();
    for (const record of original.records.slice(0, 4)) resumed.apply(record);
    const records = original.records.slice(0, 6);
    records[5] = { ...records[5]!, resync: { state: resumed, lostFrom: 4, reason: 'a damaged chunk at byte 123' } };
    expect(() => replayed(new MemoryTrace(original.header, records))).toThrow(
      /tick 5: ticks were lost before it \(a damaged chunk at byte 123\)/,
    );
  });

  it('names the tick of a change the engine refuses', () => {
    const original = recordRun({ ticks: 6, entities: 10 });
    const records = original.records.slice(0, 4);
    records[3] = { ...records[3]!, despawns: [999] };
    expect(() => replayed(new MemoryTrace(original.header, records))).toThrow(
      /tick 3: the engine refused it: remove: no entity with id 999/,
    );
  });
});

describe('replay memory', () => {
  it('streams: each replayed tick is yielded before the next input tick is read', () => {
    const original = recordRun({ ticks: 20, entities: 10 });
    let read = 0;
    const counting: TraceInput = {
      header: original.header,
      *ticks() {
        for (const record of original.records) {
          read++;
          yield record;
        }
      },
    };
    let seen = 0;
    for (const record of new EngineReplay(counting).ticks()) {
      seen++;
      expect(read, `tick ${record.tick}`).toBe(seen);
    }
    expect(seen).toBe(20);
  });
});

describe('replay of a run with height', () => {
  for (const algorithm of ['grid', 'brute-force'] as const) {
    it(`reproduces floors, flyers, vertical moves and half-height changes record for record (${algorithm})`, () => {
      const original = recordHeightWorld({ algorithm, entities: 50, ticks: 60, seed: 2 }) as MemoryTrace;
      const replay = replayed(original);
      expect(replay.records.map(plain)).toEqual(original.records.map(plain));
      // The run has what the replay must carry: vertical moves (updates of z alone) and half-height changes.
      const updates = original.records.flatMap((r) => r.updates);
      expect(updates.filter((u) => Object.keys(u).length === 3 && u.z !== undefined).length).toBeGreaterThan(10);
      expect(updates.filter((u) => u.viewHeight !== undefined).length).toBeGreaterThan(0);
    });
  }
});
