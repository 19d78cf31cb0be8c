import type { AoiAlgorithm, DirtySet } from './algorithm.js';
import { canSee, type EntityStore } from './entity-store.js';
import type { TransitionBuffer } from './event-queue.js';
import { EventKind } from './types.js';

/**
 * The reference: every dirty entity against every other one, with the view relation as a bit matrix.
 * O(dirty × n) per update and n² bits of memory; correct by construction, used as the oracle.
 */
export class BruteForceAlgorithm implements AoiAlgorithm {
  readonly name = 'brute-force';
  private words = 0;
  private bits = new Int32Array(0);

  constructor(private readonly store: EntityStore) {
    this.resize(store.capacity);
  }

  resize(capacity: number): void {
    const words = (capacity + 31) >>> 5;
    if (words <= this.words) return;
    const next = new Int32Array(capacity * words);
    const oldWords = this.words;
    for (let w = 0; oldWords > 0 && w * oldWords < this.bits.length; w++) {
      next.set(this.bits.subarray(w * oldWords, (w + 1) * oldWords), w * words);
    }
    this.bits = next;
    this.words = words;
  }

  added(): void {}

  rolesChanged(): void {}

  private sees(w: number, t: number): boolean {
    return (this.bits[w * this.words + (t >>> 5)]! & (1 << (t & 31))) !== 0;
  }

  private set(w: number, t: number, on: boolean): void {
    const i = w * this.words + (t >>> 5);
    if (on) this.bits[i]! |= 1 << (t & 31);
    else this.bits[i]! &= ~(1 << (t & 31));
  }

  remove(slot: number, out: TransitionBuffer): void {
    const end = this.store.end;
    for (let other = 0; other < end; other++) {
      if (this.sees(slot, other)) {
        out.push(slot, other, EventKind.Leave);
        this.set(slot, other, false);
      }
      if (this.sees(other, slot)) {
        out.push(other, slot, EventKind.Leave);
        this.set(other, slot, false);
      }
    }
  }

  update(dirty: DirtySet, out: TransitionBuffer, moveEvents: boolean): void {
    const { store } = this;
    const { alive, x, y } = store;
    const end = store.end;
    for (let i = 0; i < dirty.count; i++) {
      const a = dirty.slots[i]!;
      if (alive[a] === 0) continue;
      for (let b = 0; b < end; b++) {
        // A pair of two dirty slots is evaluated once, from the lower slot.
        if (b === a || alive[b] === 0 || (dirty.flag[b] === 1 && b < a)) continue;
        const dx = x[a]! - x[b]!;
        const dy = y[a]! - y[b]!;
        const d2 = dx * dx + dy * dy;
        this.evaluate(a, b, d2, out, moveEvents && dirty.moved[b] === 1);
        this.evaluate(b, a, d2, out, moveEvents && dirty.moved[a] === 1);
      }
    }
  }

  private evaluate(w: number, t: number, d2: number, out: TransitionBuffer, targetMoved: boolean): void {
    const { store } = this;
    const was = this.sees(w, t);
    const allowed = canSee(store, w, t);
    let now = allowed && (was ? d2 <= store.leave2[w]! : d2 <= store.view2[w]!);
    // Height: the view is a cylinder, the same hysteresis on |dz| (docs/aoi.md, "Height").
    if (now && store.hasHeight) now = Math.abs(store.z[w]! - store.z[t]!) <= (was ? store.leaveH[w]! : store.viewH[w]!);
    if (was && !now) out.push(w, t, EventKind.Leave);
    else if (!was && now) out.push(w, t, EventKind.Enter);
    else if (was && targetMoved) out.push(w, t, EventKind.Move);
    if (was !== now) this.set(w, t, now);
  }

  forEachSeen(w: number, fn: (target: number) => void): void {
    for (let t = 0; t < this.store.end; t++) if (this.sees(w, t)) fn(t);
  }

  forEachWatcher(t: number, fn: (watcher: number) => void): void {
    for (let w = 0; w < this.store.end; w++) if (this.sees(w, t)) fn(w);
  }
}
