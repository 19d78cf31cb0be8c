import { describe, expect, it } from 'vitest';
import { TickTransitions } from './tick-transitions.js';

describe('TickTransitions', () => {
  it('keeps what a Map of Maps kept through growth: the last kind per pair, set order, one match each', () => {
    const list = new TickTransitions();
    const reference = new Map<string, 0 | 1>();
    // Enough pairs to grow the table and the ordered lists several times, with repeats and negative ids.
    for (let i = 0; i < 20_000; i++) {
      const watcher = ((i * 7919) % 3001) - 1000;
      const target = (i * 104_729) % 4999;
      const kind = (i % 3 === 0 ? 1 : 0) as 0 | 1;
      list.set(watcher, target, kind);
      reference.set(`${watcher}:${target}`, kind);
    }
    const order: string[] = [];
    for (let e = 0; e < list.count; e++) {
      order.push(`${list.watcher(e)}:${list.target(e)}`);
      expect(list.kind(e)).toBe(reference.get(`${list.watcher(e)}:${list.target(e)}`));
    }
    expect(order).toEqual([...reference.keys()]);
    const [first] = reference;
    const [w, t] = first![0].split(':').map(Number) as [number, number];
    expect(list.take(w, t, 1 - first![1])).toBe(false);
    expect(list.take(w, t, first![1])).toBe(true);
    expect(list.take(w, t, first![1])).toBe(false);
    expect(list.isMatched(0)).toBe(true);
    expect(list.take(123_456, 1, 0)).toBe(false);
    list.clear();
    expect(list.count).toBe(0);
    expect(list.take(w, t, first![1])).toBe(false);
    list.set(w, t, 0);
    expect(list.isMatched(0)).toBe(false);
    // A quiet tick after a big one gives the table back its small size: still the same answers.
    list.clear();
    for (let i = 0; i < 100; i++) list.set(i, i + 1, 1);
    expect(list.take(50, 51, 1)).toBe(true);
    expect(list.take(w, t, 0)).toBe(false);
    expect(list.count).toBe(100);
  });
});
