import type { ViewTable } from '../format/view-table.js';
import type { WorldState } from '../model/world-state.js';
import { entityZone, type VerticalZone } from './cylinder.js';
import { IdMarks } from './id-marks.js';
import type { ResolvedDetectOptions } from './options.js';
import { PairMap, PairSet } from './pair-map.js';
import type { TickGeometry } from './tick-geometry.js';
import { type Detector, type DetectorTick, describeEntity, distanceBetween, type FindingLog } from './types.js';

interface Divergence {
  watcher: number;
  target: number;
  /** The event the geometry asks for: 0 enter (unseen within view radius), 1 exit (seen beyond leave radius). */
  kind: 0 | 1;
  since: number;
  /** Opened by an event of the pair in the same tick (a spurious event, not a late one). */
  byEvent: boolean;
  atStart: Record<string, unknown>;
  /** Which edge the exit is about: the leave half-height when the pair is still within the leave radius. */
  edge: 'radius' | 'half-height';
}

/**
 * Compares every view set with the recorded geometry (hysteresis rule) and follows each contradiction until it
 * ends. Ended by the right event: a delayed broadcast, with its lag. Ended any other way (the geometry moved back,
 * a despawn, the end of the trace): an adjacency inconsistency, the event never came.
 */
export class DivergenceDetector implements Detector {
  private readonly open = new PairMap<Divergence>();
  private readonly marks = new IdMarks();
  /** DetectorTick.height: the geometry is cylinders. */
  private height = false;

  constructor(
    private readonly options: ResolvedDetectOptions,
    private readonly log: FindingLog,
    private readonly delays: boolean,
    private readonly adjacency: boolean,
  ) {}

  onTick({ record, state, geometry, changes, touched, seen, height }: DetectorTick): void {
    this.height = height;
    const tick = record.tick;
    const { events } = record;
    for (let i = 0; i < events.count; i++) {
      const open = this.open.get(events.watchers[i]!, events.targets[i]!);
      if (open === undefined || open.kind !== events.kinds[i]) continue;
      this.open.delete(open.watcher, open.target);
      const lag = tick - open.since;
      if (!open.byEvent && lag > this.options.maxLagTicks) this.reportDelay(open, lag, tick, state);
    }

    const found = new PairSet();
    const contradiction = (watcher: number, target: number, kind: 0 | 1) => {
      found.add(watcher, target);
      if (this.open.has(watcher, target)) return;
      this.open.set(watcher, target, {
        watcher,
        target,
        kind,
        since: tick,
        byEvent: touched(watcher, target),
        atStart: snapshot(state, watcher, target),
        edge: kind === 1 && this.height && this.withinLeaveRadius(state, watcher, target) ? 'half-height' : 'radius',
      });
    };
    if (changes.full) this.everyPair(state, seen, geometry, contradiction);
    else {
      // Only the pairs that may have changed: every other pair is still what it was, and open if contradictory.
      const { watchers, targets, watcherSlots, targetSlots, world } = changes;
      for (let i = 0; i < changes.count; i++) {
        const kind =
          world === undefined
            ? this.contradicts(state, seen, watchers[i]!, targets[i]!)
            : this.contradictsAt(world, seen, watchers[i]!, targets[i]!, watcherSlots[i]!, targetSlots[i]!);
        if (kind !== undefined) contradiction(watchers[i]!, targets[i]!, kind);
      }
    }

    for (const [watcher, target, open] of this.open.entries()) {
      if (found.has(watcher, target) || this.continues(open, state, seen)) continue;
      if (!changes.full && this.contradicts(state, seen, open.watcher, open.target) !== undefined) continue;

      this.open.delete(watcher, target);
      const gone = !state.entities.has(open.watcher) || !state.entities.has(open.target);
      this.reportAdjacency(open, tick, tick - open.since, gone ? 'despawn' : 'geometry', state);
    }
  }

