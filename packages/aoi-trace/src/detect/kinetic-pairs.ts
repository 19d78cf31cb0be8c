import type { TickRecord } from '../model/types.js';
import type { WorldState } from '../model/world-state.js';
import { HeightColumns, isVerticalMove, zOf } from './cylinder.js';
import { TickGeometry } from './tick-geometry.js';

/**
 * Which pairs a detector must look at this tick. `full`: every pair (the first tick, a spawn, update, despawn or
 * resync, or a candidate rebuild). Otherwise only `watchers[i], targets[i]` (ids, i < count, maybe repeated): every
 * other pair decides exactly as it did when it was last looked at.
 */
export interface PairChanges {
  full: boolean;
  count: number;
  watchers: Int32Array;
  targets: Int32Array;
  /**
   * On a non-full tick: each pair's slots in `world` (-1: not a live entity, e.g. an event about an unknown id), whose
   * arrays hold every live entity as the tick left it, so a detector reads positions, radii and roles from typed
   * arrays instead of looking both entities up in the world's Map. Undefined on full ticks.
   */
  watcherSlots: Int32Array;
  targetSlots: Int32Array;
  world: TickGeometry | undefined;
}

/** Buckets of the schedule between two rebuilds: they cover travel 0 .. skin since the rebuild. */
const BUCKETS = 64;
/** Thresholds per watcher: its view and leave radius, each minus, at and plus the tolerance. */
const THRESHOLDS = 6;
/** The side of a pair beyond every threshold (2 per threshold): out of reach. */
const FAR = 2 * THRESHOLDS;
/** With height, the vertical zone (0..2, cylinder.ts) goes above the horizontal side (0..FAR) in a side. */
const ZONE_UNIT = 16;
/** A bucket entry keeps the side in the watcher slot's top bits: slots up to 2^26 (larger worlds: full ticks). */
const SIDE_SHIFT = 26;
const SLOT_MASK = (1 << SIDE_SHIFT) - 1;

/**
 * A kinetic schedule of the (watcher, marker) pairs, so the per-tick work follows what changed, not the pairs in
 * view. A pair's decisions (ground truth's hysteresis, divergence's contradictions) depend on its distance only
 * through which side of the thresholds r - tol, r, r + tol (r: the watcher's view and leave radii) it is on. When
 * a pair is looked at, its side and its margin m to the nearest threshold are kept; its distance cannot change by
 * more than the two entities' displacements, together at most 2 * (M - M0), M being the running sum of each
 * tick's largest displacement. So the pair is due again once M >= M0 + m / 2, and waits in a bucket queue on M;
 * when due, it is handed to the detectors only if its side changed. Candidates are the pairs within
 * leave + tol + skin at the last rebuild; the candidates are rebuilt once M has grown by skin / 2 (before anyone
 * outside could have come within reach, but for the tick's own overshoot, whose pairs are handed over).
 * Events, spawns, updates and despawns change what the rules decide without moving anyone: an event's pair is
 * handed over, the rest make the tick full (every pair).
 * Height (cylinder.ts): a vertical move (an update of z alone) is a move; M grows by the tick's largest displacement
 * horizontally or vertically, a pair's side includes its vertical zone and its margin the gap of |dz| to the
 * watcher's half-heights (|dz| too changes by at most the two displacements), so a pair that crosses a half-height
 * without moving horizontally comes due as well. The candidates stay horizontal: a vertical move never rebuilds them.
 */
export class KineticPairs {
  private readonly geometry: TickGeometry;
  private needFull = true;
  /** Running sum of each tick's largest displacement. */
  private travel = 0;
  private rebuiltAt = 0;
  private skin = 0;
  private bucketWidth = 1;
  private nextBucket = 0;
  /**
   * The candidate pairs waiting, two int32 per pair: watcher slot | side << SIDE_SHIFT (its side when last looked
   * at), target slot. A pair moves from bucket to bucket with its data, so popping reads memory in order.
   */
  private readonly buckets: Int32Array[] = [];
  /** Int32s used in each bucket. */
  private readonly bucketSizes = new Int32Array(BUCKETS);
  /** Per watcher slot: its thresholds, and their squares as the detectors compute them. */
  private limits = new Float64Array(0);
  private limits2 = new Float64Array(0);
  private readonly out: PairChanges = {
    full: true,
    count: 0,
    watchers: new Int32Array(1024),
    targets: new Int32Array(1024),
    watcherSlots: new Int32Array(1024),
    targetSlots: new Int32Array(1024),
    world: undefined,
  };

  /** `skinShare`: the skin as a share of the largest leave radius (bigger: rarer rebuilds, more candidates). */
  constructor(
    private readonly tolerance: number,
    private readonly skinShare = 0.5,
  ) {
    this.geometry = new TickGeometry(tolerance);
    for (let b = 0; b < BUCKETS; b++) this.buckets.push(new Int32Array(512));
  }

