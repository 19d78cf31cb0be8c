import { describe, expect, it } from 'vitest';
import { BoundedLru } from './bounded-lru.js';

describe('BoundedLru', () => {
  it('never holds more than its bound, however many entries go in', () => {
    const lru = new BoundedLru<string, number>(1000);
    let largest = 0;
    for (let i = 0; i < 50_000; i++) {
      lru.set(`trace-${i}`, i);
      largest = Math.max(largest, lru.size);
    }
    expect(largest).toBe(1000);
    expect(lru.get('trace-48999')).toBeUndefined();
    expect(lru.get('trace-49000')).toBe(49000);
    expect(lru.get('trace-49999')).toBe(49999);
  });

  it('forgets the least recently used first: a read keeps an entry', () => {
    const lru = new BoundedLru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
  });

  it('drops the oldest entries at once when shrunk', () => {
    const lru = new BoundedLru<number, number>(10);
    for (let i = 0; i < 10; i++) lru.set(i, i);
    lru.resize(3);
    expect(lru.size).toBe(3);
    expect([lru.get(6), lru.get(7), lru.get(9)]).toEqual([undefined, 7, 9]);
  });
});
