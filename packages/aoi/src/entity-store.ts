import { AoiError, AoiErrorCode } from './errors.js';

/** Role bits in {@link EntityStore.roles}. */
export const Role = { Watcher: 1, Marker: 2 } as const;

/** Slots are packed into event sort keys as `watcher * 2^27 + target * 4 + kind`, which must stay below 2^53. */
export const MAX_SLOTS = 1 << 25;
/** Ids up to this value are looked up in a typed array; larger ones in a Map. */
const DIRECT_ID_LIMIT = 1 << 22;

/**
 * Every entity's state in flat typed arrays indexed by slot. Algorithms read these arrays directly in their hot
 * loops; after {@link grow} the array objects change, so algorithms re-read them at the start of each call.
 */
export class EntityStore {
  capacity = 0;
  /** One past the highest slot ever used. */
  end = 0;
  ids: Int32Array = new Int32Array(0);
  x: Float64Array = new Float64Array(0);
  y: Float64Array = new Float64Array(0);
  view: Float64Array = new Float64Array(0);
  leave: Float64Array = new Float64Array(0);
  view2: Float64Array = new Float64Array(0);
  leave2: Float64Array = new Float64Array(0);
  roles: Uint8Array = new Uint8Array(0);
  tags: Int32Array = new Int32Array(0);
  interest: Int32Array = new Int32Array(0);
  alive: Uint8Array = new Uint8Array(0);
  count = 0;
  /**
   * Whether some entity ever had a height (z or a vertical view extent): until then `z`, `viewH` and `leaveH` stay
   * empty and every algorithm runs its 2D loops, so a flat world pays nothing for the feature.
   */
  hasHeight = false;
  z: Float64Array = new Float64Array(0);
  /** Vertical half-heights of the view and of the leave cylinder; Infinity is unbounded (a 2D entity). */
  viewH: Float64Array = new Float64Array(0);
  leaveH: Float64Array = new Float64Array(0);

  private direct = new Int32Array(0);
  private readonly far = new Map<number, number>();
  private free: number[] = [];
  private releasing: number[] = [];

  /**
   * @param shared allocate the arrays on SharedArrayBuffers, so worker threads read them without a copy (the
   *   parallel grid); every {@link grow} then makes new buffers, which the reader must be sent again.
   */
  constructor(
    initialCapacity = 64,
    private readonly shared = false,
  ) {
    this.grow(initialCapacity);
  }

  /** Ids below this are looked up with {@link directSlot} (one typed-array read; -1 when unknown). */
  get directLimit(): number {
    return this.direct.length;
  }

  /** Slot of an id below {@link directLimit}, or -1. */
  directSlot(id: number): number {
    return this.direct[id]!;
  }

  /** Slot of `id`, or -1. */
  slotOf(id: number): number {
    if (id < DIRECT_ID_LIMIT) return id < this.direct.length ? this.direct[id]! : -1;
    return this.far.get(id) ?? -1;
  }

  /** Slot of `id`; throws UNKNOWN_ID naming the call. */
  require(id: number, what: string): number {
    const slot = Number.isInteger(id) && id >= 0 ? this.slotOf(id) : -1;
    if (slot < 0) throw new AoiError(AoiErrorCode.UnknownId, `${what}: no entity with id ${String(id)}.`, id);
    return slot;
  }

  /** Allocates a slot for `id` (already validated as new); returns it and whether the arrays grew. */
  allocate(id: number): { slot: number; grew: boolean } {
    let grew = false;
    let slot = this.free.pop();
    if (slot === undefined) {
      if (this.end >= MAX_SLOTS) {
        throw new AoiError(AoiErrorCode.CapacityExceeded, `add: at most ${MAX_SLOTS} entities are supported.`, id);
      }
      slot = this.end++;
      if (slot >= this.capacity) {
        this.grow(Math.min(MAX_SLOTS, this.capacity * 2));
        grew = true;
      }
    }
    if (id < DIRECT_ID_LIMIT) {
      if (id >= this.direct.length) {
        let size = Math.max(64, this.direct.length);
        while (size <= id) size *= 2;
        const next = new Int32Array(size).fill(-1);
        next.set(this.direct);
        this.direct = next;
      }
      this.direct[id] = slot;
    } else {
      this.far.set(id, slot);
    }
    this.ids[slot] = id;
    this.alive[slot] = 1;
    this.count++;
    return { slot, grew };
  }

