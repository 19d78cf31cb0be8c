import { describe, expect, it } from 'vitest';
import { SlotOrder } from './slot-order.js';

// The slot table keeps small ids in an array and the rest (negative, 2^22 and up) in a Map: both kinds must
// allocate, retire, list and key alike.
describe('SlotOrder', () => {
  it('allocates lowest free slots for any 32-bit id and lists them by id', () => {
    const slots = new SlotOrder();
    const ids = [5, -3, 2 ** 31 - 1, 0, 4_194_304, 4_194_303, -(2 ** 31)];
    slots.begin(
      ids.map((id) => ({ id })),
      [],
    );
    slots.end();
    expect(ids.map((id) => slots.slotOf(id))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(slots.entries()).toEqual(
      [...ids].sort((a, b) => a - b).map((id) => [id, ids.indexOf(id)] as [number, number]),
    );
    // Despawned ids keep their slots as the removal key until the tick ends; then the slots are free again.
    slots.begin([{ id: 7 }], [-3, 4_194_304]);
    expect(slots.slotOf(-3)).toBe(-1);
    expect(slots.key(-3, true)).toBe(1);
    expect(slots.key(4_194_304, true)).toBe(4);
    expect(slots.key(4_194_304, false)).toBe(2 ** 32 + 4_194_304);
    expect(slots.slotOf(7)).toBe(7);
    slots.end();
    slots.begin([{ id: 9 }, { id: -8 }, { id: 6_000_000 }], []);
    slots.end();
    expect([9, -8, 6_000_000].map((id) => slots.slotOf(id))).toEqual([1, 4, 8]);
    const reloaded = new SlotOrder();
    reloaded.load(slots.entries());
    expect(reloaded.entries()).toEqual(slots.entries());
    reloaded.begin([{ id: 1 }], []);
    expect(reloaded.slotOf(1)).toBe(9);
  });
});
