import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryTrace } from '../model/memory-trace.js';
import type { TickRecord } from '../model/types.js';
import { WorldState } from '../model/world-state.js';
import { TickValidator } from '../ndjson/tick-validator.js';
import { simulate } from '../simulate/simulate.js';
import { entityIds, projectTrace } from './project.js';

const source = (() => {
  const trace = new MemoryTrace();
  simulate(
    {
      scenario: 'random-walk',
      entities: 120,
      ticks: 40,
      inject: { delayedBroadcast: { rate: 0.05 }, oscillation: { rate: 0.05 }, race: { rate: 0.02 } },
    },
    trace,
  );
  return trace;
})();

/** The world restricted to `keep`: live kept entities, and the view pairs between two of them. */
function restricted(state: WorldState, keep: ReadonlySet<number>) {
  const alive = [...state.entities.values()].filter((e) => keep.has(e.id));
  const ids = new Set(alive.map((e) => e.id));
  return {
    entities: alive
      .map(({ id, x, y, viewRadius, leaveRadius, watcher, marker, tags }) => ({
        id,
        x,
        y,
        viewRadius,
        leaveRadius,
        watcher,
        marker,
        tags: [...tags],
      }))
      .sort((a, b) => a.id - b.id),
    views: [...state.views]
      .filter(([w]) => ids.has(w))
      .map(([w, view]) => [w, [...view].filter((t) => ids.has(t)).sort((a, b) => a - b)] as const)
      .filter(([, view]) => view.length > 0)
      .sort((a, b) => a[0] - b[0]),
  };
}

/** Checks every tick of `records` with the NDJSON reader's validator: what a repro file is read with. */
function validate(records: readonly TickRecord[]): void {
  const validator = new TickValidator(source.header);
  records.forEach((record, line) => {
    const error = validator.check(record, line + 2);
    if (error !== undefined) throw error;
    validator.apply(record);
  });
}

describe('projectTrace', () => {
  it('keeps every entity, tick and event when it keeps everything', () => {
    const all = projectTrace(source.records, { entities: new Set(entityIds(source.records)) });
    expect(all.map((r) => r.tick)).toEqual(source.records.map((r) => r.tick));
    const a = new WorldState();
    const b = new WorldState();
    let dropped = 0;
    for (let i = 0; i < all.length; i++) {
      const record = source.records[i]!;
      // The injected delays deliver some events after their target despawned: the NDJSON reader refuses those.
      const known = (id: number) => a.entities.has(id) || record.spawns.some((s) => s.id === id);
      let valid = 0;
      for (let e = 0; e < record.events.count; e++) {
        if (known(record.events.watchers[e]!) && known(record.events.targets[e]!)) valid++;
      }
      dropped += record.events.count - valid;
      a.apply(record);
      b.apply(all[i]!);
      expect(all[i]!.events.count).toBe(valid);
    }
    expect(dropped).toBeLessThan(10);
    validate(all);
    const everyone = new Set(entityIds(source.records));
    expect(restricted(b, everyone)).toEqual(restricted(a, everyone));
  });

  it('after every kept tick, the kept entities are where the source has them, with the same views', () => {
    const ids = entityIds(source.records);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...ids), { minLength: 1, maxLength: 40 }),
        fc.uniqueArray(fc.integer({ min: 0, max: source.records.length - 1 }), { minLength: 1, maxLength: 20 }),
        (entities, ticks) => {
          const keep = new Set(entities);
          const sorted = [...ticks].sort((x, y) => x - y);
          const candidate = projectTrace(source.records, { entities: keep, ticks: sorted });
          validate(candidate);
          expect(candidate.map((r) => r.tick)).toEqual(sorted.map((i) => source.records[i]!.tick));
          const truth = new WorldState();
          const replay = new WorldState();
          let next = 0;
          for (const [i, record] of source.records.entries()) {
            truth.apply(record);
            if (i !== sorted[next]) continue;
            replay.apply(candidate[next++]!);
            expect(restricted(replay, keep)).toEqual(restricted(truth, keep));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('translates and rounds coordinates', () => {
    const [first] = projectTrace(source.records, {
      entities: new Set([0, 1]),
      ticks: [0],
      transform: { offsetX: 100, offsetY: -50, decimals: 0 },
    });
    const spawns = source.records[0]!.spawns.filter((s) => s.id <= 1);
    expect(first!.spawns.map((s) => [s.x, s.y])).toEqual(
      spawns.map((s) => [Math.round(s.x - 100) || 0, Math.round(s.y + 50) || 0]),
    );
  });
});
