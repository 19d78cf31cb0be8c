import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AoiError, AoiErrorCode } from './errors.js';
import type { AlgorithmName, WorldOptions } from './types.js';
import { MAX_COORDINATE, MAX_RADIUS } from './validate.js';
import { AoiWorld } from './world.js';

// Values whose arithmetic overflows (a radius whose square is Infinity, positions whose squared distance is) made
// the grid and the brute-force oracle disagree. Every accepted value must keep them in agreement; the rest is refused.

const L = MAX_COORDINATE;
const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof AoiError) return error.code;
    throw error;
  }
};

describe('value limits', () => {
  it('height: |dz| of 2^501 is compared exactly, at the limits of z and of the half-heights', () => {
    for (const algorithm of ['brute-force', 'grid'] as AlgorithmName[]) {
      const world = new AoiWorld({ algorithm });
      world.add(1, { x: 0, y: 0, z: -L, viewRadius: 1, viewHeight: MAX_RADIUS });
      world.add(2, { x: 0, y: 0, z: L, viewRadius: 1, viewHeight: Number.POSITIVE_INFINITY });
      expect([world.viewOf(1), world.viewOf(2)]).toEqual([[], [1]]);
      world.move(2, 0, 0, 0);
      expect([world.viewOf(1), world.viewOf(2)]).toEqual([[2], [1]]);
      expect(codeOf(() => world.move(2, 0, 0, 2 ** 501))).toBe(AoiErrorCode.InvalidPosition);
      expect(codeOf(() => world.setHeight(1, 2 ** 501))).toBe(AoiErrorCode.InvalidRadius);
      expect(world.position(2)).toEqual({ x: 0, y: 0, z: 0 });
    }
  });

  it('refuses a radius whose square overflows (issue 15: ~1.34e154) and accepts 2^500', () => {
    const world = new AoiWorld();
    for (const viewRadius of [1.4e154, 2 ** 512, Number.MAX_VALUE, MAX_RADIUS * 2]) {
      expect(codeOf(() => world.add(1, { x: 0, y: 0, viewRadius }))).toBe(AoiErrorCode.InvalidRadius);
      expect(codeOf(() => world.add(1, { x: 0, y: 0, viewRadius: 1, leaveRadius: viewRadius }))).toBe(
        AoiErrorCode.InvalidRadius,
      );
    }
    expect(world.size).toBe(0);
    world.add(1, { x: 0, y: 0, viewRadius: MAX_RADIUS });
    expect(codeOf(() => world.setRadius(1, 1, 1.4e154))).toBe(AoiErrorCode.InvalidRadius);
    expect(() => world.add(2, { x: 0, y: 0, viewRadius: 1.4e154 })).toThrow(/2\^500/);
  });

  it('refuses coordinates beyond ±2^500 and grid lengths beyond 2^500', () => {
    const world = new AoiWorld();
    expect(codeOf(() => world.add(1, { x: 1e300, y: 0 }))).toBe(AoiErrorCode.InvalidPosition);
    world.add(1, { x: -L, y: L });
    expect(codeOf(() => world.move(1, 0, -L * 2))).toBe(AoiErrorCode.InvalidPosition);
    expect(codeOf(() => world.teleport(1, Number.MAX_VALUE, 0))).toBe(AoiErrorCode.InvalidPosition);
    expect(world.position(1)).toEqual({ x: -L, y: L });
    for (const options of [{ skin: 1e155 }, { cellSize: 1e300 }, { skin: -1 }, { cellSize: 0 }]) {
      expect(codeOf(() => new AoiWorld(options))).toBe(AoiErrorCode.InvalidOption);
    }
    expect(codeOf(() => new AoiWorld({ skin: MAX_RADIUS, cellSize: MAX_RADIUS }))).toBeUndefined();
  });

  // Magnitudes around the limit (and far beyond it, which must be refused), signs, and ordinary values.
  const magnitude = fc.constantFrom(0, 1, 1e-300, 1e10, 1e150, L, L * (1 - 2 ** -52), 2 ** 511, 1.4e154, 1e300);
  const scaled = fc.tuple(magnitude, fc.constantFrom(1, 1, 0.5, 0.999), fc.boolean());
  const value = scaled.map(([m, f, negative]) => (negative ? -m * f : m * f));
  const length = scaled.map(([m, f]) => m * f);
  const id = fc.integer({ min: 0, max: 4 });
  const op = fc.oneof(
    fc.record({ op: fc.constant('add' as const), id, x: value, y: value, view: length, extra: length }),
    fc.record({ op: fc.constant('move' as const), id, x: value, y: value }),
    fc.record({ op: fc.constant('radius' as const), id, view: length, extra: length }),
    fc.record({ op: fc.constant('remove' as const), id }),
    fc.record({ op: fc.constant('tick' as const) }),
    // Height: z at the coordinate limits and half-heights at the radius limits (|dz| reaches 2^501, compared as is).
    fc.record({ op: fc.constant('zmove' as const), id, z: value }),
    fc.record({ op: fc.constant('height' as const), id, view: length, extra: length }),
  );
  type Op = typeof op extends fc.Arbitrary<infer O> ? O : never;

  const apply = (world: AoiWorld, o: Op): string | undefined =>
    codeOf(() => {
      if (o.op === 'add') world.add(o.id, { x: o.x, y: o.y, viewRadius: o.view, leaveRadius: o.view + o.extra });
      else if (o.op === 'move') world.move(o.id, o.x, o.y);
      else if (o.op === 'radius') world.setRadius(o.id, o.view, o.view + o.extra);
      else if (o.op === 'remove') world.remove(o.id);
      else if (o.op === 'zmove') {
        const at = world.has(o.id) ? world.position(o.id) : { x: 0, y: 0 };
        world.move(o.id, at.x, at.y, o.z);
      } else if (o.op === 'height') world.setHeight(o.id, o.view, o.view + o.extra);
      else world.tick();
    });

  it('grid and brute force agree for every accepted value, and refuse the same calls', () => {
    const grids: WorldOptions[] = [{}, { skin: 0 }, { skin: L }, { cellSize: 1 }, { cellSize: L }];
    fc.assert(
      fc.property(fc.constantFrom(...grids), fc.array(op, { minLength: 1, maxLength: 30 }), (gridOptions, ops) => {
        const worlds = (['brute-force', 'grid'] as AlgorithmName[]).map(
          (algorithm) => new AoiWorld({ ...(algorithm === 'grid' ? gridOptions : {}), algorithm, mode: 'batched' }),
        );
        for (const o of [...ops, { op: 'tick' as const }]) {
          const codes = worlds.map((world) => apply(world, o));
          expect(codes[1]).toBe(codes[0]);
          if (o.op !== 'tick') continue;
          for (let i = 0; i <= 4; i++) {
            const views = worlds.map((world) => (world.has(i) ? world.viewOf(i) : null));
            expect(views[1]).toEqual(views[0]);
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});
