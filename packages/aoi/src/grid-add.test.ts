import { describe, expect, it } from 'vitest';
import type { GridAlgorithm } from './grid.js';
import { EventLog } from './test-support/event-log.js';
import type { WorldOptions } from './types.js';
import { AoiWorld } from './world.js';

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The grid behind a world (internal: only its rebuild counter is read). */
const gridOf = (world: AoiWorld): GridAlgorithm => (world as unknown as { impl: GridAlgorithm }).impl;

/** Runs the same calls on the grid and the brute-force oracle; returns both logs and the grid world. */
function twin(options: WorldOptions) {
  const gridLog = new EventLog();
  const bruteLog = new EventLog();
  const grid = new AoiWorld({ ...options, algorithm: 'grid', listener: gridLog });
  const brute = new AoiWorld({ ...options, algorithm: 'brute-force', listener: bruteLog });
  const both = (fn: (world: AoiWorld) => void) => {
    fn(grid);
    fn(brute);
  };
  return { grid, brute, gridLog, bruteLog, both };
}

// docs/aoi.md used to list "an add forces a full rebuild on the next update" as a limit: in immediate mode with
// many adds per second that is O(n + pairs) per add. An add now inserts the entity's pairs from the last build's
// cells; these tests count rebuilds and compare every event with the brute-force oracle.
describe('grid: adds insert into the neighbour list', () => {
  it('immediate mode: 300 adds after the first cost one rebuild, with the oracle events', () => {
    const { grid, gridLog, bruteLog, both } = twin({});
    const rnd = random(7);
    for (let id = 0; id < 300; id++) {
      const x = rnd() * 400 - 200;
      const y = rnd() * 400 - 200;
      // The first is the widest, so no later add reaches beyond the cells of the first build.
      const viewRadius = id === 0 ? 30 : 10 + rnd() * 20;
      both((w) => w.add(id, { x, y, viewRadius, leaveRadius: viewRadius + 3 }));
    }
    expect(gridOf(grid).rebuilds).toBe(1);
    expect(gridLog.events.length).toBeGreaterThan(100);
    expect(gridLog.take()).toEqual(bruteLog.take());
    // Small moves stay within the skin: still no rebuild, and the inserted pairs are re-checked like built ones.
    for (let id = 0; id < 300; id += 3) both((w) => w.move(id, w.position(id).x + 1.5, w.position(id).y - 1));
    expect(gridOf(grid).rebuilds).toBe(1);
    expect(gridLog.take()).toEqual(bruteLog.take());
    expect(gridLog.errors).toEqual([]);
  });

  it.each<[string, WorldOptions]>([
    ['immediate', {}],
    ['batched', { mode: 'batched' }],
    ['immediate, cells smaller than the radius (hashed scan)', { cellSize: 7 }],
    ['batched, large skin', { mode: 'batched', skin: 40 }],
  ])('%s: adds, removes (slot reuse), roles, far adds and moves keep the oracle events', (_, options) => {
    const { grid, brute, gridLog, bruteLog, both } = twin(options);
    const rnd = random(11);
    let next = 0;
    const alive: number[] = [];
    const add = (x: number, y: number, r: number) => {
      const id = next++;
      const roles = rnd();
      both((w) => w.add(id, { x, y, viewRadius: r, leaveRadius: r * 1.2, watcher: roles > 0.1, marker: roles < 0.9 }));
      alive.push(id);
    };
    for (let i = 0; i < 80; i++) add(rnd() * 200, rnd() * 200, 5 + rnd() * 15);
    both((w) => w.tick());
    const built = gridOf(grid).rebuilds;
    for (let round = 0; round < 40; round++) {
      for (let k = 0; k < 3; k++) add(rnd() * 200, rnd() * 200, 5 + rnd() * 15);
      // Far outside the area of the last build, and a removal whose slot the next add reuses.
      if (round % 7 === 0) add(5000 + rnd() * 30, -3000, 10);
      const gone = alive.splice(Math.floor(rnd() * alive.length), 1)[0]!;
      both((w) => w.remove(gone));
      both((w) => w.tick());
      add(rnd() * 200, rnd() * 200, 5 + rnd() * 15);
      const mover = alive[Math.floor(rnd() * alive.length)]!;
      const dx = rnd() - 0.5;
      both((w) => w.move(mover, w.position(mover).x + dx, w.position(mover).y));
      both((w) => w.tick());
      expect(gridLog.take()).toEqual(bruteLog.take());
    }
    expect(gridOf(grid).rebuilds - built).toBeLessThan(10);
    for (const id of alive) expect(grid.viewOf(id)).toEqual(brute.viewOf(id));
    expect(gridLog.errors).toEqual([]);
  });

  it('batched: adds in a tick where everyone moves a little (the full pass walks built and late pairs)', () => {
    const { grid, brute, gridLog, bruteLog, both } = twin({ mode: 'batched', skin: 20 });
    const rnd = random(5);
    const at = () => [rnd() * 150, rnd() * 150] as const;
    for (let id = 0; id < 100; id++) {
      const [x, y] = at();
      both((w) => w.add(id, { x, y, viewRadius: 12, leaveRadius: 14 }));
    }
    both((w) => w.tick());
    const built = gridOf(grid).rebuilds;
    for (let round = 0; round < 4; round++) {
      for (let k = 0; k < 10; k++) {
        const id = 100 + round * 10 + k;
        const [x, y] = at();
        const viewRadius = 8 + rnd() * 4;
        both((w) => w.add(id, { x, y, viewRadius, leaveRadius: 14 }));
      }
      const steps = Array.from({ length: 100 + round * 10 }, () => [rnd() - 0.5, rnd() - 0.5] as const);
      both((w) => {
        for (const [id, [dx, dy]] of steps.entries()) w.move(id, w.position(id).x + dx, w.position(id).y + dy);
      });
      both((w) => w.tick());
      expect(gridLog.take()).toEqual(bruteLog.take());
    }
    expect(gridOf(grid).rebuilds).toBe(built);
    for (let id = 0; id < 140; id++) expect(grid.viewOf(id)).toEqual(brute.viewOf(id));
  });

  it('rebuilds when an added entity reaches farther than the cells of the last build', () => {
    const { grid, gridLog, bruteLog, both } = twin({});
    for (let i = 0; i < 20; i++) both((w) => w.add(i, { x: i * 3, y: 0, viewRadius: 4 }));
    const built = gridOf(grid).rebuilds;
    both((w) => w.add(100, { x: 30, y: 0, viewRadius: 1000, marker: false }));
    expect(gridOf(grid).rebuilds).toBe(built + 1);
    expect(grid.viewOf(100)).toHaveLength(20);
    expect(gridLog.take()).toEqual(bruteLog.take());
  });
});
