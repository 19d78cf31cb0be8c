import { AoiWorld } from '@lanes/aoi';
import { describe, expect, it } from 'vitest';
import { MemoryTrace } from '../model/memory-trace.js';
import { WorldState } from '../model/world-state.js';
import { recordWorld } from './recorder.js';

const clock = () => {
  let t = 1_000;
  return () => t++;
};

describe('TraceRecorder', () => {
  it('records spawns, moves, updates, despawns and the engine events of each tick', () => {
    const world = new AoiWorld({ mode: 'batched' });
    const trace = new MemoryTrace();
    const recorder = recordWorld(world, trace, { tagNames: ['player', 'npc'], now: clock() });
    world.add(1, { x: 0, y: 0, viewRadius: 10, tags: 1 });
    world.add(2, { x: 5, y: 0, viewRadius: 10, tags: 2 });
    recorder.tick();
    world.move(2, 50, 0);
    world.move(2, 60, 0);
    world.setRadius(1, 20, 30);
    recorder.tick();
    world.remove(1);
    recorder.tick();
    recorder.close();

    const [t0, t1, t2] = trace.records;
    expect(t0!.spawns.map((s) => [s.id, s.tags])).toEqual([
      [1, ['player']],
      [2, ['npc']],
    ]);
    expect(Array.from(t0!.events.kinds.subarray(0, t0!.events.count))).toEqual([0, 0]);
    // Two moves of one entity in a tick are one move to its final place.
    expect(t1!.moves.count).toBe(1);
    expect([t1!.moves.ids[0], t1!.moves.xs[0]]).toEqual([2, 60]);
    expect(t1!.updates[0]).toMatchObject({ id: 1, viewRadius: 20, leaveRadius: 30 });
    expect(t1!.eventBase).toBe(2);
    expect(t2!.despawns).toEqual([1]);
    expect(t2!.time).toBeGreaterThan(t1!.time);
    expect(t1!.span!.traceId).toBe(t0!.span!.traceId);
    expect(t1!.span!.spanId).not.toBe(t0!.span!.spanId);
  });

  it('replays into the same view sets as the engine', () => {
    const world = new AoiWorld({ mode: 'batched' });
    const trace = new MemoryTrace();
    const recorder = recordWorld(world, trace);
    for (let id = 0; id < 30; id++) world.add(id, { x: id * 3, y: (id * 7) % 11, viewRadius: 8, leaveRadius: 10 });
    recorder.tick();
    for (let step = 1; step <= 20; step++) {
      for (let id = 0; id < 30; id += 2) world.move(id, id * 3 + step * ((id % 3) - 1), (id * 7 + step) % 11);
      if (step === 10) world.remove(5);
      recorder.tick();
    }
    const state = new WorldState();
    for (const record of trace.ticks()) state.apply(record);
    for (let id = 0; id < 30; id++) {
      if (id === 5) expect(state.entities.has(5)).toBe(false);
      else expect(state.viewOf(id)).toEqual(world.viewOf(id));
    }
  });

  it('attributes changes to the message being handled and keeps its sender as parent', () => {
    const world = new AoiWorld({ mode: 'batched' });
    const trace = new MemoryTrace();
    const recorder = recordWorld(world, trace);
    world.add(1, { x: 0, y: 0, viewRadius: 10 });
    const sender = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const span = recorder.beginMessage('move-request', { entity: 1, traceparent: sender });
    world.move(1, 3, 4);
    recorder.endMessage();
    world.add(2, { x: 1, y: 1 });
    const record = recorder.endTick();
    expect(span.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(record.messages[0]).toMatchObject({
      name: 'move-request',
      entity: 1,
      parent: { spanId: 'b7ad6b7169203331' },
    });
    expect(record.spawns.find((s) => s.id === 1)!.cause).toBe(-1);
    expect(record.moves.causes[0]).toBe(0);
    expect(record.spawns.find((s) => s.id === 2)!.cause).toBe(-1);
  });

  it('costs the engine nothing once closed: no more records', () => {
    const world = new AoiWorld({ mode: 'batched' });
    const trace = new MemoryTrace();
    const recorder = recordWorld(world, trace);
    world.add(1, { x: 0, y: 0 });
    recorder.tick();
    recorder.close();
    world.move(1, 5, 5);
    world.tick();
    expect(trace.records).toHaveLength(1);
    expect(() => recorder.endTick()).toThrow(/closed/);
  });
});
