import { describe, expect, it } from 'vitest';
import { PairMap } from './pair-map.js';

describe('PairMap', () => {
  it('keeps int32 pairs apart that a single double would merge, in the insertion order of a Map', () => {
    const pairs = new PairMap<number>();
    const reference = new Map<string, number>();
    const ids = [0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 21, 2 ** 21 + 1];
    let value = 0;
    // Sets, overwrites and deletes (many, so the entries are compacted), checked against a Map of strings.
    for (let round = 0; round < 40; round++) {
      for (const w of ids) {
        for (const t of ids) {
          const key = `${w}:${t}`;
          if ((w ^ t ^ round) & 1) {
            expect(pairs.delete(w, t)).toBe(reference.delete(key));
          } else {
            pairs.set(w, t, value);
            reference.set(key, value++);
          }
        }
      }
      expect(pairs.size).toBe(reference.size);
      expect([...pairs.entries()].map(([w, t, v]) => [`${w}:${t}`, v])).toEqual([...reference]);
    }
  });

  it('lets the pair being visited, and the others, be deleted while iterating', () => {
    const pairs = new PairMap<string>();
    for (let i = 0; i < 200; i++) pairs.set(i % 7, i, `v${i}`);
    const seen: number[] = [];
    for (const [w, t] of pairs.entries()) {
      seen.push(t);
      pairs.delete(w, t);
      if (t % 2 === 0) pairs.delete((t + 1) % 7, t + 1);
    }
    expect(seen).toEqual([...Array(100).keys()].map((i) => i * 2));
    expect(pairs.size).toBe(0);
    expect([...pairs.entries()]).toEqual([]);
  });
});
