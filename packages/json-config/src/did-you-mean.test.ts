import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closestName } from './did-you-mean.js';

describe('closestName', () => {
  it.each([
    ['prot', ['host', 'port'], 'port'],
    ['weigth', ['replicas', 'weight'], 'weight'],
    ['idleMS', ['headersMs', 'idleMs'], 'idleMs'],
    ['replica', ['replicas', 'weight'], 'replicas'],
    ['Parameter', ['Parameters', 'Tags', 'StackPolicy'], 'Parameters'],
    ['bagage', ['tracestate', 'baggage'], 'baggage'],
  ])('takes %j for a typo of %j', (name, known, expected) => {
    expect(closestName(name, known)).toBe(expected);
  });

  it.each([
    ['host', ['port']],
    ['zzz', ['listen', 'admin']],
    ['b3', ['tracestate', 'baggage']],
    ['anything', []],
  ])('finds nothing close to %j in %j', (name, known) => {
    expect(closestName(name, known)).toBeUndefined();
  });

  it('takes the first of equally close names', () => {
    expect(closestName('cat', ['bat', 'hat'])).toBe('bat');
  });

  it('finds every known name, in any case, as itself', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[A-Za-z][\w-]{0,15}$/), { minLength: 1 }),
        fc.nat(),
        (known, at) => {
          const name = known[at % known.length]!;
          const found = closestName(name.toUpperCase(), known);
          expect(found?.toLowerCase()).toBe(name.toLowerCase());
        },
      ),
    );
  });
});
