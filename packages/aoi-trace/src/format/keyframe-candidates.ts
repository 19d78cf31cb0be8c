// Format 3.1's keyframe candidates (docs/aoitrace-format.md, "Keyframes (3.1)"): every pair (watcher, marker) within
// the watcher's view or leave reach at the keyframe's stored positions. Reading a keyframe starts here, so a seek pays
// for it every time: one walk of the predictor's own candidate grid (predictor-grid.ts, the cells the event
// predictor's full pass walks, so no pair within reach is ever missed), the rule's arithmetic on each pair, and a
// native sort of each watcher's hits. It finds what one prediction of the event predictor with every entity widened
// to its larger reach finds, filtered by the exact test (keyframe-candidates.test.ts checks it against exactly that),
// and charges the budget the same amounts in the same order, so a keyframe is refused by the same limits.

import { leaveHeightOf } from '../detect/cylinder.js';
import { EventBuffer } from './event-buffer.js';
import type { PredictedEntity } from './event-predictor.js';
import { type ChunkBudget, DecodeCost } from './limits.js';
import { CandidateGrid } from './predictor-grid.js';
import { PredictorWorld, WATCHER } from './predictor-world.js';

/** The pairs the rule may hold in view, watchers then targets ascending; `sure`: within both reaches. */
export interface KeyframeCandidates {
  readonly count: number;
  readonly watchers: Int32Array;
  readonly targets: Int32Array;
  /** 1: the rule says in view; 0: the hysteresis band (the stored bit says). */
  readonly sure: Uint8Array;
}

/**
 * What finding a keyframe's candidates charges `budget`: its pairs within the widened reach and its pair tests. The
 * writer's shortcut (rule-views.ts) charges the same through this, so a keyframe is refused at the same point.
 */
export function finderCharges(budget: ChunkBudget): { charge: (count: number) => void; work: (count: number) => void } {
  return {
    charge: (count) => budget.charge(count, DecodeCost.event, 'keyframe pair within reach'),
    work: (count) => budget.predictionWork(count),
  };
}

/** The larger of two extents, NaN counting as absent (NaN only when both are). */
const larger = (a: number, b: number): number => (b > a || Number.isNaN(a) ? b : a);

const noneDespawned: ReadonlySet<number> = new Set();

type Widened = { -readonly [K in keyof PredictedEntity]-?: NonNullable<PredictedEntity[K]> };

/**
 * Every pair (watcher, marker) within the view or the leave reach of the watcher, by the rule's arithmetic (format
 * 3.1: a missing leave half-height is the view half-height). `budget` bounds the work and the pairs.
 */
export function keyframeCandidates(entities: readonly PredictedEntity[], budget: ChunkBudget): KeyframeCandidates {
  // The widened world: each entity's larger reach and half-height as both (what the grid and the charges follow).
  const world = new PredictorWorld(true);
  const count = entities.length;
  const slots = new Int32Array(count);
  // One object of one shape, refilled per entity (add copies its fields): the entities' own vary in shape.
  const wide: Widened = {
    id: 0,
    x: 0,
    y: 0,
    z: 0,
    viewRadius: 0,
    leaveRadius: 0,
    viewHeight: 0,
    leaveHeight: 0,
    watcher: false,
    marker: false,
  };
  for (let k = 0; k < count; k++) {
    const e = entities[k]!;
    const reach = larger(Math.abs(e.viewRadius), Math.abs(e.leaveRadius));
    const height = larger(e.viewHeight ?? Number.POSITIVE_INFINITY, leaveHeightOf(e));
    wide.id = e.id;
    wide.x = e.x;
    wide.y = e.y;
    wide.z = e.z ?? 0;
    wide.viewRadius = reach;
    wide.leaveRadius = reach;
    wide.viewHeight = height;
    wide.leaveHeight = height;
    wide.watcher = e.watcher;
    wide.marker = e.marker;
    slots[k] = world.add(wide);
  }
  world.sortIds();
  // The exact radii and half-heights, by the world's slots (the rule's arithmetic, full-pass.ts).
  const size = world.ids.length;
  const view2 = new Float64Array(size);
  const leave2 = new Float64Array(size);
  const viewH = new Float64Array(size);
  const leaveH = new Float64Array(size);
  for (let k = 0; k < count; k++) {
    const e = entities[k]!;
    const s = slots[k]!;
    view2[s] = e.viewRadius * e.viewRadius;
    leave2[s] = e.leaveRadius * e.leaveRadius;
    viewH[s] = e.viewHeight ?? Number.POSITIVE_INFINITY;
    leaveH[s] = leaveHeightOf(e);
  }
  const grid = new CandidateGrid();
  grid.build(world, noneDespawned, 0, true);
  const { table, roles, z, order } = world;
  const wide2 = world.view2;
  const wideH = world.viewH;
  const { qx: xs, qy: ys } = table;
  const { cellStart, cellItems, cols } = grid;
  // Targets are collected as their rank by id: small integers, which the native sort handles without boxing.
  const rankOf = new Int32Array(size);
  for (let r = 0; r < order.length; r++) rankOf[table.slotOf(order[r]!)] = r;
  const sureByRank = new Uint8Array(order.length);
  // The sure bits go in the kinds column.
  const out = new EventBuffer();
  out.reserve(Math.min(count * 32, 1 << 22));
  let hits: Int32Array = new Int32Array(256);
  const { charge, work } = finderCharges(budget);
  charge(0);
  for (const w of order) {
    const ws = table.slotOf(w);
    if ((roles[ws]! & WATCHER) === 0 || cols === 0) continue;
    work(grid.count(ws));
    const { x0, x1, y0, y1 } = grid;
    const wx = xs[ws]!;
    const wy = ys[ws]!;
    const wz = z[ws]!;
    const wide2w = wide2[ws]!;
    const wideHw = wideH[ws]!;
    const view2w = view2[ws]!;
    const leave2w = leave2[ws]!;
    const viewHw = viewH[ws]!;
    const leaveHw = leaveH[ws]!;
    let widened = 0;
    let n = 0;
    for (let y = y0; y <= y1; y++) {
      const row = y * cols;
      for (let k = cellStart[row + x0]!, end = cellStart[row + x1 + 1]!; k < end; k++) {
        const ts = cellItems[k]!;
        if (ts === ws) continue;
        const dx = wx - xs[ts]!;
        const dy = wy - ys[ts]!;
        const d2 = dx * dx + dy * dy;
        const dz = Math.abs(wz - z[ts]!);
        if (!(d2 <= wide2w && dz <= wideHw)) continue;
        widened++;
        const inView = d2 <= view2w && dz <= viewHw;
        const inLeave = d2 <= leave2w && dz <= leaveHw;
        if (!inView && !inLeave) continue;
        if (n === hits.length) hits = grow(hits);
        const r = rankOf[ts]!;
        hits[n++] = r;
        sureByRank[r] = inView && inLeave ? 1 : 0;
      }
    }
    if (widened > 0) charge(widened);
    if (n === 0) continue;
    const sorted = hits.subarray(0, n).sort();
    out.reserve(out.count + n);
    const { watchers, targets, kinds: sure } = out;
    for (let i = 0; i < n; i++) {
      const r = sorted[i]!;
      watchers[out.count] = w;
      targets[out.count] = order[r]!;
      sure[out.count] = sureByRank[r]!;
      out.count++;
    }
  }
  const { watchers, targets, kinds } = out.columns();
  return { count: out.count, watchers, targets, sure: kinds };
}

function grow(list: Int32Array): Int32Array {
  const next = new Int32Array(list.length * 2);
  next.set(list);
  return next;
}
