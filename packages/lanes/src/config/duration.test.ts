import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['30m', 1_800_000],
    ['12h', 43_200_000],
    ['7d', 604_800_000],
    ['2w', 1_209_600_000],
    ['45s', 45_000],
    ['250ms', 250],
    ['1h30m', 5_400_000],
    ['1d12h', 129_600_000],
    ['1m1s1ms', 61_001],
    ['0s', 0],
    ['90m', 5_400_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    [''],
    ['30'],
    ['m'],
    ['7 d'],
    [' 7d'],
    ['7D'],
    ['7days'],
    ['1.5h'],
    ['-1h'],
    ['30m1h'],
    ['1h1h'],
    ['1y'],
    ['99999999999999999999d'],
  ])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
