// Height in the viewer's entity query: z and the vertical half-heights of a recorded height world reach the API (an
// unbounded half-height as null once serialised), and a 2D entity has none.
import { AoiWorld } from '@lanes/aoi';
import { MemoryTrace, recordWorld } from '@lanes/aoi-trace';
import { describe, expect, it } from 'vitest';
import { FileDataSource } from './file-data-source.js';
import { entityDetail } from './queries.js';

describe('entity detail with height', () => {
  it('carries z and the half-heights of the entity at the asked tick', () => {
    const world = new AoiWorld({ mode: 'batched' });
    const trace = new MemoryTrace();
    const recorder = recordWorld(world, trace, { now: () => 0 });
    world.add(1, { x: 0, y: 0, z: 2, viewRadius: 5, viewHeight: 3 });
    recorder.tick();
    world.move(1, 1, 0, 7.5);
    recorder.tick();
    const source = new FileDataSource(trace);
    const first = entityDetail(source, source.stateAt(0), 1, 0, 1).entity;
    const second = entityDetail(source, source.stateAt(1), 1, 0, 1).entity;
    expect(first).toMatchObject({ z: 2, viewHeight: 3, leaveHeight: 3 });
    expect(second).toMatchObject({ x: 1, z: 7.5 });

    const flat = new AoiWorld({ mode: 'batched' });
    const flatTrace = new MemoryTrace();
    const flatRecorder = recordWorld(flat, flatTrace, { now: () => 0 });
    flat.add(1, { x: 0, y: 0, viewRadius: 5 });
    flatRecorder.tick();
    const flatSource = new FileDataSource(flatTrace);
    expect(entityDetail(flatSource, flatSource.stateAt(0), 1, 0, 0).entity).not.toHaveProperty('z');

    world.add(2, { x: 0, y: 0, z: 0 });
    recorder.tick();
    const unbounded = entityDetail(source, source.stateAt(2), 2, 0, 2).entity;
    expect(JSON.parse(JSON.stringify(unbounded))).toMatchObject({ z: 0, viewHeight: null });
  });
});
