import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../config.js';
import type { GatewayEvent, LaneLeakEvent } from '../events.js';
import { LeakTracker, mergeLeakCounts } from './leak-tracker.js';

const LANES = { default: { replicas: [] }, gray: { replicas: [] }, blue: { replicas: [] } };

function tracker(leaks: Record<string, unknown> = {}): { leaks: LeakTracker; events: GatewayEvent[] } {
  const config = parseGatewayConfig({
    listen: { port: 0 },
    admin: { port: 0 },
    leaks,
    services: {
      a: { match: { pathPrefix: '/a' }, lanes: LANES },
      b: { match: { pathPrefix: '/b' }, lanes: LANES },
      c: { match: { pathPrefix: '/c' }, lanes: LANES },
    },
  });
  const events: GatewayEvent[] = [];
  return { leaks: new LeakTracker(config, (e) => events.push(e)), events };
}

const traceparent = (n: number) => `00-${n.toString(16).padStart(32, '0')}-00f067aa0ba902b7-01`;
const TP = traceparent(0x4bf92f3577b3);

describe('LeakTracker', () => {
  it('counts a hop that arrives without the lane once, from the previous hop to this one', () => {
    const { leaks, events } = tracker();
    leaks.observe(TP, 'gray', 'a');
    leaks.observe(TP, 'gray', 'b');
    leaks.observe(TP, undefined, 'c');
    leaks.observe(TP, undefined, 'd'); // a consequence of the same leak, not a new one
    expect(leaks.snapshot()).toEqual([{ from: 'b', to: 'c', lane: 'gray', count: 1 }]);
    expect(events).toEqual([
      expect.objectContaining({ event: 'lane-leak', traceId: TP.slice(3, 35), from: 'b', to: 'c', lane: 'gray' }),
    ]);
  });

  it('counts a hop that carries another lane, and names that lane in the log', () => {
    const { leaks, events } = tracker();
    leaks.observe(TP, 'gray', 'a');
    leaks.observe(TP, 'blue', 'b');
    expect(leaks.snapshot()).toEqual([{ from: 'a', to: 'b', lane: 'gray', count: 1 }]);
    expect((events[0] as LaneLeakEvent).carried).toBe('blue');
  });

  it('sees no leak when every hop carries the lane, nor in untagged or default chains', () => {
    const { leaks } = tracker();
    for (const service of ['a', 'b', 'c']) leaks.observe(TP, 'gray', service);
    const untraced = traceparent(7);
    leaks.observe(untraced, undefined, 'a');
    leaks.observe(untraced, 'gray', 'b'); // the chain entered the lane here: from now on it is a gray chain
    leaks.observe(traceparent(8), 'default', 'a');
    leaks.observe(traceparent(8), undefined, 'b');
    expect(leaks.snapshot()).toEqual([]);
    expect(leaks.tracked).toBe(2);
  });

  it('ignores invalid and all-zero trace ids, and lanes no service has', () => {
    const { leaks } = tracker();
    for (const bad of [`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`, 'junk', [TP, TP]]) {
      leaks.observe(bad, 'gray', 'a');
      leaks.observe(bad, undefined, 'b');
    }
    leaks.observe(TP, 'made-up', 'a');
    leaks.observe(TP, undefined, 'b');
    expect(leaks.snapshot()).toEqual([]);
    expect(leaks.tracked).toBe(0);
  });

  it('does nothing when disabled', () => {
    const { leaks } = tracker({ enabled: false });
    leaks.observe(TP, 'gray', 'a');
    leaks.observe(TP, undefined, 'b');
    expect(leaks.snapshot()).toEqual([]);
    expect(leaks.tracked).toBe(0);
  });

  it('forgets a trace after ttlMs', () => {
    const { leaks } = tracker({ ttlMs: 1000 });
    leaks.observe(TP, 'gray', 'a', 0);
    leaks.observe(TP, undefined, 'b', 1001);
    expect(leaks.snapshot()).toEqual([]);
  });

  it('remembers at most maxTraces traces', () => {
    const { leaks } = tracker({ maxTraces: 100 });
    for (let i = 1; i <= 10_000; i++) leaks.observe(traceparent(i), 'gray', 'a');
    expect(leaks.tracked).toBe(100);
    leaks.observe(traceparent(1), undefined, 'b'); // long forgotten
    leaks.observe(traceparent(10_000), undefined, 'b');
    expect(leaks.snapshot()).toEqual([{ from: 'a', to: 'b', lane: 'gray', count: 1 }]);
  });

  it('logs at most 10 lines a second and says how many it left out', () => {
    const { leaks, events } = tracker();
    for (let i = 1; i <= 25; i++) {
      leaks.observe(traceparent(i), 'gray', 'a', 5000);
      leaks.observe(traceparent(i), undefined, 'b', 5000);
    }
    expect(events).toHaveLength(10);
    leaks.observe(traceparent(99), 'gray', 'a', 6000);
    leaks.observe(traceparent(99), undefined, 'b', 6000);
    expect(events).toHaveLength(11);
    expect((events[10] as LaneLeakEvent).suppressed).toBe(15);
    expect(leaks.snapshot()[0]!.count).toBe(26);
  });

  it('adds up the counts of several processes', () => {
    const one = { from: 'b', to: 'c', lane: 'gray', count: 2 };
    const merged = mergeLeakCounts([
      [one],
      [
        { ...one, count: 3 },
        { ...one, lane: 'blue', count: 1 },
      ],
    ]);
    expect(merged).toEqual([
      { ...one, count: 5 },
      { ...one, lane: 'blue', count: 1 },
    ]);
  });
});