  /** Forgets the slot's id now; the slot itself is reused only after {@link releaseFreed}, so events still name it. */
  retire(slot: number): void {
    const id = this.ids[slot]!;
    if (id < DIRECT_ID_LIMIT) this.direct[id] = -1;
    else this.far.delete(id);
    this.alive[slot] = 0;
    this.roles[slot] = 0;
    this.count--;
    this.releasing.push(slot);
  }

  /**
   * Whether some slot was retired and not yet released: events of the current update may then name an entity that
   * is gone (its removal leaves) and, for the same id, a new entity added since.
   */
  get hasRetired(): boolean {
    return this.releasing.length > 0;
  }

  /** Makes retired slots reusable (lowest slot first, so reuse order depends only on the calls made). */
  releaseFreed(): void {
    if (this.releasing.length === 0) return;
    for (const slot of this.releasing) this.free.push(slot);
    this.releasing = [];
    this.free.sort((a, b) => b - a);
  }

  setRadius(slot: number, view: number, leave: number): void {
    this.view[slot] = view;
    this.leave[slot] = leave;
    this.view2[slot] = view * view;
    this.leave2[slot] = leave * leave;
  }

  /** Switches height on: every existing entity gets z 0 and an unbounded vertical extent (so it behaves as in 2D). */
  enableHeight(): void {
    if (this.hasHeight) return;
    this.hasHeight = true;
    this.z = this.f64(this.capacity);
    this.viewH = this.f64(this.capacity).fill(Number.POSITIVE_INFINITY);
    this.leaveH = this.f64(this.capacity).fill(Number.POSITIVE_INFINITY);
  }

  setHeight(slot: number, view: number, leave: number): void {
    this.viewH[slot] = view;
    this.leaveH[slot] = leave;
  }

  private f64(n: number): Float64Array {
    return this.shared ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n);
  }

  private grow(capacity: number): void {
    const copy = <T extends Float64Array | Int32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    const shared = this.shared;
    const f64 = (n: number) => (shared ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n));
    const i32 = (n: number) => (shared ? new Int32Array(new SharedArrayBuffer(n * 4)) : new Int32Array(n));
    const u8 = (n: number) => (shared ? new Uint8Array(new SharedArrayBuffer(n)) : new Uint8Array(n));
    this.ids = copy(this.ids, i32);
    this.x = copy(this.x, f64);
    this.y = copy(this.y, f64);
    this.view = copy(this.view, f64);
    this.leave = copy(this.leave, f64);
    this.view2 = copy(this.view2, f64);
    this.leave2 = copy(this.leave2, f64);
    this.roles = copy(this.roles, u8);
    this.tags = copy(this.tags, i32);
    this.interest = copy(this.interest, i32);
    this.alive = copy(this.alive, u8);
    if (this.hasHeight) {
      this.z = copy(this.z, f64);
      this.viewH = copy(this.viewH, f64);
      this.leaveH = copy(this.leaveH, f64);
    }
    this.capacity = capacity;
  }
}

/** Whether watcher slot `w` may see target slot `t` at all (roles and tags), regardless of distance. */
export function canSee(store: EntityStore, w: number, t: number): boolean {
  return (
    w !== t &&
    (store.roles[w]! & Role.Watcher) !== 0 &&
    (store.roles[t]! & Role.Marker) !== 0 &&
    (store.interest[w]! & store.tags[t]!) !== 0
  );
}
