import { Flag, type HeightColumns, type StateFrame, type TickFrame } from '../../src/protocol/wire.js';

const DENSE_IDS = 1 << 22;

/**
 * The live entities at one tick in dense columns (slot i = one entity), ready to hand to a renderer without
 * building objects. Despawns swap the last slot in, so the columns stay dense.
 */
export class EntityTable {
  tick = -1;
  time = 0;
  count = 0;
  ids = new Int32Array(0);
  xs = new Float32Array(0);
  ys = new Float32Array(0);
  viewRadii = new Float32Array(0);
  leaveRadii = new Float32Array(0);
  flags = new Uint32Array(0);
  tagMasks = new Uint32Array(0);
  /**
   * z and the vertical half-heights, from the first frame with height on (docs/aoi.md, "Height"): until then none
   * exist, so a 2D trace costs nothing more. Entities spawned without height are at z 0 with no vertical limit.
   */
  height: HeightColumns | undefined;
  /** id -> slot; ids below DENSE_IDS go through `dense` (a typed array: no hashing in the per-tick loops). */
  readonly slots = {
    dense: new Int32Array(0),
    far: new Map<number, number>(),
    get(id: number): number | undefined {
      if (id < DENSE_IDS) {
        const slot = id < this.dense.length ? this.dense[id]! : -1;
        return slot < 0 ? undefined : slot;
      }
      return this.far.get(id);
    },
    set(id: number, slot: number): void {
      if (id >= DENSE_IDS) {
        this.far.set(id, slot);
        return;
      }
      if (id >= this.dense.length) {
        const grown = new Int32Array(Math.max(id + 1, this.dense.length * 2, 1024)).fill(-1);
        grown.set(this.dense);
        this.dense = grown;
      }
      this.dense[id] = slot;
    },
    delete(id: number): void {
      if (id >= DENSE_IDS) this.far.delete(id);
      else if (id < this.dense.length) this.dense[id] = -1;
    },
    clear(): void {
      this.dense.fill(-1);
      this.far.clear();
    },
  };

  load(frame: StateFrame): void {
    this.reserve(frame.count);
    this.count = frame.count;
    this.tick = frame.tick;
    this.time = frame.time;
    this.ids.set(frame.ids);
    this.xs.set(frame.xs);
    this.ys.set(frame.ys);
    this.viewRadii.set(frame.viewRadii);
    this.leaveRadii.set(frame.leaveRadii);
    this.flags.set(frame.flags);
    this.tagMasks.set(frame.tagMasks);
    if (frame.height !== undefined) this.enableHeight();
    if (this.height !== undefined) {
      if (frame.height === undefined) fillFlat(this.height, 0, frame.count);
      else for (const key of HEIGHT_KEYS) this.height[key].set(frame.height[key]);
    }
    this.slots.clear();
    for (let i = 0; i < frame.count; i++) this.slots.set(frame.ids[i]!, i);
  }

  apply(frame: TickFrame): void {
    const n = frame.spawnIds.length;
    if (frame.spawnHeight !== undefined || frame.updateHeight !== undefined) this.enableHeight();
    this.reserve(this.count + n);
    for (let i = 0; i < n; i++) {
      // A respawn (remove(id) then add(id) in one tick) replaces the live entity with that id.
      this.remove(frame.spawnIds[i]!);
      const slot = this.count++;
      this.ids[slot] = frame.spawnIds[i]!;
      this.xs[slot] = frame.spawnXs[i]!;
      this.ys[slot] = frame.spawnYs[i]!;
      this.viewRadii[slot] = frame.spawnViewRadii[i]!;
      this.leaveRadii[slot] = frame.spawnLeaveRadii[i]!;
      this.flags[slot] = frame.spawnFlags[i]!;
      this.tagMasks[slot] = frame.spawnTagMasks[i]!;
      if (this.height !== undefined) {
        if (frame.spawnHeight === undefined) fillFlat(this.height, slot, slot + 1);
        else for (const key of HEIGHT_KEYS) this.height[key][slot] = frame.spawnHeight[key][i]!;
      }
      this.slots.set(frame.spawnIds[i]!, slot);
    }
    for (let i = 0; i < frame.updateIds.length; i++) {
      const slot = this.slots.get(frame.updateIds[i]!);
      if (slot === undefined) continue;
      const view = frame.updateViewRadii[i]!;
      const leave = frame.updateLeaveRadii[i]!;
      if (!Number.isNaN(view)) this.viewRadii[slot] = view;
      if (!Number.isNaN(leave)) this.leaveRadii[slot] = leave;
      const f = frame.updateFlags[i]!;
      let flags = this.flags[slot]!;
      if (f & Flag.WatcherSet) flags = (flags & ~Flag.Watcher) | (f & Flag.Watcher);
      if (f & Flag.MarkerSet) flags = (flags & ~Flag.Marker) | (f & Flag.Marker);
      this.flags[slot] = flags;
      if (f & Flag.TagsSet) this.tagMasks[slot] = frame.updateTagMasks[i]!;
      const change = frame.updateHeight;
      if (change !== undefined && this.height !== undefined) {
        for (const key of HEIGHT_KEYS) {
          const value = change[key][i]!;
          if (!Number.isNaN(value)) this.height[key][slot] = value;
        }
      }
    }
    const ids = frame.moveIds;
    for (let i = 0; i < ids.length; i++) {
      const slot = this.slots.get(ids[i]!);
      if (slot === undefined) continue;
      this.xs[slot] = frame.moveXs[i]!;
      this.ys[slot] = frame.moveYs[i]!;
    }
    for (const id of frame.despawnIds) this.remove(id);
    this.tick = frame.tick;
    this.time = frame.time;
  }

