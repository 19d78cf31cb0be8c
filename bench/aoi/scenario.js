// The moving-tick version of disenone/AoiTesting's scenario, defined so that anyone can reproduce it exactly.

/**
 * mulberry32: a tiny, well-known 32-bit PRNG; returns floats in [0, 1).
 * @param {number} seed
 */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
  const rnd = mulberry32(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const vx = new Float64Array(n);
  const vy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = (rnd() * 2 - 1) * half;
    y[i] = (rnd() * 2 - 1) * half;
    const heading = rnd() * 2 * Math.PI;
    vx[i] = Math.cos(heading) * step;
    vy[i] = Math.sin(heading) * step;
  }
  const xs = [x.slice()];
  const ys = [y.slice()];
  for (let t = 1; t <= ticks + 1; t++) {
    for (let i = 0; i < n; i++) {
      let nx = x[i] + vx[i];
      let ny = y[i] + vy[i];
      if (nx > half || nx < -half) {
        nx = nx > half ? 2 * half - nx : -2 * half - nx;
        vx[i] = -vx[i];
      }
      if (ny > half || ny < -half) {
        ny = ny > half ? 2 * half - ny : -2 * half - ny;
        vy[i] = -vy[i];
      }
      x[i] = nx;
      y[i] = ny;
    }
    xs.push(x.slice());
    ys.push(y.slice());
  }
  return { n, half, radius, ticks, xs, ys };
}
