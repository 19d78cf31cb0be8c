import { AoiWorld } from '@lanes/aoi';
import { describe, expect, it } from 'vitest';
import { MemoryTrace } from '../model/memory-trace.js';
import { regionOf, spatialHash } from '../model/region.js';
import { recordWorld } from '../record/recorder.js';
import { eventsOf } from './events-of.js';
import { expectInvalidArgument } from './test-support/expect-trace-error.js';
import { HAND_SCRIPT, randomScript, runScript } from './test-support/scenarios.js';
import { SeekableMemoryTrace } from './test-support/seekable-memory-trace.js';

const hand = runScript(HAND_SCRIPT);

describe('eventsOf', () => {
  it('lists every event the engine delivered, in order, with consecutive ids', () => {
    const run = runScript(randomScript(11, { entities: 30, ticks: 50 }));
    const events = [...eventsOf(run.trace)];
    expect(run.truth.length).toBeGreaterThan(50);
    expect(events.map((e) => [e.tick, e.kind, e.watcher, e.target])).toEqual(
      run.truth.map((e) => [e.tick, e.kind, e.watcher, e.target]),
    );
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i));
    const times = new Map(run.trace.records.map((r) => [r.tick, r.time]));
    for (const e of events) expect(e.time).toBe(times.get(e.tick));
  });

  it("derives the seed's fields from the target's positions before and after the tick", () => {
    const [teleportExit] = [...eventsOf(hand.trace, { from: 3, to: 3, watcher: 1 })];
    // Target 2 went from (4,0) to (30,0) with regions of 16.
    expect(teleportExit).toMatchObject({
      id: 2,
      kind: 'exit',
      watcher: 1,
      target: 2,
      tick: 3,
      oldRegion: [0, 0, 16, 16],
      newRegion: [16, 0, 16, 16],
      spatialHash: spatialHash(30, 0, 16),
      tags: ['unit'],
    });
    expect(teleportExit!.tickSpan).toEqual(hand.trace.records[3]!.span);
    expect(teleportExit!.newRegion).toEqual(regionOf(30, 0, 16));
    // A target removed in the tick keeps its last place.
    const removal = [...eventsOf(hand.trace, { from: 7, target: 1 })];
    expect(removal.map((e) => [e.id, e.newRegion])).toEqual([[10, [0, 0, 16, 16]]]);
  });

  it('filters by watcher, target, entity, kinds and range', () => {
    const ids = (filter: Parameters<typeof eventsOf>[1]) => [...eventsOf(hand.trace, filter)].map((e) => e.id);
    expect(ids({ watcher: 2 })).toEqual([1, 3, 6, 7, 10]);
    expect(ids({ target: 3 })).toEqual([4, 7, 9]);
    expect(ids({ entity: 3 })).toEqual([4, 7, 9]);
    expect(ids({ entity: 1, kinds: ['exit'] })).toEqual([2, 3, 8, 9, 10]);
    expect(ids({ from: 4, to: 6 })).toEqual([4, 5, 6, 7]);
    expect(ids({ watcher: 1, target: 2, from: 2 })).toEqual([2, 5, 8]);
  });

  it('gives the same events from a seekable input, reading only the requested ticks', () => {
    const run = runScript(randomScript(12, { entities: 20, ticks: 40 }));
    const seekable = new SeekableMemoryTrace(run.trace, 8);
    const direct = [...eventsOf(run.trace, { from: 30 })];
    const sought = [...eventsOf(seekable, { from: 30 })];
    expect(sought).toEqual(direct);
    expect(direct.length).toBeGreaterThan(0);
    expect(seekable.seeks).toBe(1);
    expect(seekable.yielded).toBeLessThanOrEqual(10 + 2);
  });

  it('lists move events of an engine that sends them, and filters them by kind', () => {
    const world = new AoiWorld({ mode: 'batched', moveEvents: true });
    const trace = new MemoryTrace();
    const recorder = recordWorld(world, trace, { regionSize: 16 });
    world.add(1, { x: 12, y: 0, viewRadius: 10 });
    world.add(2, { x: 14, y: 0, viewRadius: 10 });
    recorder.tick();
    world.move(2, 18, 0);
    recorder.tick();
    world.move(2, 40, 0);
    recorder.tick();
    const moves = [...eventsOf(trace, { kinds: ['move'] })];
    // Only 2 moved, staying in 1's view: one move event, with the target crossing into the next region.
    expect(moves.map((e) => [e.tick, e.watcher, e.target, e.oldRegion, e.newRegion])).toEqual([
      [1, 1, 2, [0, 0, 16, 16], [16, 0, 16, 16]],
    ]);
    expect([...eventsOf(trace, { kinds: ['enter', 'exit'] })].map((e) => [e.tick, e.kind])).toEqual([
      [0, 'enter'],
      [0, 'enter'],
      [2, 'exit'],
      [2, 'exit'],
    ]);
  });

  it('rejects bad filters and entities that never appear', () => {
    expectInvalidArgument(
      () => eventsOf(hand.trace, { from: 20 }),
      /filter 20\.\. is outside the trace, which has ticks 0\.\.8/,
    );
    expectInvalidArgument(
      () => eventsOf(hand.trace, { from: 5, to: 2 }),
      /filter\.from \(5\) is after filter\.to \(2\)/,
    );
    expectInvalidArgument(() => eventsOf(hand.trace, { watcher: -3 }), /filter\.watcher must be an integer/);
    expectInvalidArgument(() => eventsOf(hand.trace, { kinds: ['leave' as 'exit'] }), /unknown kind 'leave'/);
    // Only known once the ticks have been read: thrown at the end of the iteration.
    const lazy = eventsOf(hand.trace, { entity: 42, from: 1, to: 5 });
    expectInvalidArgument(() => [...lazy], /entity 42 never appears in ticks 1\.\.5/);
    // Entity 1 was removed at tick 7: it does not appear in 8..8.
    expectInvalidArgument(
      () => [...eventsOf(hand.trace, { watcher: 1, from: 8 })],
      /entity 1 never appears in ticks 8\.\.8/,
    );
    // A chest that nobody sees and that does not move in the range still appears: it is alive.
    expect([...eventsOf(hand.trace, { entity: 3, from: 1, to: 3 })]).toEqual([]);
  });
});
