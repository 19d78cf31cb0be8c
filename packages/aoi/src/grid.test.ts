import { describe, expect, it } from 'vitest';
import { EventLog } from './test-support/event-log.js';
import { AoiWorld } from './world.js';

// The grid keeps a neighbour list with a skin; these cases sit exactly on its edges.
describe('grid neighbour list', () => {
  it('sees two approaching entities at the exact step they cross, after many small steps inside the skin', () => {
    const log = new EventLog();
    const world = new AoiWorld({ algorithm: 'grid', skin: 12, listener: log });
    world.add(1, { x: 0, y: 0, viewRadius: 5 });
    world.add(2, { x: 18, y: 0, viewRadius: 5 });
    for (let step = 1; step <= 13; step++) {
      world.move(1, step * 0.5, 0);
      if (step < 13) world.move(2, 18 - step * 0.5, 0);
    }
    expect(log.take()).toEqual([]);
    world.move(2, 11.5, 0);
    expect(log.take()).toEqual([
      ['enter', 1, 2],
      ['enter', 2, 1],
    ]);
  });

  it('stores a pair at exactly leave + skin once, so it enters once', () => {
    const log = new EventLog();
    const world = new AoiWorld({ algorithm: 'grid', skin: 4, listener: log });
    world.add(1, { x: 0, y: 0, viewRadius: 5 });
    world.add(2, { x: 9, y: 0, viewRadius: 5 });
    world.move(1, 2, 0);
    world.move(2, 7, 0);
    expect(log.take()).toEqual([
      ['enter', 1, 2],
      ['enter', 2, 1],
    ]);
    expect(log.errors).toEqual([]);
  });

  it('handles a radius larger than the cell (scans more cells) and a much larger one added later', () => {
    const log = new EventLog();
    const world = new AoiWorld({ algorithm: 'grid', cellSize: 2, mode: 'batched', listener: log });
    for (let i = 0; i < 20; i++) world.add(i, { x: i * 3, y: 0, viewRadius: 4 });
    world.tick();
    world.add(100, { x: 30, y: 0, viewRadius: 1000, marker: false });
    world.tick();
    expect(world.viewOf(100)).toHaveLength(20);
    expect(world.viewOf(0)).toEqual([1]);
  });
});
