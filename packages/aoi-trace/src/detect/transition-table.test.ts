import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../simulate/mulberry32.js';
import { TransitionTable } from './transition-table.js';

type Op = { type: 'hit'; watcher: number; target: number; kind: number } | { type: 'window'; keepOdd: boolean };

/**
 * Runs `ops` on a table and on Maps (pair -> its stamp, the value the detector keeps in `last`; the window's
 * symbols in first-seen order) and expects them to agree. Returns the most records the table held.
 */
function replay(ops: Iterable<Op>): number {
  const table = new TransitionTable<string>();
  const pairs = new Map<string, number>();
  let symbols = new Map<string, number>();
  let stamp = 0;
  let most = 0;
  for (const o of ops) {
    if (o.type === 'hit') {
      const r = table.find(o.watcher, o.target);
      const key = `${o.watcher}:${o.target}`;
      if (table.watchers[r] !== o.watcher || table.targets[r] !== o.target) expect([r, key]).toBe('the pair');
      if (table.last[r] !== (pairs.get(key) ?? Number.NEGATIVE_INFINITY)) {
        expect([key, table.last[r]]).toEqual([key, pairs.get(key)]);
      }
      table.last[r] = ++stamp;
      pairs.set(key, stamp);
      table.count(r, o.kind);
      const symbol = `${key}:${o.kind}`;
      symbols.set(symbol, (symbols.get(symbol) ?? 0) + 1);
      most = Math.max(most, table.size);
    } else {
      const listed = Array.from(table.symbols.subarray(0, table.symbolCount), (c) => {
        const r = c >> 1;
        return [`${table.watchers[r]}:${table.targets[r]}:${c & 1}`, table.counts[c]];
      });
      expect(listed).toEqual([...symbols]);
      table.resetCounts();
      symbols = new Map();
      const parity = o.keepOdd ? 1 : 0;
      table.prune((r) => table.last[r]! % 2 === parity);
      for (const [key, s] of pairs) if (s % 2 !== parity) pairs.delete(key);
    }
    expect(table.size).toBe(pairs.size);
  }
  return most;
}

describe('TransitionTable', () => {
  it('agrees with Maps of pairs and first-seen symbols through window resets and prunes', () => {
    // Small id ranges collide often; negative ids and int32 extremes are legal trace ids.
    const id = fc.oneof(fc.integer({ min: -20, max: 20 }), fc.constantFrom(-2147483648, 2147483647));
    const hit = fc.record({
      type: fc.constant('hit' as const),
      watcher: id,
      target: id,
      kind: fc.integer({ min: 0, max: 1 }),
    });
    const window = fc.record({ type: fc.constant('window' as const), keepOdd: fc.boolean() });
    const op: fc.Arbitrary<Op> = fc.oneof({ weight: 10, arbitrary: hit }, { weight: 1, arbitrary: window });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => void replay(ops)),
      { numRuns: 200 },
    );
  });

  it('keeps every pair through growth and rehashes (thousands of pairs between windows)', () => {
    const rnd = mulberry32(7);
    function* ops(): Generator<Op> {
      for (let i = 1; i <= 30_000; i++) {
        if (i % 10_000 === 0) yield { type: 'window', keepOdd: i % 20_000 === 0 };
        else {
          const watcher = Math.floor(rnd() * 300) - 150;
          yield { type: 'hit', watcher, target: Math.floor(rnd() * 300) - 150, kind: rnd() < 0.5 ? 0 : 1 };
        }
      }
    }
    // More records than the initial 1,024 (and cells over half of 2,048): growth and rehash were exercised.
    expect(replay(ops())).toBeGreaterThan(4096);
  });
});
