// Format 3 (docs/aoitrace-format.md, "Version 3: predicted events"): the events the recorded rule predicts from the
// stored state. Writer and reader both keep one of these, fed the same decoded ticks, so both compute the same
// prediction; the file stores only how the real events differ from it. The rule is a pure function of what a reader
// decodes (quantized positions, radii, roles, height, the view sets the real events built), evaluated in IEEE
// doubles in a fixed order; the uniform grid below only finds candidates and never changes the result.

import { leaveHeightOf } from '../detect/cylinder.js';
import type { EntitySpawn, EntityUpdate, EventColumns } from '../model/types.js';
import { PositionTable } from './position-table.js';
import { ViewTable } from './view-table.js';

/** What the predictor needs of an entity (spawn, keyframe entity or WorldState entity). */
export type PredictedEntity = Pick<
  EntitySpawn,
  'id' | 'x' | 'y' | 'viewRadius' | 'leaveRadius' | 'watcher' | 'marker' | 'z' | 'viewHeight' | 'leaveHeight'
>;

const WATCHER = 1;
/** Grid cells per reach: a watcher looks at the (2 * SPAN + 1)^2 cells around its own (fewer far candidates). */
const SPAN = 2;
const MARKER = 2;

/** The moves of a tick at their stored positions. */
export interface PredictedMoves {
  readonly count: number;
  readonly ids: Int32Array;
  readonly xs: Float64Array;
  readonly ys: Float64Array;
}

/** Called with the number of events about to be produced (the chunk budget); throws past a limit. */
export type ChargeEvents = (count: number) => void;

/** Called with the pair tests a watcher is about to make (before making them); throws past a limit. */
export type ChargeWork = (count: number) => void;

export class EventPredictor {
  /** id -> slot; qx/qy hold the decoded positions (doubles), not quanta. */
  private readonly table = new PositionTable();
  views = new ViewTable();
  private ids = new Int32Array(1024);
  private z = new Float64Array(1024);
  private viewR = new Float64Array(1024);
  private leaveR = new Float64Array(1024);
  private view2 = new Float64Array(1024);
  private leave2 = new Float64Array(1024);
  private reach = new Float64Array(1024);
  private viewH = new Float64Array(1024);
  private leaveH = new Float64Array(1024);
  private roles = new Uint8Array(1024);
  /** Per slot: the watcher pass that listed it (+seq) or visited it (-seq); doubles, so seq never wraps. */
  private mark = new Float64Array(1024);
  private moved = new Int32Array(1024);
  /** Per slot: the tick (tickSeq) whose begin() found it respawned or despawned. */
  private removedAt = new Int32Array(1024);
  private seq = 0;
  private tickSeq = 0;
  /** Live ids ascending, rebuilt after spawns and despawns. */
  private order = new Int32Array(0);
  private orderStale = true;
  /** Respawned and despawned ids of the current tick (their old pairs' leaves come first). */
  private readonly removedIds = new Set<number>();
  private readonly despawnedIds = new Set<number>();
  private readonly respawnedIds = new Set<number>();
  private readonly out = new EventBuffer();
  private readonly group = new EventBuffer();
  private cellStart = new Int32Array(0);
  private cellItems = new Int32Array(0);
  private cellOf = new Int32Array(0);
  /** Per slot: whether a leave half-height was given (format 3.1 defaults it to the view half-height). */
  private leaveHGiven = new Uint8Array(1024);

  /**
   * `leaveHeightFollowsView`: format 3.1's default for a missing leave half-height, the view half-height (the
   * engine's and the detectors', detect/cylinder.ts); format 3.0 defaults it to Infinity.
   */
  constructor(private readonly leaveHeightFollowsView = false) {}

  clear(): void {
    this.table.clear();
    this.views = new ViewTable();
    this.orderStale = true;
  }

  /** Positions the predictor on a world (a keyframe, a resync): its entities and view sets. */
  load(entities: Iterable<PredictedEntity>, views: Iterable<readonly [number, ArrayLike<number>]>): void {
    this.clear();
    for (const entity of entities) this.add(entity);
    for (const [watcher, targets] of views)
      for (let i = 0; i < targets.length; i++) this.views.add(watcher, targets[i]!);
  }

