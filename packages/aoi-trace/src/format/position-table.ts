// Per-entity prediction state shared by the encoder and the decoder: the last stored quantized position and the
// last step (velocity), in flat typed arrays indexed by a slot. Ids below DIRECT_IDS map to slots through an array,
// others through a Map, so the hot path does no hashing for ordinary ids and no allocation per move.

const DIRECT_IDS = 1 << 22;

export class PositionTable {
  /** Slot of id + 1 (0 = none), for ids in [0, DIRECT_IDS). */
  private direct = new Int32Array(1024);
  private readonly far = new Map<number, number>();
  private readonly freeSlots: number[] = [];
  qx = new Float64Array(1024);
  qy = new Float64Array(1024);
  vx = new Float64Array(1024);
  vy = new Float64Array(1024);
  private slotCount = 0;
  size = 0;

  /** The slot of `id`, or -1. */
  slotOf(id: number): number {
    if (id >= 0 && id < DIRECT_IDS) return id < this.direct.length ? this.direct[id]! - 1 : -1;
    return this.far.get(id) ?? -1;
  }

  /** Adds `id` (which must be absent) at a quantized position with zero velocity; returns its slot. */
  add(id: number, qx: number, qy: number): number {
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.slotCount++;
      if (slot >= this.qx.length) this.growSlots();
    }
    if (id >= 0 && id < DIRECT_IDS) {
      if (id >= this.direct.length) this.growDirect(id);
      this.direct[id] = slot + 1;
    } else {
      this.far.set(id, slot);
    }
    this.qx[slot] = qx;
    this.qy[slot] = qy;
    this.vx[slot] = 0;
    this.vy[slot] = 0;
    this.size++;
    return slot;
  }

  remove(id: number): void {
    const slot = this.slotOf(id);
    if (slot < 0) return;
    if (id >= 0 && id < DIRECT_IDS) this.direct[id] = 0;
    else this.far.delete(id);
    this.freeSlots.push(slot);
    this.size--;
  }

  /** Forgets every velocity: after a keyframe, prediction restarts from "stays where it is". */
  resetVelocities(): void {
    this.vx.fill(0);
    this.vy.fill(0);
  }

  clear(): void {
    this.direct = new Int32Array(1024);
    this.far.clear();
    this.freeSlots.length = 0;
    this.slotCount = 0;
    this.size = 0;
  }

  private growSlots(): void {
    const size = this.qx.length * 2;
    const grow = (old: Float64Array) => {
      const next = new Float64Array(size);
      next.set(old);
      return next;
    };
    this.qx = grow(this.qx);
    this.qy = grow(this.qy);
    this.vx = grow(this.vx);
    this.vy = grow(this.vy);
  }

  private growDirect(id: number): void {
    let size = this.direct.length;
    while (size <= id) size *= 2;
    const next = new Int32Array(size);
    next.set(this.direct);
    this.direct = next;
  }
}
