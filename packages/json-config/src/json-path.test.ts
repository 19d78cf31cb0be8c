import { describe, expect, it } from 'vitest';
import { childPath, isPathWithin } from './json-path.js';

describe('childPath', () => {
  it('joins plain names with dots and indexes with brackets', () => {
    expect(childPath('', 'services')).toBe('services');
    expect(childPath('services', 'shop')).toBe('services.shop');
    expect(childPath('services.shop.replicas', 0)).toBe('services.shop.replicas[0]');
    expect(childPath('', 0)).toBe('[0]');
  });

  it('quotes a key that is not a plain word', () => {
    expect(childPath('env', 'A B')).toBe('env["A B"]');
    expect(childPath('lanes', 'a.b')).toBe('lanes["a.b"]');
    expect(childPath('', 'x"y')).toBe('["x\\"y"]');
  });
});

describe('isPathWithin', () => {
  it.each([
    ['services.shop.match', 'services.shop.match', true],
    ['services.shop.match.hosts[0]', 'services.shop.match', true],
    ['carriers[1]', 'carriers', true],
    ['anything', '', true],
    ['services.shop.matcher', 'services.shop.match', false],
    ['services.shop', 'services.shop.match', false],
  ])('%j within %j: %s', (path, parent, expected) => {
    expect(isPathWithin(path, parent)).toBe(expected);
  });
});
