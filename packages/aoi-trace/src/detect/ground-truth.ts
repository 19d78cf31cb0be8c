import { ViewTable } from '../format/view-table.js';
import { respawnedIds } from '../model/respawn.js';
import type { TickRecord } from '../model/types.js';
import type { WorldState } from '../model/world-state.js';
import { entityZone, type VerticalZone } from './cylinder.js';
import { IdMarks } from './id-marks.js';
import type { PairChanges } from './pair-changes.js';
import type { ResolvedDetectOptions } from './options.js';
import { PairMap } from './pair-map.js';
import type { TickGeometry } from './tick-geometry.js';
import { TickTransitions } from './tick-transitions.js';
import { type Detector, type DetectorTick, describeEntity, type FindingLog } from './types.js';

/** An expected transition not (yet) seen in the recorded events. */
interface Due {
  kind: 0 | 1;
  tick: number;
  evidence: Record<string, unknown>;
}

export interface GroundTruthCounts {
  /** Transitions the recorded geometry calls for. */
  expected: number;
  /** Recorded in the tick they were due (or at most maxLagTicks later). */
  onTime: number;
  /** Recorded more than maxLagTicks ticks after they were due. */
  late: number;
  /** Never recorded (or not within horizonTicks). */
  missing: number;
  /** Recorded events no transition called for (duplicates, spurious flips, leaves of what was never seen). */
  extra: number;
  /** Largest lag of a late event, in ticks. */
  maxLagTicks: number;
}

const KIND = ['enter', 'exit'] as const;

/**
 * Recomputes visibility from the recorded positions, radii and roles (enter at distance <= watcher.viewRadius,
 * leave at > watcher.leaveRadius, watcher sees markers only; tags are not interpreted; with height the same with
 * |dz| against the half-heights, see cylinder.ts) and matches the recorded
 * events against the transitions it finds. Distances within `tolerance` of the deciding radius follow the recording.
 */
export class GroundTruthDetector implements Detector {
  readonly counts: GroundTruthCounts = { expected: 0, onTime: 0, late: 0, missing: 0, extra: 0, maxLagTicks: 0 };
  /** watcher -> targets it should see, as sorted lists in one pool: a lookup reads one short list, not a hash. */
  private readonly truth = new ViewTable();
  /** pair -> due transitions, oldest first. */
  private readonly due = new PairMap<Due[]>();
  private readonly marks = new IdMarks();
  /** The tick's expected transitions (cleared each tick). */
  private readonly expected = new TickTransitions();
  /** The recorded views of the tick being looked at (DetectorTick.seen). */
  private seen = new ViewTable();
  /** DetectorTick.height: decisions use cylinders. */
  private height = false;

  /** `start`: the world before the first tick; its recorded views are the truth to begin with. */
  constructor(
    private readonly options: ResolvedDetectOptions,
    private readonly log: FindingLog,
    start?: WorldState,
  ) {
    if (start !== undefined)
      for (const [watcher, view] of start.views) for (const t of view) this.truth.add(watcher, t);
  }

  onTick({ record, state, geometry, changes, seen, height }: DetectorTick): void {
    this.seen = seen;
    this.height = height;
    const tick = record.tick;
    const gone = this.respawnLeaves(record);
    const expected = this.expected;
    expected.clear();
    if (changes.full) this.transitions(geometry);
    else this.changedTransitions(state, changes);
    const truth = this.truth;
    for (let e = 0; e < expected.count; e++) {
      this.counts.expected++;
      if (expected.kind(e) === 0) truth.add(expected.watcher(e), expected.target(e));
      else truth.delete(expected.watcher(e), expected.target(e));
    }

    const { events } = record;
    for (let i = 0; i < events.count; i++) {
      const kind = events.kinds[i]!;
      if (kind > 1) continue;
      const watcher = events.watchers[i]!;
      const target = events.targets[i]!;
      if (gone?.get(watcher)?.delete(target)) {
        // A pair of a respawned id: the old entity's leave comes first, then (maybe) the new one's enter.
        if (kind === 1) {
          this.counts.onTime++;
          continue;
        }
        const item: Due = { kind: 1, tick, evidence: pairEvidence(state, this.seen, watcher, target) };
        this.reportMissing(watcher, target, item, "the respawned entity's enter came before the old one's leave");
      }
      if (expected.take(watcher, target, kind)) {
        this.counts.onTime++;
        continue;
      }
      const queue = this.due.get(watcher, target);
      const at = queue?.findIndex((d) => d.kind === kind) ?? -1;
      if (queue !== undefined && at >= 0) {
        for (const skipped of queue.splice(0, at))
          this.reportMissing(watcher, target, skipped, 'a later event of the pair came first');
        const item = queue.shift()!;
        if (queue.length === 0) this.due.delete(watcher, target);
        this.reportLate(watcher, target, item, tick, state);
        continue;
      }
      this.counts.extra++;
      this.log.add({
        detector: 'ground-truth',
        tick,
        entities: [watcher, target],
        message: `extra ${KIND[kind]}(${watcher}, ${target}) at tick ${tick}: the recorded geometry calls for no such transition.`,
        evidence: {
          finding: 'extra',
          event: KIND[kind],
          ...pairEvidence(state, this.seen, watcher, target),
          truthSees: this.truth.has(watcher, target),
        },
      });
    }
    const queue = (watcher: number, target: number, kind: 0 | 1) => {
      const item: Due = { kind, tick, evidence: pairEvidence(state, this.seen, watcher, target) };
      const queue = this.due.get(watcher, target);
      if (queue === undefined) this.due.set(watcher, target, [item]);
      else queue.push(item);
    };
    for (const [watcher, targets] of gone ?? []) for (const target of targets) queue(watcher, target, 1);
    for (let e = 0; e < expected.count; e++) {
      if (!expected.isMatched(e)) queue(expected.watcher(e), expected.target(e), expected.kind(e));
    }
    for (const [watcher, target, queue] of this.due.entries()) {
      while (queue.length > 0 && tick - queue[0]!.tick >= this.options.horizonTicks) {
        this.reportMissing(watcher, target, queue.shift()!, `not recorded within ${this.options.horizonTicks} ticks`);
      }
      if (queue.length === 0) this.due.delete(watcher, target);
    }
  }

