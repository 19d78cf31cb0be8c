import { describe, expect, it } from 'vitest';
import { canaryTarget } from './aws-route.js';

describe('canaryTarget', () => {
  it('gives the one lane and its whole percent, relative to default when default is named', () => {
    expect(canaryTarget('shop', { gray: 10 })).toEqual({ lane: 'gray', percent: 10 });
    expect(canaryTarget('shop', { default: 90, gray: 10 })).toEqual({ lane: 'gray', percent: 10 });
    expect(canaryTarget('shop', { default: 3, gray: 1 })).toEqual({ lane: 'gray', percent: 25 });
  });

  it('refuses a route that names no lane, or two, saying how many it named', () => {
    for (const [weights, count] of [
      [{ default: 100 }, 0],
      [{}, 0],
      [{ gray: 10, blue: 10 }, 2],
      [{ default: 80, gray: 10, blue: 10 }, 2],
    ] as const) {
      const result = canaryTarget('shop', weights);
      expect(result).toEqual({
        problem: `on aws a route names exactly one lane besides default (lanes route --provider aws shop default=90 gray=10); got ${count}`,
      });
    }
  });

  it('refuses negative weights, over 100 without default, and a share that is not a whole percent', () => {
    expect(canaryTarget('shop', { gray: -1 })).toHaveProperty('problem', expect.stringContaining('gray=-1'));
    expect(canaryTarget('shop', { gray: 101 })).toHaveProperty('problem', expect.stringContaining('at most 100'));
    expect(canaryTarget('shop', { default: 2, gray: 1 })).toHaveProperty('problem', expect.stringContaining('33.33%'));
  });
});