  /** Every contradiction of the tick: each watcher's pairs within leave radius + tolerance, and its view set. */
  private everyPair(
    state: WorldState,
    table: ViewTable,
    geometry: TickGeometry,
    contradiction: (watcher: number, target: number, kind: 0 | 1) => void,
  ): void {
    const tol = this.options.tolerance;
    geometry.findPairs();
    const marks = this.marks;
    const { ids, views, watcher: isWatcher, pairStart, pairTargets, pairD2, height } = geometry;
    for (let ws = 0; ws < geometry.count; ws++) {
      if (!isWatcher[ws]) continue;
      const watcher = ids[ws]!;
      const slot = table.slotOf(watcher);
      const seen = slot < 0 ? undefined : table.targetsOf(slot);
      marks.mark(seen);
      const inner = views[ws]! - tol;
      const inner2 = inner < 0 ? -1 : inner * inner;
      let within = 0;
      for (let k = pairStart[ws]!; k < pairStart[ws + 1]!; k++) {
        const target = ids[pairTargets[k]!]!;
        if (marks.has(target)) {
          within++;
          // Height: seen, within horizontal reach, but beyond the leave half-height.
          if (height !== undefined && height.zone(ws, pairTargets[k]!) === 2) contradiction(watcher, target, 1);
        } else if (pairD2[k]! <= inner2 && (height === undefined || height.zone(ws, pairTargets[k]!) === 0)) {
          contradiction(watcher, target, 0);
        }
      }
      // Seen but not among the pairs within leave radius + tolerance: far away, or not a marker any more.
      if (seen !== undefined && within < seen.length) {
        const near = new Set<number>();
        for (let k = pairStart[ws]!; k < pairStart[ws + 1]!; k++) near.add(ids[pairTargets[k]!]!);
        for (const target of seen)
          if (!near.has(target) && state.entities.has(target)) contradiction(watcher, target, 1);
      }
    }
    for (const watcher of table.sortedWatchers()) {
      const slot = geometry.slotOf.get(watcher);
      if (slot === undefined || isWatcher[slot]) continue;
      for (const target of table.targetsOf(table.slotOf(watcher)))
        if (state.entities.has(target)) contradiction(watcher, target, 1);
    }
  }

  /** What {@link everyPair} finds for one pair: 0 a missing enter, 1 a missing exit, undefined none. */
  private contradicts(state: WorldState, views: ViewTable, watcher: number, target: number): 0 | 1 | undefined {
    const w = state.entities.get(watcher);
    if (w === undefined) return undefined;
    const seen = views.has(watcher, target);
    const t = state.entities.get(target);
    if (w.watcher && t?.marker && watcher !== target) {
      const zone = this.height ? entityZone(w, t) : 0;
      const kind = this.contradictsNear(seen, w.x - t.x, w.y - t.y, w.viewRadius, w.leaveRadius, zone);
      if (kind !== null) return kind;
    }
    return seen && t !== undefined ? 1 : undefined;
  }

  /** {@link contradicts} with both entities read from `world`'s arrays by slot (-1: not live). */
  private contradictsAt(
    world: TickGeometry,
    views: ViewTable,
    watcher: number,
    target: number,
    ws: number,
    ts: number,
  ): 0 | 1 | undefined {
    if (ws < 0) return undefined;
    const seen = views.has(watcher, target);
    if (ts >= 0 && world.watcher[ws] === 1 && world.marker[ts] === 1 && watcher !== target) {
      const dx = world.xs[ws]! - world.xs[ts]!;
      const dy = world.ys[ws]! - world.ys[ts]!;
      const zone = world.height === undefined ? 0 : world.height.zone(ws, ts);
      const kind = this.contradictsNear(seen, dx, dy, world.views[ws]!, world.leaves[ws]!, zone);
      if (kind !== null) return kind;
    }
    return seen && ts >= 0 ? 1 : undefined;
  }

  /**
   * Within reach: a missing enter (0) or nothing (undefined); null: out of reach (horizontally, or with height beyond
   * the leave half-height), the caller decides.
   */
  private contradictsNear(
    seen: boolean,
    dx: number,
    dy: number,
    viewRadius: number,
    leaveRadius: number,
    zone: VerticalZone,
  ): 0 | undefined | null {
    const d2 = dx * dx + dy * dy;
    const reach = leaveRadius + this.options.tolerance;
    if (d2 > reach * reach || zone === 2) return null;
    if (seen || zone === 1) return undefined;
    const inner = viewRadius - this.options.tolerance;
    return d2 <= (inner < 0 ? -1 : inner * inner) ? 0 : undefined;
  }

