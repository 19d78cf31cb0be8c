import { mulberry32 } from '../mulberry32.js';

export interface MovingCrowdOptions {
  n: number;
  /** Positions stay in [-half, half]^2. */
  half: number;
  seed: number;
  /** Distance per tick. */
  step: number;
}

/**
 * The moving-tick version of disenone/AoiTesting's scenario: `n` entities uniform in [-half, half]^2 from
 * mulberry32(seed) (x then y per entity, then a heading `rnd() * 2 * PI`), moving `step` per tick along the heading,
 * reflected at the walls. Generates one tick at a time; `x`/`y` hold the current positions (tick 0 = initial).
 */
export class MovingCrowd {
  readonly x: Float64Array;
  readonly y: Float64Array;
  private readonly vx: Float64Array;
  private readonly vy: Float64Array;
  private readonly half: number;

  constructor({ n, half, seed, step }: MovingCrowdOptions) {
    const rnd = mulberry32(seed);
    this.half = half;
    this.x = new Float64Array(n);
    this.y = new Float64Array(n);
    this.vx = new Float64Array(n);
    this.vy = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.x[i] = (rnd() * 2 - 1) * half;
      this.y[i] = (rnd() * 2 - 1) * half;
      const heading = rnd() * 2 * Math.PI;
      this.vx[i] = Math.cos(heading) * step;
      this.vy[i] = Math.sin(heading) * step;
    }
  }

  /** Moves everyone one tick. */
  advance(): void {
    const { x, y, vx, vy, half } = this;
    for (let i = 0; i < x.length; i++) {
      let nx = x[i]! + vx[i]!;
      let ny = y[i]! + vy[i]!;
      if (nx > half || nx < -half) {
        nx = nx > half ? 2 * half - nx : -2 * half - nx;
        vx[i] = -vx[i]!;
      }
      if (ny > half || ny < -half) {
        ny = ny > half ? 2 * half - ny : -2 * half - ny;
        vy[i] = -vy[i]!;
      }
      x[i] = nx;
      y[i] = ny;
    }
  }
}
