// Format 3.1's canonical event order (docs/aoitrace-format.md, "Canonical order (3.1)"): events sort by the slots an
// engine like @lanes/aoi gives the ids, not by the ids. The engine keeps each entity in a slot, takes the lowest free
// slot for an add (a new one past the highest when none is free), and frees a removed entity's slot only after the
// tick's events are delivered (packages/aoi/src/entity-store.ts: allocate, retire, releaseFreed); a tick's events
// are delivered by (watcher slot, target slot, kind), the removed entities' leaves first, named by their old slots
// (event-queue.ts, BatchArrays.fill). Writer and reader replay that allocation from the ticks' spawns (in record
// order, which is the engine's add order) and despawns, so a recording of the engine needs no order record even
// after despawns and respawns; a keyframe stores every entity's slot.

import type { EntitySpawn } from '../model/types.js';

/** Keys of ids that hold no slot sort after every slot, by id (ids are 32-bit: the key stays an exact double). */
const UNSLOTTED = 2 ** 32;
/** Ids below this find their slot in an array (every event's key is looked up twice a tick); others in a Map. */
const DIRECT_IDS = 1 << 22;

/** id -> slot: an array for small ids (slot + 1, 0 = none), a Map for the rest. */
class SlotTable {
  private direct = new Int32Array(1024);
  private readonly far = new Map<number, number>();
  size = 0;

  get(id: number): number | undefined {
    if (id >= 0 && id < DIRECT_IDS) {
      const slot = id < this.direct.length ? this.direct[id]! : 0;
      return slot === 0 ? undefined : slot - 1;
    }
    return this.far.get(id);
  }

  set(id: number, slot: number): void {
    if (id >= 0 && id < DIRECT_IDS) {
      if (id >= this.direct.length) {
        let size = this.direct.length * 2;
        while (size <= id) size *= 2;
        const next = new Int32Array(Math.min(size, DIRECT_IDS));
        next.set(this.direct);
        this.direct = next;
      }
      if (this.direct[id] === 0) this.size++;
      this.direct[id] = slot + 1;
    } else {
      if (!this.far.has(id)) this.size++;
      this.far.set(id, slot);
    }
  }

  delete(id: number): void {
    if (id >= 0 && id < DIRECT_IDS) {
      if (id < this.direct.length && this.direct[id] !== 0) {
        this.direct[id] = 0;
        this.size--;
      }
    } else if (this.far.delete(id)) this.size--;
  }

  clear(): void {
    this.direct.fill(0);
    this.far.clear();
    this.size = 0;
  }

  /** Every [id, slot], ids ascending. */
  entries(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    const { direct } = this;
    for (let id = 0; id < direct.length; id++) if (direct[id] !== 0) out.push([id, direct[id]! - 1]);
    if (this.far.size === 0) return out;
    out.push(...this.far);
    return out.sort((a, b) => a[0] - b[0]);
  }

  values(): number[] {
    return this.entries().map(([, slot]) => slot);
  }
}

export class SlotOrder {
  private readonly slots = new SlotTable();
  /** Free slots below `high`, a binary min-heap. */
  private free: number[] = [];
  private high = 0;
  /** Slots of the ids removed in the tick begun, before the tick: the removal leaves sort by them. */
  private readonly before = new Map<number, number>();
  private retiring: number[] = [];

  clear(): void {
    this.slots.clear();
    this.before.clear();
    this.free = [];
    this.retiring = [];
    this.high = 0;
  }

  /** Positions the table on a keyframe's slots (distinct, checked by the keyframe's reader). */
  load(entries: Iterable<readonly [id: number, slot: number]>): void {
    this.clear();
    for (const [id, slot] of entries) {
      this.slots.set(id, slot);
      if (slot >= this.high) this.high = slot + 1;
    }
    const used = new Uint8Array(this.high);
    for (const slot of this.slots.values()) used[slot] = 1;
    for (let slot = 0; slot < this.high; slot++) if (used[slot] === 0) this.free.push(slot);
  }

  /** Every live id's slot, ids ascending (what a keyframe stores). */
  entries(): Array<[number, number]> {
    return this.slots.entries();
  }

  /** Slot of a live id, or -1. */
  slotOf(id: number): number {
    return this.slots.get(id) ?? -1;
  }

  /** The tick's spawns (respawns retire the old entity's slot first) and despawns, as the engine applies them. */
  begin(spawns: readonly Pick<EntitySpawn, 'id' | 'respawn'>[], despawns: readonly number[]): void {
    this.before.clear();
    for (const spawn of spawns) {
      const old = this.slots.get(spawn.id);
      if (old !== undefined) {
        // A respawn (or, in a damaged stream, a spawn of a live id): the old entity's slot is retired.
        if (!this.before.has(spawn.id)) this.before.set(spawn.id, old);
        this.retiring.push(old);
      }
      this.slots.set(spawn.id, this.allocate());
    }
    for (const id of despawns) {
      const slot = this.slots.get(id);
      if (slot === undefined) continue;
      if (!this.before.has(id)) this.before.set(id, slot);
      this.retiring.push(slot);
      this.slots.delete(id);
    }
  }

  /** After the tick's events: the slots retired in it become free. */
  end(): void {
    for (const slot of this.retiring) this.push(slot);
    this.retiring = [];
  }

  /** The sort key of `id` in an event of part 0 (a removal leave: old slots) or 1 (current slots). */
  key(id: number, removal: boolean): number {
    const slot = (removal ? this.before.get(id) : undefined) ?? this.slots.get(id);
    return slot ?? UNSLOTTED + id;
  }

  private allocate(): number {
    const { free } = this;
    if (free.length === 0) return this.high++;
    const top = free[0]!;
    const last = free.pop()!;
    if (free.length > 0) {
      // Sift the last element down from the root.
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= free.length) break;
        const c = l + 1 < free.length && free[l + 1]! < free[l]! ? l + 1 : l;
        if (free[c]! >= last) break;
        free[i] = free[c]!;
        i = c;
      }
      free[i] = last;
    }
    return top;
  }

  private push(slot: number): void {
    const { free } = this;
    let i = free.length;
    free.push(slot);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (free[parent]! <= slot) break;
      free[i] = free[parent]!;
      i = parent;
    }
    free[i] = slot;
  }
}
