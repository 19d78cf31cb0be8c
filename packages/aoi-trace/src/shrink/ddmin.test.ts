import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ddmin, OutOfTime } from './ddmin.js';

describe('ddmin', () => {
  it('finds the two items that together make the failure', () => {
    const items = Array.from({ length: 1000 }, (_, i) => i);
    let tests = 0;
    const result = ddmin(items, (s) => {
      tests++;
      return s.includes(17) && s.includes(803);
    });
    expect(result).toEqual({ items: [17, 803], complete: true });
    expect(tests).toBeLessThan(200);
  });

  it('returns the empty set when the fixed part alone fails', () => {
    expect(ddmin([1, 2, 3], () => true).items).toEqual([]);
  });

  it('is 1-minimal: removing any one item of the result makes the test pass no more', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { minLength: 1, maxLength: 5 }), (needed) => {
        // Fails when at least two of `needed` are present (or the only one, if one): many minimal sets.
        const want = Math.min(2, needed.length);
        const test = (s: number[]) => s.filter((x) => needed.includes(x)).length >= want;
        const result = ddmin(
          Array.from({ length: 64 }, (_, i) => i),
          test,
        );
        expect(test(result.items)).toBe(true);
        for (const x of result.items) expect(test(result.items.filter((y) => y !== x))).toBe(false);
      }),
    );
  });

  it('keeps the smallest failing set found so far when the time runs out', () => {
    let calls = 0;
    const result = ddmin(
      Array.from({ length: 100 }, (_, i) => i),
      (s) => {
        if (++calls > 3) throw new OutOfTime();
        return s.includes(5);
      },
    );
    expect(result.complete).toBe(false);
    expect(result.items).toContain(5);
    expect(result.items.length).toBeLessThan(100);
  });
});
