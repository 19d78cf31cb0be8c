import { describe, expect, it } from 'vitest';
import { emptyMoves, pushEvent } from '../model/columns.js';
import { MemoryTrace } from '../model/memory-trace.js';
import { tickRecord, watchingSpawn } from '../model/test-support/tick-records.js';
import { causalChain } from './causal-chain.js';
import { eventsOf } from './events-of.js';
import { findEvent } from './find-event.js';
import { expectInvalidArgument } from './test-support/expect-trace-error.js';
import { HAND_SCRIPT, randomScript, runScript } from './test-support/scenarios.js';
import { SeekableMemoryTrace } from './test-support/seekable-memory-trace.js';

const hand = runScript(HAND_SCRIPT);

describe('findEvent', () => {
  it('finds every event as eventsOf lists it, with or without seeking', () => {
    const run = runScript(randomScript(51, { entities: 20, ticks: 40 }));
    const seekable = new SeekableMemoryTrace(run.trace, 8);
    const all = [...eventsOf(run.trace)];
    for (const id of [0, 1, Math.floor(all.length / 2), all.length - 1]) {
      expect(findEvent(run.trace, id)).toEqual(all[id]);
      expect(findEvent(seekable, id)).toEqual(all[id]);
    }
    expect(seekable.seeks).toBeGreaterThan(0);
  });

  it('rejects ids past the last event', () => {
    expectInvalidArgument(() => findEvent(hand.trace, 11), /event 11 does not exist: the trace has events 0\.\.10/);
    expectInvalidArgument(() => findEvent(hand.trace, -1), /eventId must be an integer >= 0/);
    const quiet = new MemoryTrace(hand.trace.header, [hand.trace.records[0]!]);
    expectInvalidArgument(() => causalChain(quiet, 0), /the trace has no events/);
  });
});

describe('causalChain', () => {
  it('links an enter to the message that moved the target, its sender, the geometry and the pair before', () => {
    const chain = causalChain(hand.trace, 5);
    const tick6 = hand.trace.records[6]!;
    expect(chain.event).toMatchObject({ id: 5, kind: 'enter', watcher: 1, target: 2, tick: 6 });
    expect(chain.tickSpan).toEqual(tick6.span);
    expect(chain.causes).toHaveLength(1);
    expect(chain.causes[0]).toMatchObject({ name: 'move-request', entity: 2, parent: { spanId: 'b7ad6b7169203331' } });
    expect(chain.changes).toEqual([
      { entity: 2, role: 'target', change: 'move', messageIndex: 0, message: tick6.messages[0] },
    ]);
    expect(chain.geometry.distanceBefore).toBe(30);
    expect(chain.geometry.distanceAfter).toBe(2);
    expect(chain.geometry.watcher).toMatchObject({ id: 1, before: { x: 0, y: 0 }, viewRadius: 10, leaveRadius: 10 });
    expect(chain.geometry.target).toMatchObject({ before: { x: 30, y: 0 }, after: { x: 2, y: 0 } });
    expect(chain.previous).toEqual({ eventId: 2, tick: 3, kind: 'exit' });
    expect(chain.steps[0]).toBe('before: exit #2 at tick 3');
    expect(chain.steps[1]).toMatch(
      /^message 'move-request' \(span 0af7651916cd43dd8448eb211c80319c\/[0-9a-f]{16}, sent from span 0af7651916cd43dd8448eb211c80319c\/b7ad6b7169203331\) -> target 2: move to \(2, 0\)$/,
    );
    expect(chain.steps[2]).toMatch(
      /^tick 6 \(span [0-9a-f]{32}\/[0-9a-f]{16}\): distance 2 \(was 30\); watcher 1 view radius 10, leave radius 10$/,
    );
    expect(chain.steps.at(-1)).toBe('=> enter #5: watcher 1, target 2');
  });

  it('explains exits caused by a despawn, and a first event without a message', () => {
    const exit = causalChain(hand.trace, 9);
    expect(exit.changes).toEqual([{ entity: 1, role: 'watcher', change: 'despawn', messageIndex: -1, message: null }]);
    expect(exit.previous).toEqual({ eventId: 4, tick: 4, kind: 'enter' });
    expect(exit.steps.at(-1)).toBe('=> exit #9: watcher 1, target 3');
    const first = causalChain(hand.trace, 0);
    expect(first.previous).toBeNull();
    expect(first.causes).toEqual([]);
    expect(first.steps).toContain('target 2: move to (8, 0) (no message recorded)');
    // The reverse direction is another pair: the previous event of (2,1) is its exit at tick 3, not #5 = (1,2).
    expect(causalChain(hand.trace, 6).previous).toEqual({ eventId: 3, tick: 3, kind: 'exit' });
  });

  it('flags an event the recorded geometry does not explain', () => {
    const moves = emptyMoves();
    const events = { count: 0, kinds: new Uint8Array(0), watchers: new Int32Array(0), targets: new Int32Array(0) };
    pushEvent(events, 0, 1, 2);
    const trace = new MemoryTrace(hand.trace.header, [
      tickRecord(0, { spawns: [watchingSpawn(1, 0), watchingSpawn(2, 50)], moves, events }),
    ]);
    const chain = causalChain(trace, 0);
    expect(chain.geometry.distanceAfter).toBe(50);
    expect(chain.tickSpan).toBeNull();
    expect(chain.steps.at(-1)).toBe(
      '=> enter #0: watcher 1, target 2 (unexpected: distance is beyond the view radius)',
    );
  });
});
