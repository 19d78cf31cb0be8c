// The entities as the format 3 predictor sees them (event-predictor.ts): per slot of a PositionTable, the decoded
// position, radii (as given and squared), half-heights, z and roles, in flat typed arrays.

import { leaveHeightOf } from '../detect/cylinder.js';
import type { EntitySpawn, EntityUpdate } from '../model/types.js';
import { PositionTable } from './position-table.js';

/** What the predictor needs of an entity (spawn, keyframe entity or WorldState entity). */
export type PredictedEntity = Pick<
  EntitySpawn,
  'id' | 'x' | 'y' | 'viewRadius' | 'leaveRadius' | 'watcher' | 'marker' | 'z' | 'viewHeight' | 'leaveHeight'
>;

export const WATCHER = 1;
export const MARKER = 2;
/** Positions and radii up to this size keep the kinetic schedule's margins exact (kinetic-schedule.ts). */
const SAFE = 2 ** 40;

export class PredictorWorld {
  /** id -> slot; qx/qy hold the decoded positions (doubles), not quanta. */
  readonly table = new PositionTable();
  ids = new Int32Array(1024);
  z = new Float64Array(1024);
  viewR = new Float64Array(1024);
  leaveR = new Float64Array(1024);
  view2 = new Float64Array(1024);
  leave2 = new Float64Array(1024);
  reach = new Float64Array(1024);
  viewH = new Float64Array(1024);
  leaveH = new Float64Array(1024);
  /** Per slot: whether a leave half-height was given (format 3.1 defaults it to the view half-height). */
  leaveHGiven = new Uint8Array(1024);
  roles = new Uint8Array(1024);
  /** Per slot: the watcher pass that listed it (+seq) or visited it (-seq); doubles, so seq never wraps. */
  mark = new Float64Array(1024);
  /** Per slot: the tick that moved it. */
  moved = new Int32Array(1024);
  /** Per slot: the tick (tickSeq) whose begin() found it respawned or despawned. */
  removedAt = new Int32Array(1024);
  /** Per slot: when the entity there was added (a counter), -1 once removed: a kinetic pair knows it is stale. */
  serial = new Int32Array(1024).fill(-1);
  serials = 0;
  /** Live ids ascending, rebuilt after spawns and despawns. */
  order = new Int32Array(0);
  orderStale = true;

  /** `leaveHeightFollowsView`: see EventPredictor's constructor. */
  constructor(private readonly leaveHeightFollowsView = false) {}

  clear(): void {
    this.table.clear();
    this.serial.fill(-1);
    this.orderStale = true;
  }

  add(entity: PredictedEntity): number {
    const slot = this.table.add(entity.id, entity.x, entity.y);
    if (slot >= this.ids.length) this.grow(slot);
    this.ids[slot] = entity.id;
    this.z[slot] = entity.z ?? 0;
    this.viewH[slot] = entity.viewHeight ?? Number.POSITIVE_INFINITY;
    this.leaveH[slot] = this.leaveHeightFollowsView
      ? leaveHeightOf(entity)
      : (entity.leaveHeight ?? Number.POSITIVE_INFINITY);
    this.leaveHGiven[slot] = entity.leaveHeight === undefined ? 0 : 1;
    this.setRadii(slot, entity.viewRadius, entity.leaveRadius);
    this.roles[slot] = (entity.watcher ? WATCHER : 0) | (entity.marker ? MARKER : 0);
    this.mark[slot] = 0;
    this.moved[slot] = 0;
    this.removedAt[slot] = 0;
    this.serial[slot] = ++this.serials;
    this.orderStale = true;
    return slot;
  }

  remove(id: number): void {
    const slot = this.table.slotOf(id);
    if (slot < 0) return;
    this.serial[slot] = -1;
    this.table.remove(id);
    this.orderStale = true;
  }

