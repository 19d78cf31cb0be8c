// A dense world recorded from the real engine: many entities, few ticks (the heat layer, "all AOI", screenshots).
import { AoiWorld } from '@lanes/aoi';
import { MemoryTrace, recordWorld } from '@lanes/aoi-trace';

export interface DenseScenario {
  trace: MemoryTrace;
  /** Positions after the last tick. */
  positions: Map<number, { x: number; y: number }>;
  watchers: number;
  regionSize: number;
  /** The engine's grid cell, recorded in the header (attribute `aoi.cellSize`): the heat layer's cell. */
  engineCellSize: number;
}

/**
 * `entities` entities in a square of side `side` crowded around a few hot spots (so a heat layer has something to
 * show), recorded for `ticks` ticks; a fifth of them are passive (not watchers).
 */
export function recordDense(entities = 10_000, ticks = 3, side = 2000): DenseScenario {
  // A cell edge unlike regionSize, so a test can tell which one the heat layer counts with.
  const engineCellSize = 48;
  const world = new AoiWorld({ mode: 'batched', cellSize: engineCellSize });
  const trace = new MemoryTrace();
  const regionSize = 64;
  const recorder = recordWorld(world, trace, { tagNames: ['player', 'npc'], regionSize, now: () => 1_700_000_000_000 });
  let seed = 12345;
  const random = () => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return seed / 2 ** 32;
  };
  const spots = [
    [0.3, 0.3],
    [0.7, 0.6],
    [0.45, 0.8],
  ];
  const place = () => {
    if (random() < 0.4) return { x: random() * side, y: random() * side };
    const [sx, sy] = spots[Math.floor(random() * spots.length)]!;
    const r = random() * side * 0.12;
    const a = random() * Math.PI * 2;
    return { x: sx! * side + Math.cos(a) * r, y: sy! * side + Math.sin(a) * r };
  };
  let watchers = 0;
  for (let id = 0; id < entities; id++) {
    const p = place();
    const watcher = id % 5 !== 0;
    if (watcher) watchers++;
    world.add(id, {
      x: Math.round(p.x * 8) / 8,
      y: Math.round(p.y * 8) / 8,
      viewRadius: 12,
      leaveRadius: 14,
      watcher,
      tags: id % 10 === 0 ? 1 : 2,
    });
  }
  for (let t = 0; t < ticks; t++) {
    if (t > 0) for (let id = 0; id < entities; id++) world.move(id, world.position(id).x + 1, world.position(id).y);
    recorder.tick();
  }
  recorder.close();
  const positions = new Map<number, { x: number; y: number }>();
  for (let id = 0; id < entities; id++) positions.set(id, world.position(id));
  return { trace, positions, watchers, regionSize, engineCellSize };
}
