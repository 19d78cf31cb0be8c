// The format 3 predictor's kinetic schedule (event-predictor.ts): which (watcher, marker) pairs may decide
// differently than when they were last tested, so a tick re-tests those and not every pair in reach.
//
// A pair's geometric verdicts are two booleans, its side: "in view" (d2 <= view * view and dz <= view height) and
// "within leave" (d2 <= leave * leave and dz <= leave height), the rule's own double expressions. When a pair is
// tested, its side and its margin m (the distance's gap to the nearer radius, less 1e-9 of the sizes, far more than
// the doubles' rounding) are kept. Two entities' distance changes by at most the sum of their displacements, so by
// at most 2 * T, T being the running sum of each tick's largest displacement; z changes only by updates, which
// restart the schedule. So the side cannot change before T reaches T0 + m / 2; the pair waits in a bucket queue on T
// until then. Candidates are the pairs within reach + skin at the last rebuild (or at a spawn); no other pair can
// come within a radius before T has grown by skin / 2 since, when the predictor rebuilds. Slots are checked by
// serial: a pair whose entity was removed (or whose slot was reused) since it was scheduled is dropped.

import type { PredictorWorld } from './predictor-world.js';

/** Buckets between two rebuilds: they cover travel 0 .. skin / 2 since the rebuild. */
const BUCKETS = 64;
/** An entry keeps the side in the watcher slot's top bits: slots below 2^28 (larger worlds: no schedule). */
const SIDE_SHIFT = 28;
const SLOT_MASK = (1 << SIDE_SHIFT) - 1;
export const MAX_SLOTS = SLOT_MASK;
/** Int32s per entry: watcher slot | side << SIDE_SHIFT, target slot, serial stamp. */
const ENTRY = 3;

export class KineticSchedule {
  /** Largest displacements summed since the rebuild. */
  since = 0;
  skin = 0;
  private width = 1;
  private nextBucket = 0;
  private readonly buckets: Int32Array<ArrayBuffer>[] = [];
  private readonly sizes = new Int32Array(BUCKETS);
  /** Pairs due by the next tick (their margin is used up within buckets already passed). */
  private soon: Int32Array<ArrayBuffer> = new Int32Array(3 * 256);
  private soonSize = 0;
  private later: Int32Array<ArrayBuffer> = new Int32Array(3 * 256);
  /** Pairs stored (all buckets and soon). */
  size = 0;
  /** Pairs tested again since the counter was last reset (the incremental pass's cost). */
  retests = 0;
  /** Pairs (slots, two int32 each) whose side changed when they came due this tick. */
  changed: Int32Array<ArrayBuffer> = new Int32Array(512);
  changedCount = 0;

  constructor(private readonly world: PredictorWorld) {
    for (let b = 0; b < BUCKETS; b++) this.buckets.push(new Int32Array(ENTRY * 64));
  }

  /** Forgets every pair; the next pairs are scheduled against a rebuild with this skin (live serials start over). */
  reset(skin: number): void {
    this.since = 0;
    this.skin = skin;
    this.width = skin / 2 / BUCKETS;
    this.nextBucket = 0;
    this.sizes.fill(0);
    this.soonSize = 0;
    this.size = 0;
    const { world } = this;
    const { serial } = world;
    for (let s = 0; s < serial.length; s++) if (serial[s]! >= 0) serial[s] = 1;
    world.serials = 1;
  }

  /** The tick's largest displacement (a hair more, for rounding). */
  advance(most: number): void {
    if (most > 0) this.since += most * (1 + 1e-9);
  }

  /** Whether a pair outside the candidates may have come within a radius: rebuild first. */
  get expired(): boolean {
    return !(this.since < this.skin / 2);
  }

  /** Schedules the pair (slots w, t) from its current distance (after this tick's popDue); returns its side. */
  add(w: number, t: number): number {
    const { table, z } = this.world;
    const dx = table.qx[w]! - table.qx[t]!;
    const dy = table.qy[w]! - table.qy[t]!;
    return this.addTested(w, t, dx * dx + dy * dy, Math.abs(z[w]! - z[t]!));
  }

