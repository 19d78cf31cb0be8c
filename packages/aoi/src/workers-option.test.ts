import { afterEach, describe, expect, it } from 'vitest';
import { EventLog } from './test-support/event-log.js';
import type { WorldOptions } from './types.js';
import { liveAoiWorkers } from './worker-pool.js';
import { AoiWorld } from './world.js';

// `workers: n` counts the threads that share a tick, the caller's included (OpenMP's num_threads counts its master
// thread the same way); `callerShare: false` makes the caller only wait while n worker threads run.

const opened: AoiWorld[] = [];
const open = (options: WorldOptions): AoiWorld => {
  const world = new AoiWorld({ mode: 'batched', ...options });
  opened.push(world);
  return world;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((world) => world.close()));
  expect(liveAoiWorkers()).toBe(0);
});

/** Whether the world's entity arrays live on SharedArrayBuffers (only an engine with worker threads needs them). */
const sharedStore = (world: AoiWorld): boolean =>
  (world as unknown as { store: { x: Float64Array } }).store.x.buffer instanceof SharedArrayBuffer;

/** A small crowd walking for a few ticks in a world with `options`; every event, as its listener saw them. */
function events(options: WorldOptions): unknown[] {
  const log = new EventLog();
  const world = open({ ...options, listener: log });
  for (let i = 0; i < 200; i++) world.add(i, { x: (i * 37) % 100, y: (i * 61) % 100, viewRadius: 12 });
  world.tick();
  for (let t = 1; t <= 8; t++) {
    for (let i = 0; i < 200; i += 3) world.move(i, ((i * 37 + t * 7) % 100) + 0.5, ((i * 61 + t * 3) % 100) - 0.5);
    world.tick();
  }
  expect(log.errors).toEqual([]);
  return log.take();
}

describe('the workers option counts the threads of a tick, the caller’s included', () => {
  it.each([
    [{ workers: 2 }, 1],
    [{ workers: 3 }, 2],
    [{ workers: 2, callerShare: true }, 1],
    [{ workers: 1, callerShare: false }, 1],
    [{ workers: 2, callerShare: false }, 2],
  ] as Array<[WorldOptions, number]>)('%o starts %i worker thread(s)', (options, threads) => {
    open(options);
    expect(liveAoiWorkers()).toBe(threads);
  });

  it('workers: 1 (and 0) run on the caller’s thread alone: no worker thread, no shared memory, same events', async () => {
    const single = open({ workers: 0 });
    const one = open({ workers: 1 });
    const unset = open({ callerShare: false }); // no workers: the option has nothing to say
    expect(liveAoiWorkers()).toBe(0);
    for (const world of [single, one, unset]) expect(sharedStore(world)).toBe(false);
    const expected = events({ workers: 0 });
    expect(expected.length).toBeGreaterThan(100);
    expect(events({ workers: 1 })).toEqual(expected);
    expect(liveAoiWorkers()).toBe(0);
    // Nothing to release, and closing twice is fine.
    await one.close();
    await one.close();
    await single.close();
    expect(sharedStore(open({ workers: 2 }))).toBe(true);
  });

  it('brute force takes workers: 1 (the caller’s thread alone) but no worker threads', () => {
    const world = open({ algorithm: 'brute-force', workers: 1 });
    expect(liveAoiWorkers()).toBe(0);
    world.add(1, { x: 0, y: 0, viewRadius: 5 });
    world.add(2, { x: 1, y: 0, viewRadius: 5 });
    expect(world.tick().enterCount).toBe(2);
    for (const options of [{ workers: 2 }, { workers: 1, callerShare: false }] as WorldOptions[]) {
      expect(() => new AoiWorld({ algorithm: 'brute-force', ...options })).toThrow(
        /workers needs algorithm 'grid' for worker threads/,
      );
    }
    expect(liveAoiWorkers()).toBe(0);
  });

  it('rejects a callerShare that is not a boolean', () => {
    for (const callerShare of ['false', 0, null]) {
      expect(() => new AoiWorld({ workers: 2, callerShare: callerShare as unknown as boolean })).toThrow(
        /callerShare must be true or false, got/,
      );
    }
    expect(liveAoiWorkers()).toBe(0);
  });
});
