import { AoiWorld } from '@lanes/aoi';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leaveHeightOf, viewHeightOf, zOf } from '../detect/cylinder.js';
import { groundTruth } from '../detect/detect.js';
import { recordHeightWorld } from '../detect/test-support/height-world.js';
import { MemoryTrace } from '../model/memory-trace.js';
import type { TickRecord } from '../model/types.js';
import { WorldState } from '../model/world-state.js';
import { TickValidator } from '../ndjson/tick-validator.js';
import { recordWorld } from '../record/recorder.js';
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
function restricted(state: WorldState, keep: ReadonlySet<number>, spawnTick = (tick: number) => tick) {
  const alive = [...state.entities.values()].filter((e) => keep.has(e.id));
  const ids = new Set(alive.map((e) => e.id));
  return {
    entities: alive
      .map(({ id, x, y, viewRadius, leaveRadius, watcher, marker, tags, spawnTick: born }) => ({
        id,
        born: spawnTick(born),
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

/** A batched engine run recorded: `script` drives the world and ends ticks; a last tick closes the run. */
function recordRun(script: (world: AoiWorld, tick: () => void) => void): MemoryTrace {
  const world = new AoiWorld({ mode: 'batched' });
  const trace = new MemoryTrace();
  let time = 0;
  const recorder = recordWorld(world, trace, { now: () => time++ });
  script(world, () => recorder.tick());
  recorder.tick();
  recorder.close();
  return trace;
}

/** The projection is valid NDJSON, and after each kept tick the kept part of the world is the source's. */
function checkFold(records: readonly TickRecord[], keep: ReadonlySet<number>, ticks: readonly number[]): void {
  const sorted = [...ticks].sort((x, y) => x - y);
  const candidate = projectTrace(records, { entities: keep, ticks: sorted });
  validate(candidate);
  expect(candidate.map((r) => r.tick)).toEqual(sorted.map((i) => records[i]!.tick));
  const truth = new WorldState();
  const replay = new WorldState();
  let next = 0;
  for (const [i, record] of records.entries()) {
    truth.apply(record);
    if (i !== sorted[next]) continue;
    replay.apply(candidate[next++]!);
    // A spawn (or respawn) in a dropped tick happens at the next kept one.
    const folded = (tick: number) => candidate.find((r) => r.tick >= tick)?.tick ?? tick;
    expect(restricted(replay, keep)).toEqual(restricted(truth, keep, folded));
  }
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
        (entities, ticks) => checkFold(source.records, new Set(entities), ticks),
      ),
      { numRuns: 60 },
    );
  });

  it('keeps z and the half-heights of a trace with height, so ground truth judges the projection as the source', () => {
    const height = recordHeightWorld({ entities: 40, ticks: 40, seed: 3 }) as MemoryTrace;
    const ids = entityIds(height.records);
    const vertical = (state: WorldState, keep: ReadonlySet<number>) =>
      [...state.entities.values()]
        .filter((e) => keep.has(e.id))
        .map((e) => [e.id, zOf(e), viewHeightOf(e), leaveHeightOf(e)])
        .sort((a, b) => a[0]! - b[0]!);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...ids), { minLength: 1, maxLength: 30 }),
        fc.uniqueArray(fc.integer({ min: 0, max: height.records.length - 1 }), { minLength: 1, maxLength: 20 }),
        (entities, ticks) => {
          const keep = new Set(entities);
          const sorted = [...ticks].sort((x, y) => x - y);
          const candidate = projectTrace(height.records, { entities: keep, ticks: sorted });
          validate(candidate);
          const [truth, replay] = [new WorldState(), new WorldState()];
          let next = 0;
          for (const [i, record] of height.records.entries()) {
            truth.apply(record);
            if (i !== sorted[next]) continue;
            replay.apply(candidate[next++]!);
            expect(vertical(replay, keep)).toEqual(vertical(truth, keep));
          }
        },
      ),
      { numRuns: 40 },
    );
    const all = projectTrace(height.records, { entities: new Set(ids) });
    expect(groundTruth(new MemoryTrace(height.header, all)).counts).toMatchObject({ missing: 0, extra: 0, late: 0 });
  });

  it('folds ids that are removed, added again and respawned within dropped ticks', () => {
    const op = fc.oneof(
      fc.record({ op: fc.constant('add' as const), id: fc.nat(5), x: fc.nat(40), y: fc.nat(40), r: fc.nat(12) }),
      fc.record({ op: fc.constant('remove' as const), id: fc.nat(5) }),
      fc.record({ op: fc.constant('move' as const), id: fc.nat(5), x: fc.nat(40), y: fc.nat(40) }),
      fc.record({ op: fc.constant('radius' as const), id: fc.nat(5), r: fc.nat(12) }),
      fc.record({ op: fc.constant('respawn' as const), id: fc.nat(5), r: fc.nat(12) }),
      fc.constant({ op: 'tick' as const }),
    );
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 1, maxLength: 80 }),
        fc.uniqueArray(fc.nat(5), { minLength: 1 }),
        fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
        (ops, entities, keepTick) => {
          const trace = recordRun((world, tick) => {
            for (const o of ops) {
              if (o.op === 'tick') tick();
              else if (o.op === 'add') {
                if (!world.has(o.id)) world.add(o.id, { x: o.x, y: o.y, viewRadius: o.r, leaveRadius: o.r + 2 });
              } else if (!world.has(o.id)) continue;
              else if (o.op === 'remove') world.remove(o.id);
              else if (o.op === 'move') world.move(o.id, o.x, o.y);
              else if (o.op === 'radius') world.setRadius(o.id, o.r, o.r);
              else {
                const { x, y } = world.position(o.id);
                world.remove(o.id);
                world.add(o.id, { x, y, viewRadius: o.r });
              }
            }
          });
          const ticks = trace.records.map((_, i) => i).filter((i) => keepTick[i % keepTick.length]);
          if (ticks.length > 0) checkFold(trace.records, new Set(entities), ticks);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("a respawn folded into a later tick keeps the old entity's leaves, so ground truth stays clean", () => {
    const trace = recordRun((world, tick) => {
      world.add(1, { x: 0, y: 0, viewRadius: 5 });
      world.add(2, { x: 1, y: 0, viewRadius: 5 });
      tick();
      world.remove(1);
      world.add(1, { x: 0, y: 1, viewRadius: 7 });
      tick();
      world.move(2, 2, 0);
    });
    expect(groundTruth(trace, { tolerance: 0 }).counts).toMatchObject({ missing: 0, extra: 0, late: 0 });
    const folded = projectTrace(trace.records, { entities: new Set([1, 2]), ticks: [0, 2] });
    expect(folded[1]!.spawns).toMatchObject([{ id: 1, respawn: true }]);
    const report = groundTruth(new MemoryTrace(trace.header, folded), { tolerance: 0 });
    expect(report.findings).toEqual([]);
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