  /**
   * The tick's changes before its events: despawned ids noted (they stay until {@link EventPredictor.finish}),
   * respawns replace the old entity, updates, then moves (`xs`/`ys`: the positions as a reader decodes them).
   */
  begin(
    spawns: readonly EntitySpawn[],
    updates: readonly EntityUpdate[],
    moves: PredictedMoves,
    despawns: readonly number[],
  ): void {
    this.tickSeq++;
    this.removedIds.clear();
    this.despawnedIds.clear();
    this.respawnedIds.clear();
    for (const id of despawns) {
      this.removedIds.add(id);
      this.despawnedIds.add(id);
    }
    for (const spawn of spawns) {
      if (spawn.respawn === true) {
        this.removedIds.add(spawn.id);
        this.respawnedIds.add(spawn.id);
      }
    }
    for (const id of this.removedIds) {
      const slot = this.table.slotOf(id);
      if (slot >= 0) this.removedAt[slot] = this.tickSeq;
    }
    // The removal leaves are taken from the views before the respawns drop the old entities' lists.
    this.out.count = 0;
    if (this.removedIds.size > 0) this.removalLeaves();
    for (const spawn of spawns) {
      if (spawn.respawn === true) this.remove(spawn.id);
      this.add(spawn);
    }
    for (const update of updates) this.update(update);
    const { table, moved } = this;
    for (let i = 0; i < moves.count; i++) {
      const slot = table.slotOf(moves.ids[i]!);
      if (slot < 0) continue;
      table.qx[slot] = moves.xs[i]!;
      table.qy[slot] = moves.ys[i]!;
      moved[slot] = this.tickSeq;
    }
  }

  /** Whether `id` was respawned or despawned in the tick begun (its pairs' leaves sort first). */
  readonly isRemoved = (id: number): boolean => this.removedIds.has(id);

  /** {@link EventPredictor.isRemoved}, or undefined when the tick removed nobody (every event is in part 2). */
  removedTest(): ((id: number) => boolean) | undefined {
    return this.removedIds.size > 0 ? this.isRemoved : undefined;
  }

  /** The predicted events of the tick begun, in canonical order (valid until the next begin). */
  predict(moveEvents: boolean, charge: ChargeEvents, work: ChargeWork): EventColumns {
    charge(this.out.count);
    this.changes(moveEvents, charge, work);
    return this.out.columns();
  }

  /** The tick's real events, then its despawns: the view sets as every reader of the world keeps them. */
  finish(events: EventColumns, despawns: readonly number[]): void {
    const { kinds, watchers, targets, count } = events;
    for (let i = 0; i < count; i++) {
      if (kinds[i] === 0) this.views.add(watchers[i]!, targets[i]!);
      else if (kinds[i] === 1) this.views.delete(watchers[i]!, targets[i]!);
    }
    for (const id of despawns) this.remove(id);
  }

  private add(entity: PredictedEntity): void {
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
    this.orderStale = true;
  }

  private remove(id: number): void {
    this.views.deleteWatcher(id);
    this.table.remove(id);
    this.orderStale = true;
  }

