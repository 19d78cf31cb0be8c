/**
 * mulberry32: a tiny, well-known 32-bit PRNG; returns floats in [0, 1). The engine benchmark's scenario is defined
 * with it, so anyone can reproduce the positions exactly.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Hex digits drawn from `rnd` (for deterministic trace and span ids); never all zero, as W3C requires. */
export function randomHex(rnd: () => number, digits: number): string {
  let out = '';
  while (out.length < digits)
    out += Math.floor(rnd() * 0x10000)
      .toString(16)
      .padStart(4, '0');
  out = out.slice(0, digits);
  return /^0+$/.test(out) ? `${out.slice(0, -1)}1` : out;
}
