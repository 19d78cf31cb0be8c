import { describe, expect, it } from 'vitest';
import { describe as describeValue, isJsonObject } from './json-value.js';

describe('describe', () => {
  it.each([
    [undefined, 'nothing'],
    [null, 'null'],
    [[1, 2], 'a list'],
    [{ a: 1 }, 'an object'],
    ['8080', '"8080"'],
    [80.5, '80.5'],
    [true, 'true'],
  ])('renders %j as %s', (value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });

  it('shortens a long string and keeps it quoted', () => {
    const text = describeValue('x'.repeat(100));
    expect(text).toHaveLength(61);
    expect(text).toMatch(/^"x+\.\.\."$/);
  });
});

describe('isJsonObject', () => {
  it('accepts only plain objects', () => {
    expect(isJsonObject({})).toBe(true);
    expect([null, [], 'x', 1, undefined].map(isJsonObject)).toEqual([false, false, false, false, false]);
  });
});
