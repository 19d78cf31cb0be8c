import { expect, it } from 'vitest';
import { AoiErrorCode } from '../errors.js';
import { ev, expectRejected, type MakeWorld } from './conformance-kit.js';

/** The conformance scenarios of height (docs/aoi.md, "Height"): views are cylinders. */
export function heightScenarios(make: MakeWorld): void {
  it('height: enters inside the inner cylinder and leaves only outside the outer one, on both extents', () => {
    const { log, world } = make();
    const cylinder = { viewRadius: 10, leaveRadius: 15, viewHeight: 5, leaveHeight: 8 };
    world.add(1, { x: 0, y: 0, z: 0, ...cylinder, marker: false });
    world.add(2, { x: 0, y: 0, z: 5, watcher: false });
    expect(log.take()).toEqual([ev('enter', 1, 2)]);
    world.move(2, 0, 0, 8);
    expect(log.take()).toEqual([]);
    world.move(2, 0, 0, 8.000001);
    expect(log.take()).toEqual([ev('leave', 1, 2)]);
    world.move(2, 0, 0, 6);
    expect(log.take()).toEqual([]);
    world.move(2, 0, 0, -5);
    expect(log.take()).toEqual([ev('enter', 1, 2)]);
    world.move(2, 15, 0, -8);
    expect(log.take()).toEqual([]);
    world.move(2, 15, 0, -8.5);
    expect(log.take()).toEqual([ev('leave', 1, 2)]);
    world.move(2, 10, 0);
    expect(log.take()).toEqual([]);
    expect(world.position(2)).toEqual({ x: 10, y: 0, z: -8.5 });
    world.teleport(2, 10, 0, 5);
    expect(log.take()).toEqual([ev('enter', 1, 2)]);
    world.setHeight(1, 1);
    expect(log.take()).toEqual([ev('leave', 1, 2)]);
    world.setHeight(1, Number.POSITIVE_INFINITY);
    expect(log.take()).toEqual([ev('enter', 1, 2)]);
    expect(log.errors).toEqual([]);
  });

  it('height: no view height sees every z; height switches on with the first entity that has it', () => {
    const { log, world } = make();
    world.add(1, { x: 0, y: 0, viewRadius: 10 });
    expect(world.hasHeight).toBe(false);
    expect(world.position(1)).toEqual({ x: 0, y: 0 });
    world.add(2, { x: 1, y: 0, z: 1000, viewRadius: 10, viewHeight: 1 });
    expect(world.hasHeight).toBe(true);
    expect(world.position(1)).toEqual({ x: 0, y: 0, z: 0 });
    expect(log.take()).toEqual([ev('enter', 1, 2)]);
    world.move(1, 0, 0, 999);
    expect(log.take()).toEqual([ev('enter', 2, 1)]);
    expect(world.viewOf(2)).toEqual([1]);
    expect(world.watchersOf(2)).toEqual([1]);
  });

  it('height: views match the cylinder geometry after batched moves in z only', () => {
    const { log, world } = make({ mode: 'batched', moveEvents: true });
    const points: Array<[number, number, number]> = [];
    for (let i = 0; i < 60; i++) points.push([((i * 37) % 50) - 25, ((i * 53) % 47) - 20, ((i * 29) % 23) - 11]);
    points.forEach(([x, y, z], id) => {
      world.add(id, { x, y, z, viewRadius: 12, viewHeight: 4 + (id % 3), leaveHeight: 7 });
    });
    world.tick();
    points.forEach((p, id) => {
      if (id % 2 === 0) {
        p[2] = -p[2] + 1.5;
        world.move(id, p[0], p[1], p[2]);
      }
    });
    world.tick();
    expect(log.errors).toEqual([]);
    for (let id = 0; id < points.length; id++) {
      const [x, y, z] = points[id]!;
      const within = (leave: boolean) =>
        points
          .map(([ox, oy, oz], other) => ({ other, d2: (ox - x) ** 2 + (oy - y) ** 2, dz: Math.abs(oz - z) }))
          .filter(({ other, d2, dz }) => other !== id && d2 <= 144 && dz <= (leave ? 7 : 4 + (id % 3)))
          .map(({ other }) => other);
      const view = world.viewOf(id);
      // Everything in the inner cylinder is seen; nothing outside the outer one is.
      expect(within(false).filter((t) => !view.includes(t))).toEqual([]);
      expect(view.filter((t) => !within(true).includes(t))).toEqual([]);
      expect(log.viewOf(id)).toEqual(view);
    }
  });

  it('height: rejects a bad z or half-height with a code, and leaves the world without height', () => {
    const { log, world } = make();
    world.add(1, { x: 0, y: 0, viewRadius: 10 });
    world.add(2, { x: 1, y: 0, viewRadius: 10 });
    log.take();
    const attempts: Array<[() => void, string]> = [
      [() => world.add(3, { x: 0, y: 0, z: Number.NaN }), AoiErrorCode.InvalidPosition],
      [() => world.add(3, { x: 0, y: 0, z: 2 ** 501 }), AoiErrorCode.InvalidPosition],
      [() => world.add(3, { x: 0, y: 0, viewHeight: -1 }), AoiErrorCode.InvalidRadius],
      [() => world.add(3, { x: 0, y: 0, viewHeight: 5, leaveHeight: 4 }), AoiErrorCode.InvalidRadius],
      [() => world.add(3, { x: 0, y: 0, viewHeight: 2 ** 501 }), AoiErrorCode.InvalidRadius],
      [() => world.move(2, 0, 0, Number.POSITIVE_INFINITY), AoiErrorCode.InvalidPosition],
      [() => world.teleport(2, 0, 0, Number.NaN), AoiErrorCode.InvalidPosition],
      [() => world.setHeight(2, Number.NaN), AoiErrorCode.InvalidRadius],
      [() => world.setHeight(2, 3, 2), AoiErrorCode.InvalidRadius],
      [() => world.setHeight(9, 3), AoiErrorCode.UnknownId],
    ];
    expectRejected(attempts);
    expect(world.hasHeight).toBe(false);
    expect(world.size).toBe(2);
    expect(world.position(2)).toEqual({ x: 1, y: 0 });
    expect(log.take()).toEqual([]);
  });
}
