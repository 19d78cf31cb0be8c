import { ViewTable } from '../format/view-table.js';
import type { WorldState } from '../model/world-state.js';
import { entityZone, type VerticalZone } from './cylinder.js';
import { IdMarks } from './id-marks.js';
import type { PairChanges } from './pair-changes.js';
import type { TickGeometry } from './tick-geometry.js';
import { TickTransitions } from './tick-transitions.js';

/**
 * Ground truth's visibility (ground-truth.ts): which pairs the recorded geometry says are in view, and the tick's
 * transitions of it under the hysteresis rule (enter at distance <= watcher.viewRadius, leave at > watcher.leaveRadius,
 * watcher sees markers only; with height the same with |dz| against the half-heights, see cylinder.ts). Distances
 * within `tolerance` of the deciding radius follow the recording.
 */
export class VisibilityTruth {
  /** watcher -> targets it should see, as sorted lists in one pool: a lookup reads one short list, not a hash. */
  readonly sees = new ViewTable();
  private readonly marks = new IdMarks();
  /** The tick's expected transitions (cleared each tick). */
  readonly expected = new TickTransitions();
  /** The recorded views of the tick being looked at (DetectorTick.seen). */
  private seen = new ViewTable();
  /** DetectorTick.height: decisions use cylinders. */
  private height = false;

  constructor(private readonly tolerance: number) {}

  /** The tick's transitions into {@link expected}: every pair on a full tick, else the changed ones. */
  findTransitions(
    state: WorldState,
    geometry: TickGeometry,
    changes: PairChanges,
    seen: ViewTable,
    height: boolean,
  ): void {
    this.seen = seen;
    this.height = height;
    this.expected.clear();
    if (changes.full) this.transitions(geometry);
    else this.changedTransitions(state, changes);
  }

  /**
   * The tick's transitions under the hysteresis rule. One pass over the grid pairs (within leave radius + tolerance)
   * per watcher; a truth entry not among them (far away, gone, no longer a marker) shows up as a count mismatch.
   */
  private transitions(geometry: TickGeometry): void {
    const tol = this.tolerance;
    const seen = this.seen;
    const recorded = (w: number, t: number) => seen.has(w, t);
    const expected = this.expected;
    const push = (watcher: number, target: number, kind: 0 | 1) => expected.set(watcher, target, kind);
    geometry.findPairs();
    const marks = this.marks;
    const { ids, views, leaves, watcher: isWatcher, pairStart, pairTargets, pairD2, height } = geometry;
    for (let ws = 0; ws < geometry.count; ws++) {
      if (!isWatcher[ws]) continue;
      const watcher = ids[ws]!;
      const slot = this.sees.slotOf(watcher);
      const truth = slot < 0 ? undefined : this.sees.targetsOf(slot);
      marks.mark(truth);
      const view = band(views[ws]!, tol);
      const leave = band(leaves[ws]!, tol);
      let within = 0;
      for (let k = pairStart[ws]!; k < pairStart[ws + 1]!; k++) {
        const target = ids[pairTargets[k]!]!;
        const d2 = pairD2[k]!;
        // Height: outside the leave cylinder vertically it leaves, outside the view cylinder nothing enters.
        const zone = height === undefined ? 0 : height.zone(ws, pairTargets[k]!);
        if (marks.has(target)) {
          within++;
          const stays = zone !== 2 && (d2 >= leave.lo2 && d2 <= leave.hi2 ? recorded(watcher, target) : d2 <= leave.r2);
          if (!stays) push(watcher, target, 1);
        } else if (zone === 0 && (d2 >= view.lo2 && d2 <= view.hi2 ? recorded(watcher, target) : d2 <= view.r2)) {
          push(watcher, target, 0);
        }
      }
      if (truth !== undefined && within < truth.length) {
        const near = new Set<number>();
        for (let k = pairStart[ws]!; k < pairStart[ws + 1]!; k++) near.add(ids[pairTargets[k]!]!);
        for (const target of truth) if (!near.has(target)) push(watcher, target, 1);
      }
    }
    for (const watcher of this.sees.sortedWatchers()) {
      const slot = geometry.slotOf.get(watcher);
      if (slot !== undefined && isWatcher[slot]) continue;
      for (const target of this.sees.targetsOf(this.sees.slotOf(watcher))) push(watcher, target, 1);
    }
  }

