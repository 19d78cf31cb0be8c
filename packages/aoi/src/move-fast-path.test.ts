import { describe, expect, it } from 'vitest';
import { AoiError, AoiErrorCode } from './errors.js';
import { MAX_COORDINATE } from './validate.js';
import { AoiWorld } from './world.js';

const codeOf = (fn: () => void): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof AoiError ? error.code : 'not an AoiError';
  }
  return undefined;
};

// move() has a short path for the common case (batched, 2D, no change observers, a known id, a valid position); every
// other case must behave exactly as the full path: same errors, same events, same observer calls.
describe('move() in a batched world', () => {
  it('refuses what the full path refuses, and changes nothing', () => {
    const world = new AoiWorld({ mode: 'batched' });
    world.add(1, { x: 0, y: 0, viewRadius: 10 });
    world.add(2, { x: 5, y: 0, viewRadius: 10 });
    world.tick();
    const bad: Array<[() => void, string]> = [
      [() => world.move(3, 0, 0), AoiErrorCode.UnknownId],
      [() => world.move(-1, 0, 0), AoiErrorCode.UnknownId],
      [() => world.move(1.5, 0, 0), AoiErrorCode.UnknownId],
      [() => world.move(Number.NaN, 0, 0), AoiErrorCode.UnknownId],
      [() => world.move(2 ** 40, 0, 0), AoiErrorCode.UnknownId],
      [() => world.move(2, Number.NaN, 0), AoiErrorCode.InvalidPosition],
      [() => world.move(2, 0, Number.POSITIVE_INFINITY), AoiErrorCode.InvalidPosition],
      [() => world.move(2, -MAX_COORDINATE * 2, 0), AoiErrorCode.InvalidPosition],
      [() => world.move(2, 0, 0, Number.NaN), AoiErrorCode.InvalidPosition],
    ];
    for (const [call, code] of bad) expect(codeOf(call)).toBe(code);
    expect(world.position(2)).toEqual({ x: 5, y: 0 });
    expect(world.stats().pendingChanges).toBe(0);
    expect(world.tick().count).toBe(0);
    world.move(2, MAX_COORDINATE, 0);
    expect(world.tick().leaveCount).toBe(2);
  });

  it('skips a move to the same place; reports moves to change observers; switches to height on a z', () => {
    const world = new AoiWorld({ mode: 'batched' });
    world.add(1, { x: 0, y: 0, viewRadius: 10 });
    world.add(2, { x: 50, y: 0, viewRadius: 10 });
    world.tick();
    world.move(2, 50, 0);
    expect(world.stats().pendingChanges).toBe(0);
    const seen: Array<[number, number, number, number | undefined]> = [];
    const detach = world.observe({ onBatch: () => {}, onMove: (id, x, y, _teleport, z) => seen.push([id, x, y, z]) });
    world.move(2, 5, 0);
    expect(seen).toEqual([[2, 5, 0, undefined]]);
    detach();
    expect(world.tick().enterCount).toBe(2);
    world.move(2, 5, 0, 20);
    expect(world.hasHeight).toBe(true);
    expect(world.position(2)).toEqual({ x: 5, y: 0, z: 20 });
    world.setHeight(1, 5);
    expect(world.tick().leaveCount).toBe(1);
    world.move(2, 6, 0);
    expect(world.position(2)).toEqual({ x: 6, y: 0, z: 20 });
  });
});
