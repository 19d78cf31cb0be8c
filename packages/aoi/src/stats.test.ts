import { afterEach, describe, expect, it, vi } from 'vitest';
import { AoiError } from './errors.js';
import { countCells } from './occupancy.js';
import { AoiWorld } from './world.js';

/** Cells of edge 10: three entities in (0,0), one in (1,0), one in (-1,-1). Counts 3, 1, 1. */
const PLACED = [
  [1, 1],
  [2, 9.5],
  [9.99, 0],
  [15, 5],
  [-5, -0.5],
] as const;
// mean 5/3; deviations 4/3, -2/3, -2/3; variance (16/9 + 4/9 + 4/9) / 3 = 8/9.
const STD_DEV = Math.sqrt(8 / 9);

function placedWorld(options: ConstructorParameters<typeof AoiWorld>[0] = {}): AoiWorld {
  const world = new AoiWorld({ mode: 'batched', cellSize: 10, ...options });
  for (const [i, [x, y]] of PLACED.entries()) world.add(i + 1, { x, y, viewRadius: 2 });
  world.tick();
  return world;
}

describe('countCells', () => {
  it('counts a known placement per cell, rows ascending, with mean, max and population std dev', () => {
    const xs = PLACED.map((p) => p[0]);
    const ys = PLACED.map((p) => p[1]);
    const cells = countCells(10, xs.length, xs, ys);
    expect([...cells.gx]).toEqual([-1, 0, 1]);
    expect([...cells.gy]).toEqual([-1, 0, 0]);
    expect([...cells.counts]).toEqual([1, 3, 1]);
    expect(cells).toMatchObject({ cellSize: 10, entities: 5, cells: 3, max: 3 });
    expect(cells.mean).toBeCloseTo(5 / 3, 12);
    expect(cells.stdDev).toBeCloseTo(STD_DEV, 12);
  });

  it('skips dead slots, and counts cells too far apart for one numeric key', () => {
    const cells = countCells(1, 4, [0, 1e300, 5, 0.5], [0, -1e300, 5, 0.25], [1, 1, 0, 1]);
    expect([...cells.counts]).toEqual([1, 2]);
    expect([...cells.gy]).toEqual([-1e300, 0]);
    expect(cells).toMatchObject({ entities: 3, cells: 2, max: 2, mean: 1.5, stdDev: 0.5 });
  });

  it('is all zeros without entities and refuses a cell size that is not positive', () => {
    expect(countCells(5, 0, [], [])).toMatchObject({ entities: 0, cells: 0, max: 0, mean: 0, stdDev: 0 });
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => countCells(bad, 0, [], [])).toThrow(AoiError);
    }
  });
});

describe('AoiWorld.stats', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reports the occupancy of the current positions in the grid cells, after moves and removals', () => {
    const world = placedWorld();
    expect(world.cellSize).toBe(10);
    const before = world.stats().occupancy!;
    expect(before).toMatchObject({ cellSize: 10, entities: 5, cells: 3, max: 3 });
    expect(before.stdDev).toBeCloseTo(STD_DEV, 12);
    world.move(4, 5, 5); // into (0,0): 4 and 1
    world.remove(5); // (−1,−1) empties
    world.tick();
    expect(world.stats().occupancy).toEqual({ cellSize: 10, entities: 4, cells: 1, max: 4, mean: 4, stdDev: 0 });
    expect(world.stats({ cellSize: 5 }).occupancy).toMatchObject({ cells: 4, max: 1 });
  });

  it('brute force has no cells: occupancy only with a cell size', () => {
    const world = new AoiWorld({ algorithm: 'brute-force' });
    world.add(1, { x: 3, y: 3 });
    expect(world.stats().occupancy).toBeNull();
    expect(world.stats({ cellSize: 1 }).occupancy).toMatchObject({ cells: 1, entities: 1 });
    expect(() => world.stats({ cellSize: 0 })).toThrow(/cellSize/);
  });

  it('counts the changes waiting for the next tick as the backlog', () => {
    const world = placedWorld();
    expect(world.stats().pendingChanges).toBe(0);
    world.move(1, 2, 2);
    world.move(1, 3, 3); // the same entity twice: one change
    world.move(2, 4, 4);
    world.add(9, { x: 0, y: 0 });
    expect(world.stats().pendingChanges).toBe(3);
    world.tick();
    expect(world.stats().pendingChanges).toBe(0);
  });

  it('has no latency without metrics, and with it times each update without the listeners', () => {
    expect(placedWorld().stats().latency).toBeNull();
    // A clock that advances 1 ms per read, and 1000 ms during each listener call: the engine's own share is 1 ms.
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => ++clock);
    let world: AoiWorld | undefined;
    const listener = {
      enter: (watcher: number, target: number) => {
        clock += 1000;
        // A follow-up change from the listener: computed in the same tick, timed as part of it.
        if (watcher === 1 && target === 2) world!.move(3, 100, 100);
      },
    };
    world = new AoiWorld({ mode: 'batched', metrics: true, listener });
    world.add(1, { x: 0, y: 0, viewRadius: 5 });
    world.add(2, { x: 1, y: 0, viewRadius: 5 });
    world.add(3, { x: 50, y: 0 });
    world.tick();
    expect(world.stats().latency).toEqual({
      count: 1,
      totalSeconds: 0.002,
      meanSeconds: 0.002,
      maxSeconds: 0.002,
      lastSeconds: 0.002,
    });
    world.tick();
    const latency = world.stats().latency!;
    expect(latency.count).toBe(2);
    expect(latency.lastSeconds).toBe(0.001);
    expect(latency.totalSeconds).toBeCloseTo(0.003, 12);
    expect(latency.meanSeconds).toBeCloseTo(0.0015, 12);
    expect(latency.maxSeconds).toBe(0.002);
  });
});
