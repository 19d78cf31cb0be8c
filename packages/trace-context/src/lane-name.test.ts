import { describe, expect, it } from 'vitest';
import { isValidLaneName } from './lane-name.js';

describe('isValidLaneName', () => {
  it.each(['a', '0', 'gray', 'gray2', 'blue-green', 'a-b-c', '9lives', 'x'.repeat(63)])('accepts %j', (name) => {
    expect(isValidLaneName(name)).toBe(true);
  });

  it.each([
    '',
    'GRAY',
    'Gray',
    '-gray',
    'gray-',
    '-',
    'gr_ay',
    'gr.ay',
    'gr ay',
    'gray;x',
    'x'.repeat(64),
    'gr\u00e4y',
  ])('rejects %j', (name) => {
    expect(isValidLaneName(name)).toBe(false);
  });
});
