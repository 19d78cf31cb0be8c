// Engine runs for the incremental predictor's tests: many entities drifting a little every tick (so pairs cross
// radii slowly, the case the kinetic schedule skips work on), with spawns, despawns, respawns, teleports, radius,
// role and height changes, move events on or off, and the recorded events optionally mutated (dropped, extra,
// delayed), so the view sets the predictor reads also hold what a buggy server leaves in them.

import { AoiWorld } from '@lanes/aoi';
import fc from 'fast-check';
import { MemoryTrace } from '../../model/memory-trace.js';
import type { EventColumns, TickRecord } from '../../model/types.js';
import { recordWorld } from '../../record/recorder.js';
import { mulberry32 } from '../../simulate/mulberry32.js';

export interface DriftRun {
  seed: number;
  entities: number;
  ticks: number;
  /** Largest step per axis and tick, in world units. */
  step: number;
  moveEvents: boolean;
  /** Per tick: chance of a spawn, a despawn, a respawn, a teleport, a radius, role or height change. */
  churn: number;
  /** Per tick: chance that one of the tick's events is dropped, delayed by a tick, or an extra one is added. */
  mutate: number;
}

export const driftRun: fc.Arbitrary<DriftRun> = fc.record({
  seed: fc.nat(),
  entities: fc.integer({ min: 2, max: 40 }),
  ticks: fc.integer({ min: 2, max: 40 }),
  step: fc.constantFrom(0.25, 1, 3),
  moveEvents: fc.boolean(),
  churn: fc.constantFrom(0, 0.2, 0.6),
  mutate: fc.constantFrom(0, 0.3),
});

/** Records the run on a batched engine (positions on a 1/4 grid, so the quantized ones are exact). */
export function recordDrift(run: DriftRun): MemoryTrace {
  const rnd = mulberry32(run.seed);
  const snap = (v: number) => Math.round(v * 4) / 4;
  const world = new AoiWorld({ mode: 'batched', moveEvents: run.moveEvents });
  const trace = new MemoryTrace();
  let time = 0;
  const recorder = recordWorld(world, trace, { now: () => (time += 10) });
  // A counted span per tick (not the recorder's random one), so that a run records the same bytes every time.
  let ticks = 0;
  const tick = () =>
    recorder.tick({
      span: { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: (++ticks).toString(16).padStart(16, '0') },
    });
  const size = 8 * Math.sqrt(run.entities) + 10;
  const radius = () => snap(2 + rnd() * 10);
  let nextId = 0;
  const live = new Set<number>();
  const spawn = (id = nextId++) => {
    const view = radius();
    live.add(id);
    world.add(id, {
      x: snap(rnd() * size),
      y: snap(rnd() * size),
      viewRadius: view,
      leaveRadius: rnd() < 0.3 ? view : view + snap(rnd() * 3),
      watcher: rnd() < 0.9,
      marker: rnd() < 0.9,
    });
  };
  for (let i = 0; i < run.entities; i++) spawn();
  tick();
  const chance = (p: number) => rnd() < p;
  for (let t = 1; t < run.ticks; t++) {
    const ids = [...live];
    for (const id of ids) {
      const { x, y } = world.position(id);
      const z = chance(run.churn / 4) ? snap(rnd() * 6) : undefined;
      world.move(id, snap(x + (rnd() - 0.5) * 2 * run.step), snap(y + (rnd() - 0.5) * 2 * run.step), z);
    }
    const pick = () => ids[Math.floor(rnd() * ids.length)];
    if (chance(run.churn)) spawn();
    const gone = pick();
    if (chance(run.churn) && gone !== undefined && world.has(gone)) {
      world.remove(gone);
      live.delete(gone);
    }
    const again = pick();
    if (chance(run.churn) && again !== undefined && world.has(again)) {
      const { x, y } = world.position(again);
      world.remove(again);
      world.add(again, { x: snap(x + 1), y, viewRadius: radius() });
    }
    const jump = pick();
    if (chance(run.churn) && jump !== undefined && world.has(jump)) world.teleport(jump, snap(rnd() * size), 0);
    const other = pick();
    if (chance(run.churn / 2) && other !== undefined && world.has(other)) {
      const kind = Math.floor(rnd() * 3);
      const view = radius();
      if (kind === 0) world.setRadius(other, view, view + 1);
      else if (kind === 1) world.setRoles(other, { watcher: chance(0.5), marker: chance(0.5) });
      else if (chance(0.5)) world.setHeight(other, 2, 3);
      else world.setHeight(other, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
    }
    tick();
  }
  recorder.close();
  if (run.mutate === 0) return trace;
  return new MemoryTrace(trace.header, mutateEvents(trace.records, run.mutate, rnd));
}

/** Drops, delays and adds events at random (event bases follow the new counts). */
function mutateEvents(records: readonly TickRecord[], p: number, rnd: () => number): TickRecord[] {
  const lists = records.map((r) => {
    const list: [number, number, number][] = [];
    for (let i = 0; i < r.events.count; i++)
      list.push([r.events.kinds[i]!, r.events.watchers[i]!, r.events.targets[i]!]);
    return list;
  });
  lists.forEach((list, i) => {
    if (rnd() < p && list.length > 0) list.splice(Math.floor(rnd() * list.length), 1);
    if (rnd() < p && list.length > 0 && i + 1 < lists.length) {
      const [event] = list.splice(Math.floor(rnd() * list.length), 1);
      lists[i + 1]!.push(event!);
    }
    if (rnd() < p) list.push([Math.floor(rnd() * 2), Math.floor(rnd() * 12), Math.floor(rnd() * 12)]);
  });
  return withEventLists(records, lists);
}

/** The records with each tick's events replaced by its list of [kind, watcher, target], event bases renumbered. */
export function withEventLists(
  records: readonly TickRecord[],
  lists: readonly (readonly [number, number, number])[][],
): TickRecord[] {
  let base = 0;
  return records.map((record, i) => {
    const list = lists[i]!;
    const events: EventColumns = {
      count: list.length,
      kinds: Uint8Array.from(list.map((e) => e[0])),
      watchers: Int32Array.from(list.map((e) => e[1])),
      targets: Int32Array.from(list.map((e) => e[2])),
    };
    const next = { ...record, eventBase: base, events };
    base += list.length;
    return next;
  });
}
