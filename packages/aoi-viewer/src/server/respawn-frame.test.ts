import { AoiWorld } from '@lanes/aoi';
import { MemoryTrace, recordWorld, WorldState } from '@lanes/aoi-trace';
import { describe, expect, it } from 'vitest';
import { EntityTable } from '../../client/src/entity-table.js';
import { stateViews, tickViews } from '../protocol/wire.js';
import { encodeState, encodeTick } from './encode.js';
import { TagTable } from './tag-table.js';

// A respawn (remove(id) then add(id) in one tick) reaches the browser as a spawn of a live id: the client's table
// must replace the entity, not keep the old one as a ghost beside it.
describe('viewer: a respawn in a tick frame', () => {
  it('replaces the entity in the client table', () => {
    const world = new AoiWorld({ mode: 'batched' });
    const trace = new MemoryTrace();
    const recorder = recordWorld(world, trace, { now: () => 0 });
    for (let id = 1; id <= 3; id++) world.add(id, { x: id, y: 0, viewRadius: 5 });
    recorder.tick();
    world.remove(2);
    world.add(2, { x: 40, y: 0, viewRadius: 9 });
    recorder.tick();
    const [first, second] = trace.records;
    expect(second!.spawns[0]).toMatchObject({ id: 2, respawn: true });

    const tags = new TagTable();
    const state = new WorldState();
    state.apply(first!);
    const table = new EntityTable();
    const stateBytes = encodeState(state, tags);
    table.load(stateViews(stateBytes.buffer as ArrayBuffer, stateBytes.byteOffset));
    const tickBytes = encodeTick(second!, tags);
    table.apply(tickViews(tickBytes.buffer as ArrayBuffer, tickBytes.byteOffset));

    expect(table.count).toBe(3);
    expect([...table.ids.subarray(0, table.count)].sort()).toEqual([1, 2, 3]);
    const slot = table.slots.get(2)!;
    expect([table.xs[slot], table.viewRadii[slot]]).toEqual([40, 9]);
  });
});
