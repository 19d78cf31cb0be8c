// A small world with height (docs/aoi.md, "Height") recorded from the real engine: three floors and a flying unit,
// for the viewer's height tests.
import { AoiWorld } from '@lanes/aoi';
import { MemoryTrace, recordWorld } from '@lanes/aoi-trace';

export interface HeightScenario {
  trace: MemoryTrace;
  /** Positions after each tick, z included. */
  positions: Map<number, { x: number; y: number; z: number }>[];
  /** The floors' z, lowest first; entity id % 3 picks the floor. */
  floors: readonly number[];
  /** The flying unit: climbs from the lowest floor past the highest, one step a tick; no vertical limit on its view. */
  flyer: number;
  /** Half-height of the walkers' view (they see their own floor). */
  viewHeight: number;
  radius: number;
  ids: number[];
}

/**
 * `entities` walkers (ids 0..n-1) spread along x, their y on a slow wave, each on floor `id % 3` with a view
 * cylinder of radius 60 and half-height 8 (leave 70 / 10); id n is the flyer. Every entity is tagged `player`.
 */
export function recordHeightScenario(entities = 12, ticks = 20): HeightScenario {
  const floors = [0, 20, 40];
  const viewHeight = 8;
  const radius = 60;
  const world = new AoiWorld({ mode: 'batched' });
  const trace = new MemoryTrace();
  let clock = 1_700_000_000_000;
  const recorder = recordWorld(world, trace, { tagNames: ['player'], now: () => (clock += 33) });
  const walker = (id: number, t: number) => ({
    x: -220 + id * 40 + t,
    y: Math.round(Math.sin((id + t) * 0.5) * 30 * 8) / 8,
    z: floors[id % floors.length]!,
  });
  const flyer = entities;
  const flying = (t: number) => ({ x: 0, y: 60, z: t * 6 });
  const ids = Array.from({ length: entities + 1 }, (_, i) => i);
  for (let id = 0; id < entities; id++) {
    const p = walker(id, 0);
    world.add(id, {
      ...p,
      viewRadius: radius,
      leaveRadius: radius + 10,
      viewHeight,
      leaveHeight: viewHeight + 2,
      tags: 1,
    });
  }
  world.add(flyer, { ...flying(0), viewRadius: radius, leaveRadius: radius + 10, tags: 1 });
  const positions: HeightScenario['positions'] = [];
  for (let t = 0; t < ticks; t++) {
    if (t > 0) {
      for (let id = 0; id < entities; id++) {
        const p = walker(id, t);
        world.move(id, p.x, p.y);
      }
      const f = flying(t);
      world.move(flyer, f.x, f.y, f.z);
    }
    recorder.tick();
    const at = new Map<number, { x: number; y: number; z: number }>();
    for (const id of ids) {
      const p = world.position(id);
      at.set(id, { x: p.x, y: p.y, z: p.z ?? 0 });
    }
    positions.push(at);
  }
  recorder.close();
  return { trace, positions, floors, flyer, viewHeight, radius, ids };
}