  finish(lastTick: number): void {
    for (const [, , open] of this.open.entries())
      this.reportAdjacency(open, lastTick + 1, lastTick - open.since + 1, 'end-of-trace');
    this.open.clear();
  }

  /** Hysteresis: a missing enter still counts while within the leave radius, a missing exit while beyond view. */
  private continues(open: Divergence, state: WorldState, views: ViewTable): boolean {
    const w = state.entities.get(open.watcher);
    const t = state.entities.get(open.target);
    if (w === undefined || t === undefined || !w.watcher || !t.marker) return false;
    const seen = views.has(open.watcher, open.target);
    const d2 = (w.x - t.x) ** 2 + (w.y - t.y) ** 2;
    const tol = this.options.tolerance;
    const zone = this.height ? entityZone(w, t) : 0;
    return open.kind === 0
      ? !seen && d2 <= Math.max(0, w.leaveRadius - tol) ** 2 && zone !== 2
      : seen && (d2 > (w.viewRadius + tol) ** 2 || zone !== 0);
  }

  /** Horizontally within the leave radius (and tolerance): a contradicting exit is then about height. */
  private withinLeaveRadius(state: WorldState, watcher: number, target: number): boolean {
    const w = state.entities.get(watcher);
    const t = state.entities.get(target);
    if (w === undefined || t === undefined) return false;
    return (w.x - t.x) ** 2 + (w.y - t.y) ** 2 <= (w.leaveRadius + this.options.tolerance) ** 2;
  }

  private reportDelay(open: Divergence, lag: number, tick: number, state: WorldState): void {
    if (!this.delays) return;
    const kind = open.kind === 0 ? 'enter' : 'exit';
    this.log.add({
      detector: 'delayed-broadcast',
      tick: open.since,
      entities: [open.watcher, open.target],
      message: `${kind}(${open.watcher}, ${open.target}) came at tick ${tick}, ${lag} tick(s) after the geometry crossed the ${edgeName(open)} at tick ${open.since}.`,
      evidence: {
        event: kind,
        dueTick: open.since,
        deliveredTick: tick,
        lagTicks: lag,
        atDue: open.atStart,
        atDelivery: snapshot(state, open.watcher, open.target),
      },
    });
  }

  private reportAdjacency(open: Divergence, end: number, lasted: number, endedBy: string, state?: WorldState): void {
    if (!this.adjacency || lasted < this.options.adjacencyTicks) return;
    const what = open.kind === 0 ? 'not seen within view radius' : `seen beyond ${edgeName(open)}`;
    this.log.add({
      detector: 'adjacency',
      tick: open.since,
      entities: [open.watcher, open.target],
      message: `${open.target} ${what} of ${open.watcher} from tick ${open.since} for ${lasted} tick(s); the ${open.kind === 0 ? 'enter' : 'exit'} never came (ended by ${endedBy}).`,
      evidence: {
        kind: open.kind === 0 ? 'never-entered' : 'never-left',
        since: open.since,
        endTick: end,
        lastedTicks: lasted,
        endedBy,
        spuriousEvent: open.byEvent,
        atStart: open.atStart,
        ...(state ? { atEnd: snapshot(state, open.watcher, open.target) } : {}),
      },
    });
  }
}

/** The edge a divergence crossed, as the messages name it. */
function edgeName(open: Divergence): string {
  if (open.kind === 0) return 'view radius';
  return open.edge === 'half-height' ? 'leave half-height' : 'leave radius';
}

function snapshot(state: WorldState, watcher: number, target: number): Record<string, unknown> {
  return {
    tick: state.tick,
    watcher: describeEntity(state, watcher),
    target: describeEntity(state, target),
    distance: distanceBetween(state, watcher, target),
    seen: state.sees(watcher, target),
  };
}
