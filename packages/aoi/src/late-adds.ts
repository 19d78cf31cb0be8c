import { cellHash } from './hash-grid.js';
import { VisitStamps } from './visit-stamps.js';

/**
 * Entities added since the grid's last rebuild, hashed by cell (same edge as the rebuild's cells) into chains, so an
 * add finds the earlier late adds near it without a rebuild. Cleared at every rebuild; a removed entity is unlinked.
 */
export class LateAdds extends VisitStamps {
  count = 0;
  mask = 0;
  /** Per bucket: first slot, -1 for none. */
  head = new Int32Array(0);
  /** Per slot: next slot in its bucket, -1 at the end. */
  next = new Int32Array(0);
  private bucketOf = new Int32Array(0);

  /** Empties the index, sized for about `expected` entries. */
  clear(expected: number): void {
    let size = 64;
    while (size < expected) size *= 2;
    if (this.head.length !== size) {
      this.head = new Int32Array(size);
      this.reset(size);
    }
    this.head.fill(-1);
    this.mask = size - 1;
    this.count = 0;
  }

  insert(slot: number, gx: number, gy: number, capacity: number): void {
    if (this.next.length < capacity) {
      const grow = (old: Int32Array) => {
        const next = new Int32Array(capacity);
        next.set(old);
        return next;
      };
      this.next = grow(this.next);
      this.bucketOf = grow(this.bucketOf);
    }
    const h = cellHash(gx, gy, this.mask);
    this.bucketOf[slot] = h;
    this.next[slot] = this.head[h]!;
    this.head[h] = slot;
    this.count++;
  }

  delete(slot: number): void {
    const h = this.bucketOf[slot]!;
    const { head, next } = this;
    if (head[h] === slot) head[h] = next[slot]!;
    else {
      let s = head[h]!;
      while (s !== -1 && next[s] !== slot) s = next[s]!;
      if (s !== -1) next[s] = next[slot]!;
    }
    this.count--;
  }
}
