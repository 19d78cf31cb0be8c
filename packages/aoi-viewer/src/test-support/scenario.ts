// A small, fully known scenario recorded from the real engine, for the viewer's tests.
import { AoiWorld } from '@lanes/aoi';
import { MemoryTrace, recordWorld } from '@lanes/aoi-trace';

export interface RecordedScenario {
  trace: MemoryTrace;
  /** The engine's own answer: `views[tick].get(id)` = world.viewOf(id) after that tick. */
  views: Map<number, readonly number[]>[];
  /** Positions after each tick. */
  positions: Map<number, { x: number; y: number }>[];
  ids: number[];
}

export interface ScenarioOptions {
  entities?: number;
  ticks?: number;
  /** View radius of every entity; entity 0 gets `firstRadius` (a second trace that differs in one place). */
  radius?: number;
  firstRadius?: number;
}

/**
 * `entities` entities on a ring, walking around it at different speeds; ids 0..n-1, even ids tagged `player`,
 * odd ids `npc`. Entity 1 is removed at tick 40 and comes back as a new spawn at tick 45.
 */
export function recordScenario(options: ScenarioOptions = {}): RecordedScenario {
  const n = options.entities ?? 40;
  const ticks = options.ticks ?? 60;
  const radius = options.radius ?? 60;
  const world = new AoiWorld({ mode: 'batched' });
  const trace = new MemoryTrace();
  let clock = 1_700_000_000_000;
  const recorder = recordWorld(world, trace, { tagNames: ['player', 'npc'], now: () => (clock += 33) });
  const place = (id: number, t: number) => {
    const angle = (id / n) * Math.PI * 2 + t * 0.01 * (1 + (id % 5));
    const ring = 200 + (id % 3) * 40;
    return { x: Math.round(Math.cos(angle) * ring * 8) / 8, y: Math.round(Math.sin(angle) * ring * 8) / 8 };
  };
  const add = (id: number, t: number) => {
    const p = place(id, t);
    const r = id === 0 ? (options.firstRadius ?? radius) : radius;
    world.add(id, { x: p.x, y: p.y, viewRadius: r, leaveRadius: r + 10, tags: id % 2 === 0 ? 1 : 2 });
  };
  const views: Map<number, readonly number[]>[] = [];
  const positions: Map<number, { x: number; y: number }>[] = [];
  const ids = Array.from({ length: n }, (_, i) => i);
  for (const id of ids) add(id, 0);
  for (let t = 0; t < ticks; t++) {
    if (t > 0) {
      for (const id of ids) if (world.has(id)) world.move(id, place(id, t).x, place(id, t).y);
      if (t === 40) world.remove(1);
      if (t === 45) add(1, t);
    }
    recorder.tick();
    const view = new Map<number, readonly number[]>();
    const position = new Map<number, { x: number; y: number }>();
    for (const id of ids) {
      if (!world.has(id)) continue;
      view.set(id, world.viewOf(id));
      position.set(id, world.position(id));
    }
    views.push(view);
    positions.push(position);
  }
  recorder.close();
  return { trace, views, positions, ids };
}