  /**
   * {@link transitions} on the pairs that may have changed only: every other pair decides as when it was last looked
   * at, and that decision was no transition (or it was applied then).
   */
  private changedTransitions(state: WorldState, changes: PairChanges): void {
    const expected = this.expected;
    const { watchers, targets, watcherSlots, targetSlots, world } = changes;
    for (let i = 0; i < changes.count; i++) {
      const watcher = watchers[i]!;
      const target = targets[i]!;
      const kind =
        world === undefined
          ? this.decide(state, watcher, target)
          : this.decideAt(world, watcher, target, watcherSlots[i]!, targetSlots[i]!);
      if (kind !== undefined) expected.set(watcher, target, kind);
    }
  }

  /** What {@link transitions} decides for one pair: 0 enter, 1 exit, undefined none. */
  private decide(state: WorldState, watcher: number, target: number): 0 | 1 | undefined {
    const w = state.entities.get(watcher);
    const t = state.entities.get(target);
    if (w === undefined || t === undefined || !w.watcher || !t.marker) return this.unreachable(watcher, target);
    const zone = this.height ? entityZone(w, t) : 0;
    return this.decideNear(watcher, target, w.x - t.x, w.y - t.y, w.viewRadius, w.leaveRadius, zone);
  }

  /** {@link decide} with both entities read from `world`'s arrays by slot (-1: not live). */
  private decideAt(world: TickGeometry, watcher: number, target: number, ws: number, ts: number): 0 | 1 | undefined {
    if (ws < 0 || ts < 0 || world.watcher[ws] === 0 || world.marker[ts] === 0) return this.unreachable(watcher, target);
    const dx = world.xs[ws]! - world.xs[ts]!;
    const dy = world.ys[ws]! - world.ys[ts]!;
    const zone = world.height === undefined ? 0 : world.height.zone(ws, ts);
    return this.decideNear(watcher, target, dx, dy, world.views[ws]!, world.leaves[ws]!, zone);
  }

  /** A pair that cannot be in view (gone, not a watcher or marker): an exit if the truth has it. */
  private unreachable(watcher: number, target: number): 1 | undefined {
    return this.sees.has(watcher, target) ? 1 : undefined;
  }

  private decideNear(
    watcher: number,
    target: number,
    dx: number,
    dy: number,
    viewRadius: number,
    leaveRadius: number,
    zone: VerticalZone,
  ): 0 | 1 | undefined {
    if (watcher === target) return this.unreachable(watcher, target);
    const tol = this.tolerance;
    const known = this.sees.has(watcher, target);
    const d2 = dx * dx + dy * dy;
    const reach = leaveRadius + tol;
    if (d2 > reach * reach) return known ? 1 : undefined;
    // Height (cylinder.ts): the vertical test has no band, so it decides before the horizontal one.
    if (zone === 2) return known ? 1 : undefined;
    if (zone === 1 && !known) return undefined;
    // band() inlined: this runs for every pair handed over.
    const r = known ? leaveRadius : viewRadius;
    const inBand = tol > 0 && d2 >= Math.max(0, r - tol) ** 2 && d2 <= (r + tol) ** 2;
    const inside = inBand ? this.seen.has(watcher, target) : d2 <= r * r;
    if (known) return inside ? undefined : 1;
    return inside ? 0 : undefined;
  }
}

/**
 * Squared radius and the squared bounds of the ambiguous band around it: within `tol` of the radius the stored
 * (quantized) positions cannot tell which side the engine saw. No band when `tol` is 0.
 */
function band(r: number, tol: number): { r2: number; lo2: number; hi2: number } {
  if (tol === 0) return { r2: r * r, lo2: 1, hi2: 0 };
  return { r2: r * r, lo2: Math.max(0, r - tol) ** 2, hi2: (r + tol) ** 2 };
}