  /**
   * A respawn (remove(id) then add(id) in the tick) ends the old entity before the tick's geometry: every pair it
   * was in leaves, whatever the new entity sees. Takes those pairs out of the truth and returns them (watcher ->
   * targets), or undefined when the tick has no respawn.
   */
  private respawnLeaves(record: TickRecord): Map<number, Set<number>> | undefined {
    const ids = respawnedIds(record);
    if (ids === undefined) return undefined;
    const gone = new Map<number, Set<number>>();
    const truth = this.truth;
    for (const watcher of truth.sortedWatchers()) {
      const leaves = ids.has(watcher) ? new Set(truth.targetsOf(truth.slotOf(watcher))) : new Set<number>();
      for (const id of ids) if (truth.has(watcher, id)) leaves.add(id);
      if (leaves.size === 0) continue;
      for (const target of leaves) truth.delete(watcher, target);
      gone.set(watcher, leaves);
      this.counts.expected += leaves.size;
    }
    return gone;
  }

  /**
   * The tick's transitions under the hysteresis rule. One pass over the grid pairs (within leave radius + tolerance)
   * per watcher; a truth entry not among them (far away, gone, no longer a marker) shows up as a count mismatch.
   */
  private transitions(geometry: TickGeometry): void {
    const tol = this.options.tolerance;
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
      const slot = this.truth.slotOf(watcher);
      const truth = slot < 0 ? undefined : this.truth.targetsOf(slot);
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
    for (const watcher of this.truth.sortedWatchers()) {
      const slot = geometry.slotOf.get(watcher);
      if (slot !== undefined && isWatcher[slot]) continue;
      for (const target of this.truth.targetsOf(this.truth.slotOf(watcher))) push(watcher, target, 1);
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
    return this.truth.has(watcher, target) ? 1 : undefined;
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
    const tol = this.options.tolerance;
    const known = this.truth.has(watcher, target);
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

  finish(): void {
    for (const [watcher, target, queue] of this.due.entries()) {
      for (const item of queue) this.reportMissing(watcher, target, item, 'never recorded');
    }
    this.due.clear();
  }

  private reportLate(watcher: number, target: number, item: Due, tick: number, state: WorldState): void {
    const lag = tick - item.tick;
    if (lag <= this.options.maxLagTicks) {
      this.counts.onTime++;
      return;
    }
    this.counts.late++;
    this.counts.maxLagTicks = Math.max(this.counts.maxLagTicks, lag);
    this.log.add({
      detector: 'ground-truth',
      tick: item.tick,
      entities: [watcher, target],
      message: `late ${KIND[item.kind]}(${watcher}, ${target}): due at tick ${item.tick}, recorded at tick ${tick} (${lag} tick(s) late).`,
      evidence: {
        finding: 'late',
        event: KIND[item.kind],
        dueTick: item.tick,
        recordedTick: tick,
        lagTicks: lag,
        atDue: item.evidence,
        atRecorded: pairEvidence(state, this.seen, watcher, target),
      },
    });
  }

  private reportMissing(watcher: number, target: number, item: Due, why: string): void {
    this.counts.missing++;
    this.log.add({
      detector: 'ground-truth',
      tick: item.tick,
      entities: [watcher, target],
      message: `missing ${KIND[item.kind]}(${watcher}, ${target}) due at tick ${item.tick}: ${why}.`,
      evidence: { finding: 'missing', event: KIND[item.kind], dueTick: item.tick, atDue: item.evidence },
    });
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

function pairEvidence(state: WorldState, seen: ViewTable, watcher: number, target: number): Record<string, unknown> {
  const w = state.entities.get(watcher);
  const t = state.entities.get(target);
  return {
    tick: state.tick,
    watcher: describeEntity(state, watcher),
    target: describeEntity(state, target),
    distance: w && t ? Math.hypot(w.x - t.x, w.y - t.y) : undefined,
    recordedSees: seen.has(watcher, target),
  };
}
