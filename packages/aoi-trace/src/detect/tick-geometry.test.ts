import { describe, expect, it } from 'vitest';
import { spawnedEntity, WorldState } from '../model/world-state.js';
import { TickGeometry } from './tick-geometry.js';

/** Every entity on the x axis at x = id. */
const ON_AXIS = { y: 0, viewRadius: 10, leaveRadius: 12, watcher: true, marker: true, tags: [], cause: -1 };

function world(ids: number[]): WorldState {
  const state = new WorldState();
  for (const id of ids) state.entities.set(id, spawnedEntity({ ...ON_AXIS, id, x: id }, 0));
  return state;
}

describe('TickGeometry.slotIndex', () => {
  it('finds the live ids of the last load only, small, large and negative', () => {
    const geometry = new TickGeometry(0);
    geometry.load(world([3, 7, 5_000_000, -4]));
    expect([3, 7, 5_000_000, -4].map((id) => geometry.ids[geometry.slotIndex(id)])).toEqual([3, 7, 5_000_000, -4]);
    expect(geometry.slotIndex(4)).toBe(-1);
    // A later load without 3 and 5,000,000 forgets them, and finds 9 (beyond the index's first size).
    geometry.load(world([7, -4, 9, 70_000]));
    expect(geometry.slotIndex(3)).toBe(-1);
    expect(geometry.slotIndex(5_000_000)).toBe(-1);
    expect([7, -4, 9, 70_000].map((id) => geometry.ids[geometry.slotIndex(id)])).toEqual([7, -4, 9, 70_000]);
  });
});
