import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AoiErrorCode } from '../errors.js';
import type { WorldOptions } from '../types.js';
import { liveAoiWorkers } from '../worker-pool.js';
import { AoiWorld } from '../world.js';
import { heightScenarios } from './conformance-height.js';
import { ev, expectRejected, type MakeWorld } from './conformance-kit.js';
import { EventLog } from './event-log.js';
import { sortedEvents } from './reference-model.js';

export interface ConformanceTarget {
  name: string;
  options: WorldOptions;
}

/** The suite every algorithm must pass (Hono's `runTest` pattern): same scenarios, same expectations. */
export function runConformance({ name, options }: ConformanceTarget): void {
  const open: AoiWorld[] = [];
  const make: MakeWorld = (extra = {}) => {
    const log = new EventLog();
    const world = new AoiWorld({ ...options, listener: log, ...extra });
    open.push(world);
    return { log, world };
  };

  describe(`conformance: ${name}`, () => {
    // Every world is closed, so an engine with worker threads leaves none behind.
    afterEach(async () => {
      await Promise.all(open.splice(0).map((world) => world.close()));
    });
    afterAll(() => {
      expect(liveAoiWorkers()).toBe(0);
    });

    it('enters at exactly the view radius and leaves only beyond the leave radius', () => {
      const { log, world } = make();
      world.add(1, { x: 0, y: 0, viewRadius: 10, leaveRadius: 15, marker: false });
      world.add(2, { x: 10, y: 0, watcher: false });
      expect(log.take()).toEqual([ev('enter', 1, 2)]);
      world.move(2, 15, 0);
      expect(log.take()).toEqual([]);
      world.move(2, 15.000001, 0);
      expect(log.take()).toEqual([ev('leave', 1, 2)]);
      world.move(2, 12, 0);
      expect(log.take()).toEqual([]);
      world.move(2, 0, 10);
      expect(log.take()).toEqual([ev('enter', 1, 2)]);
      expect(world.viewOf(1)).toEqual([2]);
      expect(world.watchersOf(2)).toEqual([1]);
    });

    it('gives symmetric views for symmetric radii and matches the geometry', () => {
      const { log, world } = make();
      const points: Array<[number, number]> = [];
      for (let i = 0; i < 60; i++) points.push([((i * 37) % 50) - 25, ((i * 53) % 47) - 20]);
      points.forEach(([x, y], id) => {
        world.add(id, { x, y, viewRadius: 12 });
      });
      for (let id = 0; id < points.length; id++) {
        const expected = points
          .map(([x, y], other) => ({ other, d2: (x - points[id]![0]) ** 2 + (y - points[id]![1]) ** 2 }))
          .filter(({ other, d2 }) => other !== id && d2 <= 144)
          .map(({ other }) => other);
        expect(world.viewOf(id)).toEqual(expected);
        expect(world.watchersOf(id)).toEqual(expected);
        expect(log.viewOf(id)).toEqual(expected);
      }
      expect(log.errors).toEqual([]);
    });

    it('handles cell borders, negative and far-away coordinates, shared positions and radius 0', () => {
      const { log, world } = make();
      world.add(1, { x: -100, y: -100, viewRadius: 100 });
      world.add(2, { x: 0, y: -100, viewRadius: 100 });
      world.add(3, { x: 1e9, y: -1e9, viewRadius: 0 });
      world.add(4, { x: 1e9, y: -1e9, viewRadius: 0 });
      world.add(5, { x: 1e9, y: -1e9 + 0.5, viewRadius: 0 });
      expect(sortedEvents(log.take())).toEqual(
        sortedEvents([ev('enter', 1, 2), ev('enter', 2, 1), ev('enter', 3, 4), ev('enter', 4, 3)]),
      );
      world.move(5, 1e9, -1e9);
      expect(sortedEvents(log.take())).toEqual(
        sortedEvents([ev('enter', 3, 5), ev('enter', 4, 5), ev('enter', 5, 3), ev('enter', 5, 4)]),
      );
      world.move(2, 100.5, -100);
      expect(sortedEvents(log.take())).toEqual(sortedEvents([ev('leave', 1, 2), ev('leave', 2, 1)]));
      expect(log.errors).toEqual([]);
    });

    it('removal gives leaves on both sides and nothing else', () => {
      const { log, world } = make();
      world.add(1, { x: 0, y: 0, viewRadius: 5 });
      world.add(2, { x: 3, y: 0, viewRadius: 5 });
      world.add(3, { x: 0, y: 4, viewRadius: 1 });
      log.take();
      world.remove(1);
      expect(sortedEvents(log.take())).toEqual(sortedEvents([ev('leave', 1, 2), ev('leave', 2, 1), ev('leave', 1, 3)]));
      expect(world.has(1)).toBe(false);
      expect(world.viewOf(2)).toEqual([3]);
      world.add(1, { x: 100, y: 100, viewRadius: 5 });
      expect(log.take()).toEqual([]);
      expect(log.errors).toEqual([]);
    });

    it('teleport leaves the old neighbours and enters the new ones in the same call', () => {
      const { log, world } = make();
      world.add(1, { x: 0, y: 0, viewRadius: 10 });
      world.add(2, { x: 5, y: 0, viewRadius: 10 });
      world.add(3, { x: 10_000, y: 0, viewRadius: 10 });
      log.take();
      world.teleport(1, 10_003, 0);
      expect(sortedEvents(log.take())).toEqual(
        sortedEvents([ev('leave', 1, 2), ev('leave', 2, 1), ev('enter', 1, 3), ev('enter', 3, 1)]),
      );
      expect(world.position(1)).toEqual({ x: 10_003, y: 0 });
    });

    it('delivers each update in watcher-then-target order of insertion', () => {
      const { log, world } = make({ mode: 'batched' });
      for (const id of [30, 10, 20]) world.add(id, { x: id / 10, y: 0, viewRadius: 5 });
      const batch = world.tick();
      expect(log.take()).toEqual([
        ev('enter', 30, 10),
        ev('enter', 30, 20),
        ev('enter', 10, 30),
        ev('enter', 10, 20),
        ev('enter', 20, 30),
        ev('enter', 20, 10),
      ]);
      expect([batch.count, batch.enterCount, batch.leaveCount, batch.moveCount]).toEqual([6, 6, 0, 0]);
      expect([...batch.watchers.subarray(0, 6)]).toEqual([30, 30, 10, 10, 20, 20]);
    });

    it('delivers the leaves of an id removed and added again in one tick before the new enters', () => {
      // Removing 9 frees slot 0 at the next tick; 2 is then removed and added again before a tick, so the new 2 gets
      // slot 0, below the old 2's slot and below 1's: slot order alone would deliver `enter 2>1` before `leave 2>1`.
      const { log, world } = make({ mode: 'batched' });
      for (const id of [9, 1, 2]) world.add(id, { x: id === 9 ? 50 : id, y: 0, viewRadius: 5 });
      world.tick();
      world.remove(9);
      world.tick();
      log.take();
      world.remove(2);
      world.add(2, { x: 2, y: 0, viewRadius: 5 });
      const batch = world.tick();
      expect(log.take()).toEqual([ev('leave', 1, 2), ev('leave', 2, 1), ev('enter', 2, 1), ev('enter', 1, 2)]);
      expect([batch.count, batch.enterCount, batch.leaveCount]).toEqual([4, 2, 2]);
      expect(log.errors).toEqual([]);
      expect(log.viewOf(1)).toEqual(world.viewOf(1));
      expect(log.viewOf(2)).toEqual(world.viewOf(2));
      expect(world.viewOf(2)).toEqual([1]);
    });

    it('batched mode delivers nothing until tick, then the net transitions only', () => {
      const { log, world } = make({ mode: 'batched' });
      world.add(1, { x: 0, y: 0, viewRadius: 10 });
      world.add(2, { x: 50, y: 0, viewRadius: 10 });
      world.tick();
      world.move(2, 5, 0);
      world.move(2, 50, 0);
      world.move(1, 1, 1);
      expect(log.take()).toEqual([]);
      expect(world.tick().count).toBe(0);
      world.move(2, 5, 0);
      expect(log.take()).toEqual([]);
      world.tick();
      expect(log.take()).toEqual([ev('enter', 1, 2), ev('enter', 2, 1)]);
    });

    it('move events go to watchers that keep the target in view', () => {
      const { log, world } = make({ moveEvents: true });
      world.add(1, { x: 0, y: 0, viewRadius: 10 });
      world.add(2, { x: 3, y: 0, viewRadius: 1 });
      log.take();
      world.move(2, 4, 0);
      expect(log.take()).toEqual([ev('move', 1, 2)]);
      world.move(2, 4, 0);
      expect(log.take()).toEqual([]);
      world.move(2, 40, 0);
      expect(log.take()).toEqual([ev('leave', 1, 2)]);
    });

    it('respects roles, tags and interest, also when they change', () => {
      const { log, world } = make();
      world.add(1, { x: 0, y: 0, viewRadius: 10, interest: 0b10 });
      world.add(2, { x: 1, y: 0, viewRadius: 10, tags: 0b01 });
      world.add(3, { x: 2, y: 0, viewRadius: 10, tags: 0b10, watcher: false });
      expect(sortedEvents(log.take())).toEqual(sortedEvents([ev('enter', 1, 3), ev('enter', 2, 1), ev('enter', 2, 3)]));
      world.setRoles(2, { tags: 0b11, marker: true });
      expect(log.take()).toEqual([ev('enter', 1, 2)]);
      world.setRoles(1, { watcher: false });
      expect(sortedEvents(log.take())).toEqual(sortedEvents([ev('leave', 1, 2), ev('leave', 1, 3)]));
      world.setRoles(3, { marker: false });
      expect(log.take()).toEqual([ev('leave', 2, 3)]);
      expect(log.errors).toEqual([]);
    });

    it('setRadius applies the rule at once, including a leave radius that shrinks', () => {
      const { log, world } = make();
      world.add(1, { x: 0, y: 0, viewRadius: 5, leaveRadius: 20, marker: false });
      world.add(2, { x: 30, y: 0, watcher: false });
      world.setRadius(1, 30, 40);
      expect(log.take()).toEqual([ev('enter', 1, 2)]);
      world.setRadius(1, 10, 25);
      expect(log.take()).toEqual([ev('leave', 1, 2)]);
      world.setRadius(1, 0);
      world.move(2, 0, 0);
      expect(log.take()).toEqual([ev('enter', 1, 2)]);
    });

    it('rejects bad arguments with a code and the id, and leaves the world unchanged', () => {
      const { log, world } = make();
      world.add(1, { x: 0, y: 0, viewRadius: 10 });
      world.add(2, { x: 1, y: 0, viewRadius: 10 });
      log.take();
      const attempts: Array<[() => void, string]> = [
        [() => world.add(1, { x: 0, y: 0 }), AoiErrorCode.DuplicateId],
        [() => world.add(-1, { x: 0, y: 0 }), AoiErrorCode.InvalidId],
        [() => world.add(1.5, { x: 0, y: 0 }), AoiErrorCode.InvalidId],
        [() => world.add(3, { x: Number.NaN, y: 0 }), AoiErrorCode.InvalidPosition],
        [() => world.add(3, { x: 0, y: 0, viewRadius: 5, leaveRadius: 4 }), AoiErrorCode.InvalidRadius],
        [() => world.add(3, { x: 0, y: 0, viewRadius: -1 }), AoiErrorCode.InvalidRadius],
        [() => world.add(3, { x: 0, y: 0, tags: 2 ** 40 }), AoiErrorCode.InvalidOption],
        [() => world.move(9, 0, 0), AoiErrorCode.UnknownId],
        [() => world.move(2, Number.POSITIVE_INFINITY, 0), AoiErrorCode.InvalidPosition],
        [() => world.teleport(2, 0, Number.NaN), AoiErrorCode.InvalidPosition],
        [() => world.remove(9), AoiErrorCode.UnknownId],
        [() => world.setRadius(2, Number.NaN), AoiErrorCode.InvalidRadius],
        [() => world.setRadius(2, 1, 0.5), AoiErrorCode.InvalidRadius],
        [() => world.setRoles(2, { interest: 0.5 }), AoiErrorCode.InvalidOption],
        [() => world.viewOf(9), AoiErrorCode.UnknownId],
      ];
      expectRejected(attempts);
      expect(world.size).toBe(2);
      expect(world.has(3)).toBe(false);
      expect(world.position(2)).toEqual({ x: 1, y: 0 });
      expect(world.viewOf(1)).toEqual([2]);
      expect(world.viewOf(2)).toEqual([1]);
      expect(log.take()).toEqual([]);
    });

    heightScenarios(make);

    it('observers see every batch before the listener and can be detached', () => {
      const { log, world } = make();
      const seen: string[] = [];
      const detach = world.observe({
        onBatch: (batch) => seen.push(`${batch.count}:${batch.enterCount}:${log.events.length}`),
      });
      world.add(1, { x: 0, y: 0, viewRadius: 10 });
      world.add(2, { x: 1, y: 0, viewRadius: 10 });
      detach();
      world.remove(2);
      expect(seen).toEqual(['2:2:0']);
      expect(log.take().length).toBe(4);
    });
  });
}
