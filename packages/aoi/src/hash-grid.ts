// Hot loops over typed arrays: every index is bounded by a count kept beside the arrays, so the non-null assertion
// on an indexed read states that invariant (noUncheckedIndexedAccess) instead of a check per element in inner loops.
import type { EntityStore } from './entity-store.js';
import { VisitStamps } from './visit-stamps.js';

/** Hash of cell (gx, gy); neighbouring cells rarely collide, and a collision only adds candidates. */
export function cellHash(gx: number, gy: number, mask: number): number {
  return (Math.imul(gx, 0x9e3779b1) ^ Math.imul(gy, 0x85ebca77)) & mask;
}

/**
 * A uniform grid without bounds: cells are hashed into a power-of-two table and the live slots are counting-sorted
 * into buckets, so a bucket's slots are contiguous in `items`. Built from scratch, in O(n), when needed.
 */
export class HashGrid extends VisitStamps {
  cellSize = 1;
  mask = 0;
  start = new Int32Array(2);
  items = new Int32Array(0);
  private bucketOf = new Int32Array(0);

  build(store: EntityStore, cellSize: number): void {
    const { alive, x, y } = store;
    const end = store.end;
    let size = 16;
    while (size < store.count * 2) size *= 2;
    if (this.start.length < size + 1) {
      this.start = new Int32Array(size + 1);
      this.reset(size);
    }
    if (this.items.length < store.count) this.items = new Int32Array(Math.max(store.count, this.items.length * 2));
    if (this.bucketOf.length < end) this.bucketOf = new Int32Array(Math.max(end, this.bucketOf.length * 2));
    const mask = size - 1;
    const { start, items, bucketOf } = this;
    start.fill(0, 0, size + 1);
    for (let s = 0; s < end; s++) {
      if (alive[s] === 0) continue;
      const h = cellHash(Math.floor(x[s]! / cellSize), Math.floor(y[s]! / cellSize), mask);
      bucketOf[s] = h;
      start[h + 1]!++;
    }
    for (let h = 0; h < size; h++) start[h + 1]! += start[h]!;
    for (let s = 0; s < end; s++) {
      if (alive[s] === 0) continue;
      items[start[bucketOf[s]!]!++] = s;
    }
    for (let h = size; h > 0; h--) start[h] = start[h - 1]!;
    start[0] = 0;
    this.cellSize = cellSize;
    this.mask = mask;
  }
}
