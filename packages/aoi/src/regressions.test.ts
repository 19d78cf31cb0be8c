import { afterEach, describe, expect, it } from 'vitest';
import { EventLog } from './test-support/event-log.js';
import type { WorldOptions } from './types.js';
import { AoiWorld } from './world.js';

/** Every world of a test, closed after it (the parallel grid's workers). */
const opened: AoiWorld[] = [];
afterEach(() => Promise.all(opened.splice(0).map((world) => world.close())));
const open = (options: WorldOptions): AoiWorld => {
  const world = new AoiWorld(options);
  opened.push(world);
  return world;
};

// Bugs users reported against existing engines (KBEngine issue numbers), replayed on every algorithm.
const engines: Array<[string, WorldOptions]> = [
  ['grid', { algorithm: 'grid' }],
  ['brute-force', { algorithm: 'brute-force' }],
  ['grid, 2 worker threads, the caller waits', { algorithm: 'grid', workers: 2, callerShare: false }],
];
describe.each(engines)('regressions: %s', (_, engine) => {
  it('KBEngine #1329: a leave is seen by both sides, not one', () => {
    const log = new EventLog();
    const world = open({ ...engine, listener: log });
    world.add(1, { x: 0, y: 0, viewRadius: 50, leaveRadius: 60 });
    world.add(2, { x: 40, y: 0, viewRadius: 50, leaveRadius: 60 });
    log.take();
    for (const x of [55, 61, 59, 45, 60.5, 200]) world.move(2, x, 0);
    const events = log.take();
    const leaves = events.filter((e) => e[0] === 'leave').map((e) => `${e[1]}>${e[2]}`);
    expect(leaves).toEqual(['1>2', '2>1', '1>2', '2>1']);
    expect(world.viewOf(1)).toEqual([]);
    expect(world.viewOf(2)).toEqual([]);
    expect(log.errors).toEqual([]);
  });

  it('KBEngine #316: a teleported entity is seen at once, before it moves again', () => {
    for (const mode of ['immediate', 'batched'] as const) {
      const log = new EventLog();
      const world = open({ ...engine, mode, listener: log });
      world.add(1, { x: 0, y: 0, viewRadius: 10 });
      world.add(2, { x: 5000, y: 5000, viewRadius: 10 });
      world.tick();
      world.teleport(2, 3, 4);
      world.tick();
      expect(log.take()).toEqual([
        ['enter', 1, 2],
        ['enter', 2, 1],
      ]);
      expect(world.viewOf(1)).toEqual([2]);
    }
  });

  it('KBEngine #163: fast in-and-out movement gives matched pairs of events, or none within one tick', () => {
    const log = new EventLog();
    const world = open({ ...engine, listener: log });
    world.add(1, { x: 0, y: 0, viewRadius: 10, marker: false });
    world.add(2, { x: 100, y: 0, watcher: false });
    for (let i = 0; i < 50; i++) world.move(2, i % 2 === 0 ? 1 : 100, 0);
    const events = log.take();
    expect(events).toHaveLength(50);
    expect(events.map((e) => e[0])).toEqual(events.map((_, i) => (i % 2 === 0 ? 'enter' : 'leave')));

    const batched = open({ ...engine, mode: 'batched', listener: log });
    batched.add(1, { x: 0, y: 0, viewRadius: 10, marker: false });
    batched.add(2, { x: 100, y: 0, watcher: false });
    batched.tick();
    batched.move(2, 1, 0);
    batched.move(2, -100, 0);
    expect(batched.tick().count).toBe(0);
    expect(log.take()).toEqual([]);
    expect(log.errors).toEqual([]);
  });

  it('KBEngine #347: removing entities from inside an enter callback is safe and ordered', () => {
    const order: string[] = [];
    const world: AoiWorld = open({
      ...engine,
      listener: {
        enter: (w, t) => {
          order.push(`enter ${w}>${t}`);
          if (t === 3 && world.has(3)) world.remove(3);
          if (w === 4 && world.has(4)) world.remove(4);
        },
        leave: (w, t) => order.push(`leave ${w}>${t}`),
      },
    });
    world.add(1, { x: 0, y: 0, viewRadius: 10 });
    world.add(2, { x: 1, y: 0, viewRadius: 10 });
    order.length = 0;
    world.add(3, { x: 2, y: 0, viewRadius: 10 });
    expect(order).toEqual([
      'enter 1>3',
      'enter 2>3',
      'enter 3>1',
      'enter 3>2',
      'leave 1>3',
      'leave 2>3',
      'leave 3>1',
      'leave 3>2',
    ]);
    expect(world.has(3)).toBe(false);
    order.length = 0;
    world.add(4, { x: 3, y: 0, viewRadius: 10 });
    expect(world.has(4)).toBe(false);
    expect(world.viewOf(1)).toEqual([2]);
    expect(order.filter((e) => e.startsWith('leave')).sort()).toEqual([
      'leave 1>4',
      'leave 2>4',
      'leave 4>1',
      'leave 4>2',
    ]);
    // A world used from a listener still works normally afterwards.
    world.move(2, 50, 0);
    expect(world.viewOf(1)).toEqual([]);
  });
});
