// Format 3.1 keyframes (keyframe-views.ts) store a view set against the pairs the rule holds within reach of the
// keyframe's entities, found by a full pass of the rule. When every watcher's view and leave radii (and
// half-heights) are equal, every such pair is "sure" (no band bits), and the writer knows the rest without that
// pass: a tick's prediction tests every live pair and predicts the event that makes the pair's state the rule's (an
// enter within the radius, a leave beyond it or for a removed id), so after the tick the view sets differ from the
// rule's pairs only at the pairs of the tick's missing and extra events, and at pairs the prediction never touches:
// those naming an id that is not live, or a watcher's own id, left by earlier deviations. Those few pairs are
// tested; every other pair is in the rule's set exactly when it is in view. The reader still finds the candidates
// (keyframe-views.ts) and decodes the same bytes.

import type { ChargeEvents, ChargeWork } from './event-predictor.js';
import { PairList } from './pair-list.js';
import type { CandidateGrid } from './predictor-grid.js';
import { MARKER, type PredictorWorld, WATCHER } from './predictor-world.js';
import { ViewTable } from './view-table.js';

const none: ReadonlySet<number> = new Set();

/** A keyframe's view sets against the rule's pairs: the rule's pairs out of view (indices), the views beyond it. */
export interface RuleViews {
  readonly missing: Int32Array;
  readonly extra: ViewTable;
}

/**
 * The keyframe's views against the rule, or undefined when the rule does not decide them all (a watcher with
 * different view and leave radii or heights) or `deviated` is not known (the predictor was positioned on a world
 * it did not predict). `deviated`: the pairs of the last tick's missing and extra events. Charges what the
 * keyframe's candidate finder charges, in its order (each watcher's block in the nominal `grid`, rebuilt here, then
 * its pairs), so the limits hold alike.
 */
export function ruleViews(
  world: PredictorWorld,
  views: ViewTable,
  grid: CandidateGrid,
  deviated: PairList | undefined,
  charge: ChargeEvents,
  work: ChargeWork,
): RuleViews | undefined {
  if (deviated === undefined) return undefined;
  if (world.orderStale) world.sortIds();
  const { table, roles, viewR, leaveR, viewH, leaveH, order, z, view2 } = world;
  const { qx, qy } = table;
  for (let o = 0; o < order.length; o++) {
    const s = table.slotOf(order[o]!);
    if ((roles[s]! & WATCHER) === 0) continue;
    // NaN fails both: such a world takes the finder's way.
    if (!(viewR[s]! >= 0 && viewR[s] === leaveR[s] && viewH[s] === leaveH[s])) return undefined;
  }
  /** Whether the rule holds (w, t) in view: the finder's expressions (keyframe-views.ts, full-pass.ts). */
  const rule = (w: number, t: number): boolean => {
    const ws = table.slotOf(w);
    const ts = table.slotOf(t);
    if (ws < 0 || ts < 0 || w === t || (roles[ws]! & WATCHER) === 0 || (roles[ts]! & MARKER) === 0) return false;
    const dx = qx[ws]! - qx[ts]!;
    const dy = qy[ws]! - qy[ts]!;
    return dx * dx + dy * dy <= view2[ws]! && Math.abs(z[ws]! - z[ts]!) <= viewH[ws]!;
  };
  const extra = new ViewTable();
  const absent = new PairList();
  for (let i = 0; i < deviated.count; i++) {
    const w = deviated.watchers[i]!;
    const t = deviated.targets[i]!;
    const seen = views.has(w, t);
    if (seen === rule(w, t)) continue;
    if (seen) extra.add(w, t);
    else absent.push(w, t);
  }
  // Pairs the prediction never touches: a watcher or target that is not live, a watcher's own id.
  const { lengths, ids } = views;
  for (let v = 0; v < views.slotLimit; v++) {
    if (lengths[v]! === 0) continue;
    const w = ids[v]!;
    const live = table.slotOf(w) >= 0;
    const targets = views.targetsOf(v);
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]!;
      if (!live || t === w || table.slotOf(t) < 0) extra.add(w, t);
    }
  }
  const missing = missingIndices(world, views, extra, absent);
  if (missing === undefined) return undefined;
  grid.build(world, none, 0, false);
  charge(0);
  for (let o = 0; o < order.length; o++) {
    const ws = table.slotOf(order[o]!);
    if ((roles[ws]! & WATCHER) === 0) continue;
    if (grid.cols > 0) work(grid.count(ws));
    if (missing.counts[o]! > 0) charge(missing.counts[o]!);
  }
  return { missing: missing.indices, extra };
}

/**
 * The indices of the `absent` pairs in the rule's pairs (watchers, then targets ascending), and each live watcher's
 * number of rule pairs (by its place in `world.order`): its views, less its extra ones, plus its absent ones.
 * Undefined if a count comes out impossible (a watcher that is no watcher with rule pairs): the finder decides then.
 */
function missingIndices(
  world: PredictorWorld,
  views: ViewTable,
  extra: ViewTable,
  absent: PairList,
): { indices: Int32Array; counts: Int32Array } | undefined {
  const { order, table, roles } = world;
  const n = absent.count;
  // Absent pairs sorted by watcher, then target (few: the last tick's missing enters).
  const sorted = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => absent.watchers[a]! - absent.watchers[b]! || absent.targets[a]! - absent.targets[b]!,
  );
  const counts = new Int32Array(order.length);
  const indices = new Int32Array(n);
  let next = 0;
  let base = 0;
  for (let o = 0; o < order.length; o++) {
    const w = order[o]!;
    const vslot = views.slotOf(w);
    const list = vslot >= 0 ? views.targetsOf(vslot) : undefined;
    const xslot = extra.slotOf(w);
    const beyond = xslot >= 0 ? extra.targetsOf(xslot) : undefined;
    const first = next;
    while (next < n && absent.watchers[sorted[next]!] === w) next++;
    const count = (list?.length ?? 0) - (beyond?.length ?? 0) + (next - first);
    if (count < 0 || (count > 0 && (roles[table.slotOf(w)]! & WATCHER) === 0)) return undefined;
    for (let k = first; k < next; k++) {
      const t = absent.targets[sorted[k]!]!;
      // Its rank among the rule's pairs of w: views below it, less extra ones below it, plus absent ones below it.
      indices[k] = base + below(list, t) - below(beyond, t) + (k - first);
    }
    counts[o] = count;
    base += count;
  }
  // An absent pair whose watcher is not live cannot be: the rule holds no such pair.
  if (next !== n) return undefined;
  return { indices, counts };
}

/** How many of the ascending `list` are below `t`. */
function below(list: Int32Array | undefined, t: number): number {
  if (list === undefined) return 0;
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (list[mid]! < t) low = mid + 1;
    else high = mid;
  }
  return low;
}
