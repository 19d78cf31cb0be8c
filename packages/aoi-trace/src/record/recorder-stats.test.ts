import { AoiWorld } from '@lanes/aoi';
import { describe, expect, it } from 'vitest';
import { MemoryTarget } from '../format/io.js';
import { TraceWriter } from '../format/trace-writer.js';
import { MemoryTrace } from '../model/memory-trace.js';
import { CELL_SIZE_ATTRIBUTE } from './engine-settings.js';
import { recordWorld } from './recorder.js';

describe('TraceRecorder.stats', () => {
  it("counts the open tick's events and changes as backlog until endTick hands them to the sink", () => {
    const world = new AoiWorld({ cellSize: 10 });
    const trace = new MemoryTrace();
    const recorder = recordWorld(world, trace);
    world.add(1, { x: 0, y: 0, viewRadius: 5 });
    world.add(2, { x: 3, y: 4, viewRadius: 5 }); // immediate mode: 1 and 2 see each other at once
    world.move(2, 3, 3);
    expect(recorder.stats()).toMatchObject({ ticks: 0, events: 0, openEvents: 2, openChanges: 3, sink: null });
    recorder.endTick();
    world.remove(1);
    expect(recorder.stats()).toMatchObject({ ticks: 1, events: 2, openEvents: 2, openChanges: 1 }); // two leaves
    recorder.endTick();
    expect(recorder.stats()).toMatchObject({ ticks: 2, events: 4, openEvents: 0, openChanges: 0 });
  });

  it("passes the world's stats through, occupancy and latency included", () => {
    const world = new AoiWorld({ mode: 'batched', cellSize: 10, metrics: true });
    const recorder = recordWorld(world, new MemoryTrace());
    for (const [id, x] of [
      [1, 1],
      [2, 2],
      [3, 25],
    ] as const)
      world.add(id, { x, y: 1, viewRadius: 1 });
    recorder.tick();
    recorder.tick();
    world.move(3, 26, 1);
    const { engine } = recorder.stats();
    expect(engine.occupancy).toEqual({ cellSize: 10, entities: 3, cells: 2, max: 2, mean: 1.5, stdDev: 0.5 });
    expect(engine.pendingChanges).toBe(1);
    expect(engine.latency?.count).toBe(2);
  });

  it("reports the .aoitrace writer's unwritten ticks and chunks", () => {
    const world = new AoiWorld({ mode: 'batched' });
    const writer = new TraceWriter(new MemoryTarget(), { chunkTicks: 4, keyframeInterval: 1000 });
    const recorder = recordWorld(world, writer);
    world.add(1, { x: 0, y: 0 });
    for (let t = 0; t < 3; t++) recorder.tick();
    expect(recorder.stats().sink).toEqual({ ticks: 3, chunks: 0 });
    // The fifth tick closes the first chunk of four (written at once by the inline packer) and opens the next.
    for (let t = 0; t < 2; t++) recorder.tick();
    expect(recorder.stats().sink).toEqual({ ticks: 1, chunks: 0 });
    writer.flush();
    expect(recorder.stats().sink).toEqual({ ticks: 0, chunks: 0 });
    writer.close();
  });

  it('records the engine cell edge in the header when the world knows it, and not otherwise', () => {
    const sized = new MemoryTrace();
    recordWorld(new AoiWorld({ cellSize: 12.5 }), sized);
    expect(sized.header?.attributes[CELL_SIZE_ATTRIBUTE]).toBe('12.5');
    const unsized = new MemoryTrace();
    recordWorld(new AoiWorld(), unsized, { attributes: { lane: 'a' } });
    expect(unsized.header?.attributes).not.toHaveProperty(CELL_SIZE_ATTRIBUTE);
    expect(unsized.header?.attributes.lane).toBe('a');
  });
});
