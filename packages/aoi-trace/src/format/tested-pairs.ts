// The pairs the incremental predictor tests in a tick (incremental-pass.ts), evaluated by the rule: bucketed by
// watcher slot and walked in the order of the live ids, so the events come out in canonical order (watchers
// ascending, each watcher's targets ascending) without sorting the pairs, repeats dropped.

import type { EventBuffer } from './event-buffer.js';
import { PairList } from './pair-list.js';
import { MARKER, type PredictorWorld, WATCHER } from './predictor-world.js';
import type { ViewTable } from './view-table.js';

/** What a pass needs of the tick begun. */
export interface PredictedTick {
  readonly tickSeq: number;
  readonly removed: ReadonlySet<number>;
  readonly despawned: ReadonlySet<number>;
}

export class TestedPairs {
  readonly pairs = new PairList();
  /** The pairs bucketed by watcher slot: slot s's targets are byWatcher[starts[s] .. starts[s + 1]). */
  private starts = new Int32Array(0);
  private byWatcher = new Int32Array(0);

  constructor(private readonly world: PredictorWorld) {}

  /** The rule on every pair (no move events); the events are appended to `out` in canonical order. */
  predict(tick: PredictedTick, respawned: ReadonlySet<number>, views: ViewTable, out: EventBuffer): void {
    const { world } = this;
    const { table, roles, z, view2, leave2, viewH, leaveH, order } = world;
    const { qx: xs, qy: ys } = table;
    const { removed, despawned } = tick;
    const anyRemoved = removed.size > 0;
    const byWatcher = this.bucket();
    const { starts } = this;
    for (let o = 0; o < order.length; o++) {
      const w = order[o]!;
      const ws = table.slotOf(w);
      const from = starts[ws]!;
      const to = starts[ws + 1]!;
      if (from === to || (anyRemoved && despawned.has(w))) continue;
      const vslot = views.slotOf(w);
      const watching = (roles[ws]! & WATCHER) !== 0;
      if (!watching && vslot < 0) continue;
      sortTargets(byWatcher, from, to);
      for (let k = from; k < to; k++) {
        const t = byWatcher[k]!;
        if (k > from && t === byWatcher[k - 1]) continue;
        const ts = table.slotOf(t);
        // Neither a pair in view (that needs a live target) nor an enter: nothing predicted.
        if (ts < 0) continue;
        const gone = anyRemoved && removed.has(t);
        const was = vslot >= 0 && !gone && !(anyRemoved && respawned.has(w)) && views.has(w, t);
        const dx = xs[ws]! - xs[ts]!;
        const dy = ys[ws]! - ys[ts]!;
        const d2 = dx * dx + dy * dy;
        const dz = Math.abs(z[ws]! - z[ts]!);
        if (was) {
          const sees = watching && (roles[ts]! & MARKER) !== 0 && d2 <= leave2[ws]! && dz <= leaveH[ws]!;
          if (!sees) out.push(1, w, t);
        } else if (
          watching &&
          t !== w &&
          (roles[ts]! & MARKER) !== 0 &&
          !(gone && despawned.has(t)) &&
          d2 <= view2[ws]! &&
          dz <= viewH[ws]!
        ) {
          out.push(0, w, t);
        }
      }
    }
  }

  /** Buckets the pairs by watcher slot (pairs whose watcher is not live are dropped); returns the targets. */
  private bucket(): Int32Array {
    const pairs = this.pairs;
    const { table } = this.world;
    const slots = this.world.ids.length;
    if (this.starts.length < slots + 1) this.starts = new Int32Array(slots + 1);
    if (this.byWatcher.length < pairs.count) this.byWatcher = new Int32Array(pairs.count * 2);
    const { starts, byWatcher } = this;
    starts.fill(0, 0, slots + 1);
    const { watchers, targets, count } = pairs;
    // The watcher's slot, kept in place of its id (ids are not needed again).
    for (let i = 0; i < count; i++) {
      const ws = table.slotOf(watchers[i]!);
      watchers[i] = ws;
      if (ws >= 0) starts[ws + 1]!++;
    }
    for (let s = 0; s < slots; s++) starts[s + 1]! += starts[s]!;
    const fill = starts.slice(0, slots);
    for (let i = 0; i < count; i++) {
      const ws = watchers[i]!;
      if (ws >= 0) byWatcher[fill[ws]!++] = targets[i]!;
    }
    return byWatcher;
  }
}

/** Insertion sort of list[from .. to) (a watcher's tested targets: a handful). */
function sortTargets(list: Int32Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const t = list[i]!;
    let j = i - 1;
    while (j >= from && list[j]! > t) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = t;
  }
}
