import { AoiWorld } from '@lanes/aoi';
import { MemoryTrace, recordWorld, WorldState } from '@lanes/aoi-trace';
import { describe, expect, it } from 'vitest';
import { EntityTable } from '../../client/src/entity-table.js';
import { stateViews, TICK_MAGIC, tickViews } from '../protocol/wire.js';
import { recordHeightScenario } from '../test-support/height-scenario.js';
import { encodeState, encodeTick } from './encode.js';
import { TagTable } from './tag-table.js';

const view = (bytes: Uint8Array) => bytes.buffer as ArrayBuffer;

// Height reaches the browser's table through the wire frames (z, half-heights, vertical moves); a 2D trace's
// frames carry no height columns at all.
describe('viewer wire: height', () => {
  it('carries z and the half-heights from a state and every tick after it, as the engine had them', () => {
    const scenario = recordHeightScenario(6, 8);
    const tags = new TagTable();
    const state = new WorldState();
    const [first, ...rest] = scenario.trace.records;
    state.apply(first!);
    const table = new EntityTable();
    table.load(stateViews(view(encodeState(state, tags))));
    for (const record of rest) table.apply(tickViews(view(encodeTick(record, tags))));
    const last = scenario.positions.at(-1)!;
    for (const id of scenario.ids) {
      const slot = table.slots.get(id)!;
      expect(table.height!.zs[slot], `z of ${id}`).toBe(last.get(id)!.z);
    }
    const walker = table.slots.get(0)!;
    expect([table.height!.viewHeights[walker], table.height!.leaveHeights[walker]]).toEqual([8, 10]);
    // The flyer has no vertical limit: Infinity on the wire.
    expect(table.height!.viewHeights[table.slots.get(scenario.flyer)!]).toBe(Number.POSITIVE_INFINITY);
    expect(last.get(scenario.flyer)!.z).toBeGreaterThan(scenario.floors.at(-1)!);
  });

  it('sends a 2D trace without height columns, and its table has none', () => {
    const world = new AoiWorld({ mode: 'batched' });
    const trace = new MemoryTrace();
    const recorder = recordWorld(world, trace, { now: () => 0 });
    for (let id = 1; id <= 3; id++) world.add(id, { x: id, y: 0, viewRadius: 5 });
    recorder.tick();
    world.move(1, 2, 2);
    world.add(9, { x: 4, y: 4, viewRadius: 5 });
    recorder.tick();
    const tags = new TagTable();
    const state = new WorldState();
    state.apply(trace.records[0]!);
    const bytes = encodeState(state, tags);
    // The frames of before height: a version 1 state of 24 + 7 x 4 bytes per entity, 'AVTK' ticks.
    expect(bytes.length).toBe(24 + 3 * 28);
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(1);
    const tickBytes = encodeTick(trace.records[1]!, tags);
    expect(new DataView(tickBytes.buffer).getUint32(4, true)).toBe(TICK_MAGIC);
    const table = new EntityTable();
    table.load(stateViews(view(bytes)));
    const tick = tickViews(view(tickBytes));
    expect([tick.spawnHeight, tick.updateHeight]).toEqual([undefined, undefined]);
    table.apply(tick);
    expect(table.height).toBeUndefined();
    expect(table.count).toBe(4);
  });
});
