// Positions are stored as integers q: the position is q * quantum. When 1 / quantum is an integer (1024, 100, ...)
// the position is computed as q / (1 / quantum), which is exact for decimal quanta too (7 / 100 is the double
// 0.07, while 7 * 0.01 is not). "Lossless" means: decode(encode(x)) === x for every x that is the double nearest to
// k * quantum for an integer |k| <= 2^48.

/** Largest |q| stored; beyond it positions are rejected rather than silently losing precision. */
export const MAX_QUANTIZED = 2 ** 48;

export class Quantizer {
  readonly quantum: number;
  private readonly scale: number;
  private readonly exactScale: boolean;

  constructor(quantum: number) {
    this.quantum = quantum;
    const scale = 1 / quantum;
    this.exactScale = Number.isInteger(scale) && scale <= 2 ** 31;
    this.scale = scale;
  }

  /** q for a position (NaN if it is not finite or too large; callers check). */
  encode(x: number): number {
    const q = this.exactScale ? Math.round(x * this.scale) : Math.round(x / this.quantum);
    return q >= -MAX_QUANTIZED && q <= MAX_QUANTIZED ? q : Number.NaN;
  }

  decode(q: number): number {
    // `+ 0` turns -0 into 0, so that q = 0 always decodes to the same double.
    return (this.exactScale ? q / this.scale : q * this.quantum) + 0;
  }
}