  update(update: EntityUpdate): void {
    const slot = this.table.slotOf(update.id);
    if (slot < 0) return;
    const view = update.viewRadius ?? this.viewR[slot]!;
    const leave = update.leaveRadius ?? this.leaveR[slot]!;
    this.setRadii(slot, view, leave);
    if (update.watcher !== undefined)
      this.roles[slot] = (this.roles[slot]! & ~WATCHER) | (update.watcher ? WATCHER : 0);
    if (update.marker !== undefined) this.roles[slot] = (this.roles[slot]! & ~MARKER) | (update.marker ? MARKER : 0);
    if (update.z !== undefined) this.z[slot] = update.z;
    if (update.viewHeight !== undefined) this.viewH[slot] = update.viewHeight;
    if (update.leaveHeight !== undefined) this.leaveHGiven[slot] = 1;
    if (update.leaveHeight !== undefined || (this.leaveHeightFollowsView && update.viewHeight !== undefined)) {
      const given = this.leaveHGiven[slot] === 1 ? (update.leaveHeight ?? this.leaveH[slot]) : undefined;
      this.leaveH[slot] = this.leaveHeightFollowsView
        ? leaveHeightOf({ viewHeight: this.viewH[slot]!, ...(given === undefined ? {} : { leaveHeight: given }) })
        : update.leaveHeight!;
    }
  }

  /**
   * Whether the slot's position, and its radii if it is a watcher, are finite, at most 2^40 and the radii not
   * negative: where the kinetic schedule's margins are exact and the grid's reach covers the radii.
   */
  safe(slot: number): boolean {
    const { qx, qy } = this.table;
    if (!(Math.abs(qx[slot]!) <= SAFE && Math.abs(qy[slot]!) <= SAFE)) return false;
    if ((this.roles[slot]! & WATCHER) === 0) return true;
    const view = this.viewR[slot]!;
    const leave = this.leaveR[slot]!;
    return view >= 0 && view <= SAFE && leave >= 0 && leave <= SAFE;
  }

  sortIds(): void {
    const ids = new Int32Array(this.table.size);
    let n = 0;
    for (let slot = 0; slot < this.ids.length && n < ids.length; slot++) {
      if (this.table.slotOf(this.ids[slot]!) === slot) ids[n++] = this.ids[slot]!;
    }
    this.order = ids.subarray(0, n).sort();
    this.orderStale = false;
  }

  /** Radii are kept as given and squared (r * r, compared with dx * dx + dy * dy). */
  private setRadii(slot: number, view: number, leave: number): void {
    this.viewR[slot] = view;
    this.leaveR[slot] = leave;
    this.view2[slot] = view * view;
    this.leave2[slot] = leave * leave;
    // How far a pair can be and still be decided "in view" by either radius (NaN counts as 0).
    let reach = 0;
    if (view > reach) reach = view;
    if (leave > reach) reach = leave;
    this.reach[slot] = reach;
  }

  private grow(slot: number): void {
    let size = this.ids.length;
    while (size <= slot) size *= 2;
    const f64 = (old: Float64Array) => {
      const next = new Float64Array(size);
      next.set(old);
      return next;
    };
    const i32 = (old: Int32Array, fill = 0) => {
      const next = new Int32Array(size).fill(fill);
      next.set(old);
      return next;
    };
    this.ids = i32(this.ids);
    this.mark = f64(this.mark);
    this.moved = i32(this.moved);
    this.removedAt = i32(this.removedAt);
    this.serial = i32(this.serial, -1);
    this.z = f64(this.z);
    this.viewR = f64(this.viewR);
    this.leaveR = f64(this.leaveR);
    this.view2 = f64(this.view2);
    this.leave2 = f64(this.leave2);
    this.reach = f64(this.reach);
    this.viewH = f64(this.viewH);
    this.leaveH = f64(this.leaveH);
    const roles = new Uint8Array(size);
    roles.set(this.roles);
    this.roles = roles;
    const given = new Uint8Array(size);
    given.set(this.leaveHGiven);
    this.leaveHGiven = given;
  }
}
