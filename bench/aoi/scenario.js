// The moving-tick version of disenone/AoiTesting's scenario. The one definition lives in @lanes/aoi-trace
// (src/simulate/scenarios/moving-crowd.ts, also used by `aoi-trace simulate`); this wraps it for the bench.
import { MovingCrowd, mulberry32 } from '@lanes/aoi-trace';

export { mulberry32 };

/**
 * @typedef {object} Scenario
 * @property {number} n entities
 * @property {number} half M: positions are in [-M, M]^2
 * @property {number} radius view radius (no hysteresis)
 * @property {number} ticks timed ticks
 * @property {Float64Array[]} xs xs[t][i]: x of entity i at tick t (t = 0: initial, t = 1: fill tick, then timed)
 * @property {Float64Array[]} ys
 */

/**
 * Positions for every tick, computed before any timing: 10,000 entities uniform in [-M, M]^2 from mulberry32(12345)
 * (x then y per entity, then a heading `rnd() * 2 * PI`), a step of 0.6 per tick (6 units/s at 10 Hz) along the
 * heading, reflected at the walls.
 * @param {{ n?: number, half: number, radius?: number, ticks?: number, seed?: number, step?: number }} options
 * @returns {Scenario}
 */
export function makeScenario({ n = 10_000, half, radius = 100, ticks = 100, seed = 12345, step = 0.6 }) {
  const crowd = new MovingCrowd({ n, half, seed, step });
  const xs = [crowd.x.slice()];
  const ys = [crowd.y.slice()];
  for (let t = 1; t <= ticks + 1; t++) {
    crowd.advance();
    xs.push(crowd.x.slice());
    ys.push(crowd.y.slice());
  }
  return { n, half, radius, ticks, xs, ys };
}
