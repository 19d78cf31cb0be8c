// A small seeded generator, so every lane of one build spawns the same NPCs on the same paths: their traces differ
// only where the AOI configuration makes them differ.

/** mulberry32: a fast 32-bit PRNG; returns a function giving floats in [0, 1). */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