  /** {@link KineticSchedule.add} with the pair's d2 and dz computed already (a full pass's, by the same expressions). */
  addTested(w: number, t: number, d2: number, dz: number): number {
    const { view2, leave2, viewH, leaveH, viewR, leaveR, reach } = this.world;
    const side = (d2 <= view2[w]! && dz <= viewH[w]! ? 1 : 0) | (d2 <= leave2[w]! && dz <= leaveH[w]! ? 2 : 0);
    const d = Math.sqrt(d2);
    const margin = Math.min(Math.abs(d - viewR[w]!), Math.abs(d - leaveR[w]!)) - 1e-9 * (1 + d + reach[w]!);
    this.put(w, t, side, this.world.serials, this.nextBucket - 1, margin);
    return side;
  }

  /** Tests every pair due by now and schedules it again; the side changes land in `changed`. */
  popDue(): void {
    this.changedCount = 0;
    const last = Math.min(BUCKETS - 1, Math.floor(this.since / this.width));
    // Soon pairs first: a swap, so those scheduled soon again land in the other list.
    const soon = this.soon;
    const soonSize = this.soonSize;
    this.soon = this.later;
    this.later = soon;
    this.soonSize = 0;
    this.size -= soonSize / ENTRY;
    this.retest(soon, soonSize, last);
    for (let b = this.nextBucket; b <= last; b++) {
      const size = this.sizes[b]!;
      this.sizes[b] = 0;
      this.size -= size / ENTRY;
      this.retest(this.buckets[b]!, size, last);
    }
    this.nextBucket = Math.max(this.nextBucket, last + 1);
  }

  private retest(list: Int32Array, size: number, last: number): void {
    const { serial, table, z, view2, leave2, viewH, leaveH, viewR, leaveR, reach } = this.world;
    const { qx, qy } = table;
    this.retests += size / ENTRY;
    for (let i = 0; i < size; i += ENTRY) {
      const packed = list[i]!;
      const w = packed & SLOT_MASK;
      const t = list[i + 1]!;
      const stamp = list[i + 2]!;
      const sw = serial[w]!;
      const st = serial[t]!;
      // Removed, or the slot holds another entity now: the pair is gone (a new one was scheduled at its spawn).
      if (sw < 0 || st < 0 || sw > stamp || st > stamp) continue;
      // test(), written out over hoisted arrays: this is the schedule's hot loop.
      const dx = qx[w]! - qx[t]!;
      const dy = qy[w]! - qy[t]!;
      const d2 = dx * dx + dy * dy;
      const dz = Math.abs(z[w]! - z[t]!);
      const side = (d2 <= view2[w]! && dz <= viewH[w]! ? 1 : 0) | (d2 <= leave2[w]! && dz <= leaveH[w]! ? 2 : 0);
      const d = Math.sqrt(d2);
      const margin = Math.min(Math.abs(d - viewR[w]!), Math.abs(d - leaveR[w]!)) - 1e-9 * (1 + d + reach[w]!);
      this.put(w, t, side, stamp, last, margin);
      if (side !== packed >>> SIDE_SHIFT) {
        if (this.changedCount * 2 === this.changed.length) this.changed = doubled(this.changed);
        this.changed[this.changedCount * 2] = w;
        this.changed[this.changedCount * 2 + 1] = t;
        this.changedCount++;
      }
    }
  }

  /**
   * Files the pair at the bucket of the travel at which its margin may be used up; in `soon` when that bucket was
   * passed already (`last`: the last bucket popped this tick); nowhere when the rebuild comes first.
   */
  private put(w: number, t: number, side: number, stamp: number, last: number, margin: number): void {
    const due = this.since + (margin > 0 ? margin / 2 : 0);
    const b = Math.floor(due / this.width);
    let list: Int32Array<ArrayBuffer>;
    let size: number;
    if (b <= last || !(margin > 0)) {
      if (this.soonSize === this.soon.length) this.soon = doubled(this.soon);
      list = this.soon;
      size = this.soonSize;
      this.soonSize += ENTRY;
    } else if (b < BUCKETS) {
      list = this.buckets[b]!;
      size = this.sizes[b]!;
      if (size === list.length) {
        list = doubled(list);
        this.buckets[b] = list;
      }
      this.sizes[b] = size + ENTRY;
    } else return;
    list[size] = w | (side << SIDE_SHIFT);
    list[size + 1] = t;
    list[size + 2] = stamp;
    this.size++;
  }
}

/** A copy with twice the room. */
function doubled(old: Int32Array): Int32Array<ArrayBuffer> {
  const next = new Int32Array(old.length * 2);
  next.set(old);
  return next;
}