  private update(update: EntityUpdate): void {
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

  /** Part 1 of the canonical order: leaves of every pair in view that names a respawned or despawned id. */
  private removalLeaves(): void {
    const { views, removedIds, out, table, removedAt, tickSeq } = this;
    for (const watcher of views.sortedWatchers()) {
      const targets = views.targetsOf(views.slotOf(watcher));
      const all = removedIds.has(watcher);
      for (let i = 0; i < targets.length; i++) {
        const t = targets[i]!;
        // A live removed id has its slot stamped; a gone one (a target whose leave never came) is looked up.
        const ts = table.slotOf(t);
        if (all || (ts >= 0 ? removedAt[ts] === tickSeq : removedIds.has(t))) out.push(1, watcher, t);
      }
    }
  }

  /** Part 2: every other pair by the rule, watchers ascending, each watcher's targets ascending. */
  private changes(moveEvents: boolean, charge: ChargeEvents, work: ChargeWork): void {
    const { table, views, roles, mark, despawnedIds, respawnedIds, removedIds, group } = this;
    const { qx: xs, qy: ys } = table;
    const { z, view2, leave2, viewH, leaveH, moved, ids } = this;
    if (this.orderStale) this.sortIds();
    const grid = this.buildGrid();
    const { cellStart, cellItems, cellOf } = this;
    const anyRemoved = removedIds.size > 0;
    for (const w of this.order) {
      const ws = table.slotOf(w);
      const vslot = views.slotOf(w);
      const watching = (roles[ws]! & WATCHER) !== 0;
      if (despawnedIds.has(w) || (!watching && vslot < 0)) continue;
      const seq = ++this.seq;
      let listed = 0;
      let old: Int32Array | undefined;
      if (vslot >= 0 && !respawnedIds.has(w)) {
        old = views.targetsOf(vslot);
        work(old.length * 2);
        for (let i = 0; i < old.length; i++) {
          const t = old[i]!;
          if (anyRemoved && removedIds.has(t)) continue;
          const ts = table.slotOf(t);
          // A pair whose target is gone (its leave never came) predicts nothing.
          if (ts < 0) continue;
          mark[ts] = seq;
          listed++;
        }
      }
      group.count = 0;
      const wx = xs[ws]!;
      const wy = ys[ws]!;
      const wz = z[ws]!;
      if (watching && grid.cols > 0) {
        const cell = cellOf[ws]!;
        const cx = cell % grid.cols;
        const cy = (cell - cx) / grid.cols;
        const x0 = cx > SPAN ? cx - SPAN : 0;
        const x1 = cx + SPAN < grid.cols ? cx + SPAN : grid.cols - 1;
        const y0 = cy > SPAN ? cy - SPAN : 0;
        const y1 = cy + SPAN < grid.rows ? cy + SPAN : grid.rows - 1;
        let candidates = 0;
        for (let y = y0; y <= y1; y++)
          candidates += cellStart[y * grid.cols + x1 + 1]! - cellStart[y * grid.cols + x0]!;
        work(candidates);
        const view2w = view2[ws]!;
        const leave2w = leave2[ws]!;
        const viewHw = viewH[ws]!;
        const leaveHw = leaveH[ws]!;
        const now = this.tickSeq;
        for (let y = y0; y <= y1; y++) {
          // A row's cells x0..x1 are contiguous in cellItems.
          const row = y * grid.cols;
          for (let k = cellStart[row + x0]!, end = cellStart[row + x1 + 1]!; k < end; k++) {
            const ts = cellItems[k]!;
            if (ts === ws) continue;
            const was = mark[ts] === seq;
            if (was) mark[ts] = -seq;
            const dx = wx - xs[ts]!;
            const dy = wy - ys[ts]!;
            const d2 = dx * dx + dy * dy;
            const dz = Math.abs(wz - z[ts]!);
            if (was) {
              if (!(d2 <= leave2w && dz <= leaveHw)) group.push(1, w, ids[ts]!);
              else if (moveEvents && moved[ts] === now) group.push(2, w, ids[ts]!);
            } else if (d2 <= view2w && dz <= viewHw) {
              group.push(0, w, ids[ts]!);
            }
          }
        }
      }
      if (old !== undefined && listed > 0) {
        // Pairs in view the grid did not visit: the target lost its marker role, or is out of reach.
        for (let i = 0; i < old.length; i++) {
          const t = old[i]!;
          const ts = table.slotOf(t);
          if (ts < 0 || mark[ts] !== seq) continue;
          mark[ts] = -seq;
          const dx = wx - xs[ts]!;
          const dy = wy - ys[ts]!;
          const d2 = dx * dx + dy * dy;
          const dz = Math.abs(wz - z[ts]!);
          const sees = watching && (roles[ts]! & MARKER) !== 0 && d2 <= leave2[ws]! && dz <= leaveH[ws]!;
          if (!sees) group.push(1, w, t);
          else if (moveEvents && moved[ts] === this.tickSeq) group.push(2, w, t);
        }
      }
      if (group.count === 0) continue;
      charge(group.count);
      group.sortByTarget();
      this.out.append(group);
    }
  }

  private sortIds(): void {
    const ids = new Int32Array(this.table.size);
    let n = 0;
    for (let slot = 0; slot < this.ids.length && n < ids.length; slot++) {
      if (this.table.slotOf(this.ids[slot]!) === slot) ids[n++] = this.ids[slot]!;
    }
    this.order = ids.subarray(0, n).sort();
    this.orderStale = false;
  }

  /**
   * The markers (not despawned) bucketed into square cells at least half as wide as the longest reach, so the 5x5
   * block around a watcher holds every target it may see. The cell is widened by a millionth (and to at least a millionth of the
   * world's extent) so that rounding in the cell arithmetic can never hide a pair the rule finds within reach.
   */
  private buildGrid(): { cols: number; rows: number } {
    const { table, roles, reach, order, despawnedIds } = this;
    const { qx: xs, qy: ys } = table;
    let maxReach = 0;
    let minX = Number.POSITIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    let markers = 0;
    for (const id of order) {
      const s = table.slotOf(id);
      if ((roles[s]! & WATCHER) !== 0 && reach[s]! > maxReach) maxReach = reach[s]!;
      if ((roles[s]! & MARKER) !== 0 && !despawnedIds.has(id)) markers++;
      const x = xs[s]!;
      const y = ys[s]!;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    const n = order.length;
    if (n === 0 || markers === 0) return { cols: 0, rows: 0 };
    const extent = Math.max(maxX - minX, maxY - minY);
    let cell = Math.max(maxReach / SPAN, extent * 1e-6, 1e-300) * (1 + 1e-6);
    let cols = Math.floor((maxX - minX) / cell) + 1;
    let rows = Math.floor((maxY - minY) / cell) + 1;
    if (!(cols * rows <= 4 * n + 16)) {
      cell = Math.max(cell, (extent / Math.sqrt(4 * n)) * (1 + 1e-6));
      cols = Math.floor((maxX - minX) / cell) + 1;
      rows = Math.floor((maxY - minY) / cell) + 1;
    }
    if (!Number.isFinite(cols) || !Number.isFinite(rows)) cols = rows = 1;
    const cells = cols * rows;
    if (this.cellStart.length < cells + 1) this.cellStart = new Int32Array(cells + 1);
    if (this.cellItems.length < markers) this.cellItems = new Int32Array(markers * 2);
    if (this.cellOf.length < this.ids.length) this.cellOf = new Int32Array(this.ids.length);
    const { cellStart, cellItems, cellOf } = this;
    cellStart.fill(0, 0, cells + 1);
    for (const id of order) {
      const s = table.slotOf(id);
      const cx = Math.min(cols - 1, Math.floor((xs[s]! - minX) / cell));
      const cy = Math.min(rows - 1, Math.floor((ys[s]! - minY) / cell));
      const c = cols === 1 && rows === 1 ? 0 : cy * cols + cx;
      cellOf[s] = c;
      if ((roles[s]! & MARKER) !== 0 && !despawnedIds.has(id)) cellStart[c + 1]!++;
    }
    for (let c = 0; c < cells; c++) cellStart[c + 1]! += cellStart[c]!;
    const fill = cellStart.slice(0, cells);
    for (const id of order) {
      const s = table.slotOf(id);
      if ((roles[s]! & MARKER) !== 0 && !despawnedIds.has(id)) cellItems[fill[cellOf[s]!]!++] = s;
    }
    return { cols, rows };
  }

  private grow(slot: number): void {
    let size = this.ids.length;
    while (size <= slot) size *= 2;
    const f64 = (old: Float64Array) => {
      const next = new Float64Array(size);
      next.set(old);
      return next;
    };
    const i32 = (old: Int32Array) => {
      const next = new Int32Array(size);
      next.set(old);
      return next;
    };
    this.ids = i32(this.ids);
    this.mark = f64(this.mark);
    this.moved = i32(this.moved);
    this.removedAt = i32(this.removedAt);
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

/** Growable event columns. */
export class EventBuffer {
  count = 0;
  kinds = new Uint8Array(256);
  watchers = new Int32Array(256);
  targets = new Int32Array(256);

  push(kind: number, watcher: number, target: number): void {
    if (this.count === this.kinds.length) this.reserve(this.count + 1);
    this.kinds[this.count] = kind;
    this.watchers[this.count] = watcher;
    this.targets[this.count] = target;
    this.count++;
  }

  append(other: EventBuffer): void {
    this.reserve(this.count + other.count);
    this.kinds.set(other.kinds.subarray(0, other.count), this.count);
    this.watchers.set(other.watchers.subarray(0, other.count), this.count);
    this.targets.set(other.targets.subarray(0, other.count), this.count);
    this.count += other.count;
  }

  reserve(size: number): void {
    if (size <= this.kinds.length) return;
    let next = this.kinds.length;
    while (next < size) next *= 2;
    const kinds = new Uint8Array(next);
    kinds.set(this.kinds);
    const watchers = new Int32Array(next);
    watchers.set(this.watchers);
    const targets = new Int32Array(next);
    targets.set(this.targets);
    this.kinds = kinds;
    this.watchers = watchers;
    this.targets = targets;
  }

  /** One watcher's events: an insertion sort by target (a target has one event per pair and tick). */
  sortByTarget(): void {
    const { kinds, targets } = this;
    for (let i = 1; i < this.count; i++) {
      const t = targets[i]!;
      const k = kinds[i]!;
      let j = i - 1;
      while (j >= 0 && targets[j]! > t) {
        targets[j + 1] = targets[j]!;
        kinds[j + 1] = kinds[j]!;
        j--;
      }
      targets[j + 1] = t;
      kinds[j + 1] = k;
    }
  }

  columns(): EventColumns {
    return {
      count: this.count,
      kinds: this.kinds.subarray(0, this.count),
      watchers: this.watchers.subarray(0, this.count),
      targets: this.targets.subarray(0, this.count),
    };
  }
}
