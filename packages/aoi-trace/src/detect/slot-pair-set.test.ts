import { describe, expect, it } from 'vitest';
import { SlotPairSet } from './slot-pair-set.js';

describe('SlotPairSet', () => {
  it('adds each pair once per clear, across growth and many clears, as a Set of strings does', () => {
    const set = new SlotPairSet();
    let seed = 7;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 8;
    };
    const wrong: string[] = [];
    for (let round = 0; round < 30; round++) {
      const reference = new Set<string>();
      // Up to 20,000 adds (the set grows past its first 4,096 entries) from a small range, so repeats are common.
      const adds = round % 3 === 0 ? 20_000 : 300;
      for (let i = 0; i < adds; i++) {
        const w = next() % 150;
        const t = next() % 150;
        const key = `${w}:${t}`;
        if (set.add(w, t) === reference.has(key)) wrong.push(`round ${round}: ${key}`);
        reference.add(key);
      }
      // (w, t) and (t, w) are different pairs.
      set.clear();
      expect(set.add(3, 5)).toBe(true);
      expect(set.add(5, 3)).toBe(true);
      expect(set.add(3, 5)).toBe(false);
      set.clear();
    }
    expect(wrong).toEqual([]);
  });
});