  /** The next tick is full (after lost ticks, or when the detectors start over). */
  invalidate(): void {
    this.needFull = true;
  }

  /** The trace has height from now on: sides and margins include the vertical zone; the next tick is full. */
  enableHeight(): void {
    this.geometry.height ??= new HeightColumns();
    this.needFull = true;
  }

  /** Call after `state.apply(record)`. */
  update(state: WorldState, record: TickRecord): PairChanges {
    const out = this.out;
    out.count = 0;
    out.full =
      this.needFull ||
      record.resync !== undefined ||
      record.spawns.length > 0 ||
      (record.updates.length > 0 && !this.verticalMovesOnly(record)) ||
      record.despawns.length > 0 ||
      !this.advance(state, record) ||
      this.geometry.count > SLOT_MASK;
    if (!out.full) {
      this.popDue();
      const since = this.travel - this.rebuiltAt;
      // A pair beyond the last bucket could be due: only when one tick moved more than half the skin.
      if (since >= this.skin) out.full = true;
      else if (2 * since >= this.skin) this.rebuild(state, 2 * since - this.skin);
    }
    if (out.full) {
      out.count = 0;
      out.world = undefined;
      this.rebuild(state, -1);
      return out;
    }
    out.world = this.geometry;
    const { events } = record;
    const { slotOf } = this.geometry;
    for (let i = 0; i < events.count; i++) {
      const watcher = events.watchers[i]!;
      const target = events.targets[i]!;
      this.push(watcher, target, slotOf.get(watcher) ?? -1, slotOf.get(target) ?? -1);
    }
    return out;
  }

  /** With height, whether every update of the tick is a vertical move (followed as a move, not a full tick). */
  private verticalMovesOnly(record: TickRecord): boolean {
    if (this.geometry.height === undefined) return false;
    for (const update of record.updates) if (!isVerticalMove(update)) return false;
    return true;
  }

  /** Follows the moves; false when an id is unknown. */
  private advance(state: WorldState, record: TickRecord): boolean {
    const { xs, ys, slotOf } = this.geometry;
    const moves = record.moves;
    let most = 0;
    for (let i = 0; i < moves.count; i++) {
      const id = moves.ids[i]!;
      const slot = slotOf.get(id);
      const e = state.entities.get(id);
      if (slot === undefined || e === undefined) return false;
      const dx = e.x - xs[slot]!;
      const dy = e.y - ys[slot]!;
      const d = Math.sqrt(dx * dx + dy * dy);
      xs[slot] = e.x;
      ys[slot] = e.y;
      if (d > most) most = d;
    }
    const height = this.geometry.height;
    // Vertical moves (verticalMovesOnly checked that every update is one).
    if (height !== undefined) {
      for (const update of record.updates) {
        const slot = slotOf.get(update.id);
        const e = state.entities.get(update.id);
        if (slot === undefined || e === undefined) return false;
        const z = zOf(e);
        const d = Math.abs(z - height.zs[slot]!);
        height.zs[slot] = z;
        if (d > most) most = d;
      }
    }
    // Rounding: a hair more than the largest displacement.
    this.travel += most * (1 + 1e-9) + (most > 0 ? 1e-12 : 0);
    return true;
  }

  /**
   * New candidates from the current positions. `overshoot` < 0: a full tick (the detectors look at every pair).
   * Otherwise the skin was used up by `overshoot` this tick: pairs that were not candidates may have come that far
   * within reach; they are handed over.
   */
  private rebuild(state: WorldState, overshoot: number): void {
    this.needFull = false;
    const g = this.geometry;
    g.load(state);
    const tol = this.tolerance;
    let reach = 0;
    if (this.limits.length < g.count * THRESHOLDS) {
      this.limits = new Float64Array(g.ids.length * THRESHOLDS);
      this.limits2 = new Float64Array(g.ids.length * THRESHOLDS);
    }
    const { limits, limits2 } = this;
    for (let i = 0; i < g.count; i++) {
      if (!g.watcher[i]) continue;
      const v = g.views[i]!;
      const l = g.leaves[i]!;
      if (l > reach) reach = l;
      const at = i * THRESHOLDS;
      limits[at] = v - tol;
      limits[at + 1] = v;
      limits[at + 2] = v + tol;
      limits[at + 3] = l - tol;
      limits[at + 4] = l;
      limits[at + 5] = l + tol;
      // The same expressions as the detectors' comparisons (band(), the grid's reach, divergence's inner radius).
      limits2[at] = Math.max(0, v - tol) ** 2;
      limits2[at + 1] = v * v;
      limits2[at + 2] = (v + tol) ** 2;
      limits2[at + 3] = Math.max(0, l - tol) ** 2;
      limits2[at + 4] = l * l;
      limits2[at + 5] = (l + tol) * (l + tol);
    }
    this.skin = Math.max(4 * tol, this.skinShare * reach, 1e-6);
    g.slack = tol + this.skin;
    g.findPairs();
    this.rebuiltAt = this.travel;
    this.bucketWidth = this.skin / BUCKETS;
    this.nextBucket = 0;
    this.bucketSizes.fill(0);
    const { ids, pairWatchers, pairTargets, pairD2 } = g;
    for (let k = 0; k < g.pairCount; k++) {
      const w = pairWatchers[k]!;
      const t = pairTargets[k]!;
      const side = this.schedule(w, t, -1);
      if (overshoot < 0 || side % ZONE_UNIT === FAR) continue;
      // Outside the old candidates (beyond reach + skin), a pair moved at most skin + overshoot closer since.
      const reachOf = limits[w * THRESHOLDS + 5]!;
      const edge = reachOf - overshoot - 1e-6 * (1 + reachOf);
      if (pairD2[k]! > (edge > 0 ? edge * edge : -1)) this.push(ids[w]!, ids[t]!, w, t);
    }
  }

