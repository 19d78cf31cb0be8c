import { describe, expect, it, onTestFinished } from 'vitest';
import type { WorldOptions } from './types.js';
import { AoiWorld } from './world.js';

const engines: Array<[string, WorldOptions]> = [
  ['grid', { algorithm: 'grid' }],
  ['brute-force', { algorithm: 'brute-force' }],
  ['grid, 3 worker threads, the caller waits', { algorithm: 'grid', workers: 3, callerShare: false }],
];

describe.each(engines)('event order: %s', (_, engine) => {
  it('orders a large batch by watcher, then target, in insertion order', () => {
    const world = new AoiWorld({ ...engine, mode: 'batched' });
    onTestFinished(() => world.close());
    const ids: number[] = [];
    for (let i = 0; i < 120; i++) {
      const id = (i * 7919) % 1000; // insertion order differs from id order
      ids.push(id);
      world.add(id, { x: (i * 13) % 17, y: (i * 5) % 11, viewRadius: 50 });
    }
    const batch = world.tick();
    expect(batch.enterCount).toBe(120 * 119);
    const rank = new Map(ids.map((id, i) => [id, i]));
    let previous = -1;
    for (let i = 0; i < batch.count; i++) {
      const key = rank.get(batch.watchers[i]!)! * 1000 + rank.get(batch.targets[i]!)!;
      expect(key).toBeGreaterThan(previous);
      previous = key;
    }
  });
});
