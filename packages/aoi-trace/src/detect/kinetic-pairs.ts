import type { TickRecord } from '../model/types.js';
import type { WorldState } from '../model/world-state.js';
import { HeightColumns, isVerticalMove } from './cylinder.js';
import { emptyChanges, type PairChanges } from './pair-changes.js';
import { SlotPairSet } from './slot-pair-set.js';
import { FAR, marginOf, sideOf } from './threshold-sides.js';
import { TickGeometry } from './tick-geometry.js';

/** Buckets of the schedule between two rebuilds: they cover travel 0 .. skin since the rebuild. */
const BUCKETS = 64;
/**
 * Two more lists after the buckets: the pairs due before the first bucket not yet popped starts (OVERDUE: no bucket
 * pops them in time, as a bucket pops once M reaches its start), looked at on the next tick whatever M is then; and
 * the previous tick's overdue list while it is read (SPARE). The two are swapped at each pop.
 */
const OVERDUE = BUCKETS;
const SPARE = BUCKETS + 1;
/** With height, the vertical zone (0..2, cylinder.ts) goes above the horizontal side (0..FAR) in a side. */
const ZONE_UNIT = 16;
/** A bucket entry keeps the side in the watcher slot's top bits: slots up to 2^26 (larger worlds: full ticks). */
const SIDE_SHIFT = 26;
const SLOT_MASK = (1 << SIDE_SHIFT) - 1;
/** Doubles per slot in KineticPairs.slots: x, y, view radius, leave radius. */
const STRIDE = 4;

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
  /** Int32s used in each bucket (and in OVERDUE, SPARE). */
  private readonly bucketSizes = new Int32Array(SPARE + 1);
  /**
   * Per slot, STRIDE doubles: x, y, view radius, leave radius; what a margin check reads of both entities, side by
   * side so a check touches two cache lines (the thresholds are recomputed from the radii, see sideOf/marginOf).
   */
  private slots = new Float64Array(0);
  /** The pairs handed over this tick (by slots), so none is handed twice. */
  private readonly handed = new SlotPairSet();
  private readonly out = emptyChanges(1024);

  /** `skinShare`: the skin as a share of the largest leave radius (bigger: rarer rebuilds, more candidates). */
  constructor(
    private readonly tolerance: number,
    private readonly skinShare = 0.5,
  ) {
    this.geometry = new TickGeometry(tolerance);
    for (let b = 0; b <= SPARE; b++) this.buckets.push(new Int32Array(512));
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
    this.handed.clear();
    out.full =
      this.needFull ||
      record.resync !== undefined ||
      record.spawns.length > 0 ||
      (record.updates.length > 0 && !this.verticalMovesOnly(record)) ||
      record.despawns.length > 0 ||
      !this.advance(record) ||
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
    const g = this.geometry;
    for (let i = 0; i < events.count; i++) {
      const watcher = events.watchers[i]!;
      const target = events.targets[i]!;
      this.push(watcher, target, g.slotIndex(watcher), g.slotIndex(target));
    }
    return out;
  }

  /** With height, whether every update of the tick is a vertical move (followed as a move, not a full tick). */
  private verticalMovesOnly(record: TickRecord): boolean {
    if (this.geometry.height === undefined) return false;
    for (const update of record.updates) if (!isVerticalMove(update)) return false;
    return true;
  }

  /**
   * Follows the moves (applied to `state` already, so every id is live there); false when an id is not in the
   * geometry. Reads the moves' columns, not the entities: each displacement is measured from the position before
   * the tick, so an id moved twice still counts its whole displacement.
   */
  private advance(record: TickRecord): boolean {
    const g = this.geometry;
    const { xs, ys } = g;
    const slots = this.slots;
    const { ids, xs: toX, ys: toY, count } = record.moves;
    let most = 0;
    for (let i = 0; i < count; i++) {
      const slot = g.slotIndex(ids[i]!);
      if (slot < 0) return false;
      const dx = toX[i]! - slots[slot * STRIDE]!;
      const dy = toY[i]! - slots[slot * STRIDE + 1]!;
      const d = Math.sqrt(dx * dx + dy * dy);
      if (d > most) most = d;
    }
    for (let i = 0; i < count; i++) {
      const slot = g.slotIndex(ids[i]!);
      xs[slot] = slots[slot * STRIDE] = toX[i]!;
      ys[slot] = slots[slot * STRIDE + 1] = toY[i]!;
    }
    const height = g.height;
    // Vertical moves (verticalMovesOnly checked that every update is one, so each carries its new z).
    if (height !== undefined) {
      for (const update of record.updates) {
        const slot = g.slotIndex(update.id);
        if (slot < 0 || update.z === undefined) return false;
        const d = Math.abs(update.z - height.zs[slot]!);
        height.zs[slot] = update.z;
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
    if (this.slots.length < g.count * STRIDE) this.slots = new Float64Array(g.ids.length * STRIDE);
    const slots = this.slots;
    for (let i = 0; i < g.count; i++) {
      const at = i * STRIDE;
      slots[at] = g.xs[i]!;
      slots[at + 1] = g.ys[i]!;
      slots[at + 2] = g.views[i]!;
      slots[at + 3] = g.leaves[i]!;
      if (g.watcher[i] && g.leaves[i]! > reach) reach = g.leaves[i]!;
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
      const reachOf = slots[w * STRIDE + 3]! + tol;
      const edge = reachOf - overshoot - 1e-6 * (1 + reachOf);
      if (pairD2[k]! > (edge > 0 ? edge * edge : -1)) this.push(ids[w]!, ids[t]!, w, t);
    }
  }

  /**
   * Looks at the pairs left overdue by the last tick, then at those of every bucket whose start M has reached, and
   * schedules them again: the schedule's hot loop (~150,000 pairs a dense tick), so {@link schedule}'s work is
   * repeated here over locals, a bucket at a time. A pair due within the buckets popped now goes to OVERDUE, not to
   * the bucket after them: that one pops only once M reaches its start, ticks after the pair is due when a tick
   * moves less than a bucket's width (such a pair crossed a radius unseen: issue 15, incremental.test.ts).
   */
  private popDue(): void {
    const since = this.travel - this.rebuiltAt;
    const width = this.bucketWidth;
    const last = Math.min(BUCKETS - 1, Math.floor(since / width));
    const ids = this.geometry.ids;
    const { slots, buckets, bucketSizes, tolerance: tol } = this;
    const height = this.geometry.height;
    [buckets[OVERDUE], buckets[SPARE]] = [buckets[SPARE]!, buckets[OVERDUE]!];
    bucketSizes[SPARE] = bucketSizes[OVERDUE]!;
    bucketSizes[OVERDUE] = 0;
    // k = nextBucket - 1: the overdue list (SPARE now), then the buckets M has reached.
    for (let k = this.nextBucket - 1; k <= last; k++) {
      const b = k < this.nextBucket ? SPARE : k;
      const bucket = buckets[b]!;
      // Pairs scheduled again land after b: the size read here is final.
      const size = bucketSizes[b]!;
      for (let i = 0; i < size; i += 2) {
        const packed = bucket[i]!;
        const w = packed & SLOT_MASK;
        const t = bucket[i + 1]!;
        const d2 = distance2(slots, w, t);
        const view = slots[w * STRIDE + 2]!;
        const leave = slots[w * STRIDE + 3]!;
        let side = sideOf(d2, view, leave, tol);
        let margin = marginOf(Math.sqrt(d2), view, leave, tol);
        if (height !== undefined) {
          side += height.zone(w, t) * ZONE_UNIT;
          margin = Math.min(margin, height.gap(w, t));
        }
        let next = Math.floor((since + (margin > 0 ? margin / 2 : 0)) / width);
        if (next <= last) next = OVERDUE;
        // Beyond the last bucket: the rebuild comes first and looks at the pair again.
        else if (next >= BUCKETS) next = -1;
        if (next >= 0) {
          let into = buckets[next]!;
          const used = bucketSizes[next]!;
          if (used === into.length) {
            into = doubled(into);
            buckets[next] = into;
          }
          into[used] = w | (side << SIDE_SHIFT);
          into[used + 1] = t;
          bucketSizes[next] = used + 2;
        }
        // Same side of every threshold: nothing the rules look at changed (no threshold was crossed in between,
        // or the pair would have come due then).
        if (side !== packed >>> SIDE_SHIFT) this.push(ids[w]!, ids[t]!, w, t);
      }
      bucketSizes[b] = 0;
    }
    this.nextBucket = Math.max(this.nextBucket, last + 1);
  }

  /**
   * Puts the pair (slots w, t) in the bucket of M at which its margin may be used up (after bucket `after`), with
   * its side: the sum of sideOf(d2, threshold^2), the same for two distances only if every comparison is.
   */
  private schedule(w: number, t: number, after: number): number {
    const { slots, tolerance: tol } = this;
    const d2 = distance2(slots, w, t);
    const view = slots[w * STRIDE + 2]!;
    const leave = slots[w * STRIDE + 3]!;
    let side = sideOf(d2, view, leave, tol);
    let margin = marginOf(Math.sqrt(d2), view, leave, tol);
    const height = this.geometry.height;
    if (height !== undefined) {
      side += height.zone(w, t) * ZONE_UNIT;
      margin = Math.min(margin, height.gap(w, t));
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

  /** Hands the pair over, once a tick when both slots are known (an unknown id's pair is handed as it comes). */
  private push(watcher: number, target: number, watcherSlot: number, targetSlot: number): void {
    if (watcherSlot >= 0 && targetSlot >= 0 && !this.handed.add(watcherSlot, targetSlot)) return;
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

/**
 * The pair's squared distance as the schedule measures it (slots w, t): the one geometric input of the schedule,
 * so a variant with another distance (height) replaces this function (and the slots' layout) only.
 */
function distance2(slots: Float64Array, w: number, t: number): number {
  const a = w * STRIDE;
  const b = t * STRIDE;
  const dx = slots[a]! - slots[b]!;
  const dy = slots[a + 1]! - slots[b + 1]!;
  return dx * dx + dy * dy;
}

/** A copy with twice the room. */
function doubled(old: Int32Array): Int32Array {
  const next = new Int32Array(old.length * 2);
  next.set(old);
  return next;
}
