import type { DirtySet } from './algorithm.js';

/** The world's {@link DirtySet}: the slots changed since the last update, each listed once. */
export class DirtyList implements DirtySet {
  slots = new Int32Array(0);
  count = 0;
  flag = new Uint8Array(0);
  moved = new Uint8Array(0);

  /** Lists `slot` (once); `moved`: its position changed. */
  mark(slot: number, moved: boolean): void {
    if (this.flag[slot] === 0) {
      this.flag[slot] = 1;
      this.slots[this.count++] = slot;
    }
    if (moved) this.moved[slot] = 1;
  }

  /** Room for `capacity` slots, keeping what is listed. */
  grow(capacity: number): void {
    const slots = new Int32Array(capacity);
    slots.set(this.slots.subarray(0, this.count));
    const flag = new Uint8Array(capacity);
    flag.set(this.flag);
    const moved = new Uint8Array(capacity);
    moved.set(this.moved);
    this.slots = slots;
    this.flag = flag;
    this.moved = moved;
  }

  /** Empties the list after an update (slots below `end`). */
  clear(end: number): void {
    if (this.count * 4 >= end) {
      // Most slots dirty (every entity moved): two memsets beat a pass over the dirty list.
      this.flag.fill(0, 0, end);
      this.moved.fill(0, 0, end);
    } else {
      for (let i = 0; i < this.count; i++) {
        const slot = this.slots[i]!;
        this.flag[slot] = 0;
        this.moved[slot] = 0;
      }
    }
    this.count = 0;
  }
}