  /** Index of the entity nearest to (x, y), within `maxDistance`, or -1; `ys` is the vertical axis drawn. */
  nearest(x: number, y: number, maxDistance: number, ys: Float32Array = this.ys): number {
    let best = -1;
    let bestD = maxDistance * maxDistance;
    for (let i = 0; i < this.count; i++) {
      const dx = this.xs[i]! - x;
      const dy = ys[i]! - y;
      const d = dx * dx + dy * dy;
      if (d <= bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  }

  private remove(id: number): void {
    const slot = this.slots.get(id);
    if (slot === undefined) return;
    const last = --this.count;
    this.slots.delete(id);
    if (slot !== last) {
      const moved = this.ids[last]!;
      this.ids[slot] = moved;
      this.xs[slot] = this.xs[last]!;
      this.ys[slot] = this.ys[last]!;
      this.viewRadii[slot] = this.viewRadii[last]!;
      this.leaveRadii[slot] = this.leaveRadii[last]!;
      this.flags[slot] = this.flags[last]!;
      this.tagMasks[slot] = this.tagMasks[last]!;
      if (this.height !== undefined) for (const key of HEIGHT_KEYS) this.height[key][slot] = this.height[key][last]!;
      this.slots.set(moved, slot);
    }
  }

  private reserve(n: number): void {
    if (n <= this.ids.length) return;
    const size = Math.max(n, this.ids.length * 2, 64);
    const grow = <T extends Int32Array | Float32Array | Uint32Array>(old: T, next: T): T => {
      next.set(old.subarray(0, this.count));
      return next;
    };
    this.ids = grow(this.ids, new Int32Array(size));
    this.xs = grow(this.xs, new Float32Array(size));
    this.ys = grow(this.ys, new Float32Array(size));
    this.viewRadii = grow(this.viewRadii, new Float32Array(size));
    this.leaveRadii = grow(this.leaveRadii, new Float32Array(size));
    this.flags = grow(this.flags, new Uint32Array(size));
    this.tagMasks = grow(this.tagMasks, new Uint32Array(size));
    const height = this.height;
    if (height !== undefined) for (const key of HEIGHT_KEYS) height[key] = grow(height[key], new Float32Array(size));
  }

  /** The first frame with height: the entities so far are at z 0 with no vertical limit. */
  private enableHeight(): void {
    if (this.height !== undefined) return;
    const size = this.ids.length;
    this.height = {
      zs: new Float32Array(size),
      viewHeights: new Float32Array(size),
      leaveHeights: new Float32Array(size),
    };
    fillFlat(this.height, 0, this.count);
  }
}

const HEIGHT_KEYS = ['zs', 'viewHeights', 'leaveHeights'] as const;

/** Slots [from, to) as entities without height: z 0, no vertical limit. */
function fillFlat(height: HeightColumns, from: number, to: number): void {
  height.zs.fill(0, from, to);
  height.viewHeights.fill(Number.POSITIVE_INFINITY, from, to);
  height.leaveHeights.fill(Number.POSITIVE_INFINITY, from, to);
}