  /** Looks at the pairs of every bucket whose start M has reached, and schedules them again. */
  private popDue(): void {
    const last = Math.min(BUCKETS - 1, Math.floor((this.travel - this.rebuiltAt) / this.bucketWidth));
    const ids = this.geometry.ids;
    for (let b = this.nextBucket; b <= last; b++) {
      const bucket = this.buckets[b]!;
      // Pairs scheduled again land after b: the size read here is final.
      const size = this.bucketSizes[b]!;
      for (let i = 0; i < size; i += 2) {
        const packed = bucket[i]!;
        const w = packed & SLOT_MASK;
        const t = bucket[i + 1]!;
        const side = this.schedule(w, t, b);
        // Same side of every threshold: nothing the rules look at changed (no threshold was crossed in between,
        // or the pair would have come due then).
        if (side !== packed >>> SIDE_SHIFT) this.push(ids[w]!, ids[t]!, w, t);
      }
      this.bucketSizes[b] = 0;
    }
    this.nextBucket = Math.max(this.nextBucket, last + 1);
  }

  /**
   * Puts the pair (slots w, t) in the bucket of M at which its margin may be used up (after bucket `after`), with
   * its side: the sum of sideOf(d2, threshold^2), the same for two distances only if every comparison is.
   */
  private schedule(w: number, t: number, after: number): number {
    const { xs, ys } = this.geometry;
    const dx = xs[w]! - xs[t]!;
    const dy = ys[w]! - ys[t]!;
    const d2 = dx * dx + dy * dy;
    const d = Math.sqrt(d2);
    const { limits, limits2 } = this;
    const at = w * THRESHOLDS;
    let side = 0;
    let margin = Number.POSITIVE_INFINITY;
    for (let j = at; j < at + THRESHOLDS; j++) {
      const x2 = limits2[j]!;
      if (d2 > x2) side += 2;
      else if (d2 === x2) side += 1;
      const gap = Math.abs(d - limits[j]!);
      if (gap < margin) margin = gap;
    }
    margin -= 1e-9 * (1 + d + limits[at + 5]!);
    const height = this.geometry.height;
    if (height !== undefined) {
      side += height.zone(w, t) * ZONE_UNIT;
      const gap = height.gap(w, t);
      if (gap < margin) margin = gap;
    }
    const due = this.travel - this.rebuiltAt + (margin > 0 ? margin / 2 : 0);
    let b = Math.floor(due / this.bucketWidth);
    if (b <= after) b = after + 1;
    // Beyond the last bucket: the rebuild comes first and looks at the pair again.
    if (b >= BUCKETS) return side;
    let bucket = this.buckets[b]!;
    const size = this.bucketSizes[b]!;
    if (size === bucket.length) {
      bucket = doubled(bucket);
      this.buckets[b] = bucket;
    }
    bucket[size] = w | (side << SIDE_SHIFT);
    bucket[size + 1] = t;
    this.bucketSizes[b] = size + 2;
    return side;
  }

  private push(watcher: number, target: number, watcherSlot: number, targetSlot: number): void {
    const out = this.out;
    if (out.count === out.watchers.length) {
      out.watchers = doubled(out.watchers);
      out.targets = doubled(out.targets);
      out.watcherSlots = doubled(out.watcherSlots);
      out.targetSlots = doubled(out.targetSlots);
    }
    out.watchers[out.count] = watcher;
    out.targets[out.count] = target;
    out.watcherSlots[out.count] = watcherSlot;
    out.targetSlots[out.count++] = targetSlot;
  }
}

/** A copy with twice the room. */
function doubled(old: Int32Array): Int32Array {
  const next = new Int32Array(old.length * 2);
  next.set(old);
  return next;
}
