import type { ViewTable } from '../format/view-table.js';
import type { WorldState } from '../model/world-state.js';
import { entityZone, isVerticalMove, sameHalfHeights } from './cylinder.js';
import type { ResolvedDetectOptions } from './options.js';
import { type Detector, type DetectorTick, describeEntity, distanceBetween, type FindingLog } from './types.js';

interface Tear {
  watcher: number;
  target: number;
  since: number;
  reported: boolean;
  /**
   * Legal so far: the asymmetry began with a spawn, role or radius change of the pair inside the hysteresis band,
   * where the side that was already in view keeps it and the other side does not enter (the engine's rule). It
   * stays legal while the distance stays in the band; outside it both sides must agree.
   */
  excused: boolean;
}

/** watcher -> target -> open anomaly (numeric keys: no string per pair). */
type PairMap = Map<number, Map<number, Tear>>;

/**
 * `watcher` sees `target`, which is a watcher with the same radii (so at the same distance) but does not see it.
 * `height`: the trace has height, so the half-heights must be the same too (|dz| is the same both ways).
 */
function isTorn(state: WorldState, seen: ViewTable, watcher: number, target: number, height: boolean): boolean {
  // The view lookups first: they rule out nearly every pair (a legal event's pair is in view both ways or neither).
  if (!seen.has(watcher, target) || seen.has(target, watcher)) return false;
  return tornEntities(state, watcher, target, height);
}

/** The rest of {@link isTorn} once the pair is known to be one-sided (watcher sees target, not back). */
function tornEntities(state: WorldState, watcher: number, target: number, height: boolean): boolean {
  const w = state.entities.get(watcher);
  const t = state.entities.get(target);
  if (w === undefined || t === undefined || !t.watcher || !w.marker) return false;
  if (w.viewRadius !== t.viewRadius || w.leaveRadius !== t.leaveRadius) return false;
  return !height || sameHalfHeights(w, t);
}

/**
 * Whether the pair is inside the (equal) radii's hysteresis band, widened by `tol` on both sides: within the leave
 * radius + tol and, with height, the leave half-height, but not within the view radius - tol and view half-height.
 */
function inBand(state: WorldState, watcher: number, target: number, tol: number, height: boolean): boolean {
  const w = state.entities.get(watcher);
  const t = state.entities.get(target);
  if (w === undefined || t === undefined) return false;
  const d = Math.hypot(w.x - t.x, w.y - t.y);
  if (!height) return d > w.viewRadius - tol && d <= w.leaveRadius + tol;
  const zone = entityZone(w, t);
  return zone !== 2 && d <= w.leaveRadius + tol && (zone === 1 || d > w.viewRadius - tol);
}

/** A despawned entity still in someone's view (its leave never came). */
const isGhost = (state: WorldState, seen: ViewTable, watcher: number, target: number) =>
  !state.entities.has(target) && state.entities.has(watcher) && seen.has(watcher, target);

/**
 * The seed's FOV tear: asymmetric views between entities with equal radii, and missing leaves of despawned
 * entities, reported once they lasted more than `tornTicks` ticks. Asymmetry only changes through events or
 * spawns/updates/despawns, so quiet ticks check only the pairs with events and the tears already open.
 * Equal radii do not make every asymmetry a bug: with hysteresis, a pair whose roles or radii changed while inside
 * the band (view < d <= leave) legally stays one-sided until the distance leaves the band, and ground truth agrees.
 * Such a tear is followed but only reported if it outlasts the band.
 */
export class TornViewDetector implements Detector {
  private readonly tears: PairMap = new Map();
  private readonly ghosts: PairMap = new Map();
  private first = true;
  /** DetectorTick.height of the tick being looked at. */
  private height = false;

  constructor(
    private readonly options: ResolvedDetectOptions,
    private readonly log: FindingLog,
  ) {}

  onTick({ record, state, seen, height, changes }: DetectorTick): void {
    this.height = height;
    const tick = record.tick;
    const tol = this.options.tolerance;
    // A vertical move (an update of z alone) changes no radius, role or half-height: it is a move here.
    const updates = height ? record.updates.filter((u) => !isVerticalMove(u)) : record.updates;
    let changed: Set<number> | undefined;
    if (record.spawns.length > 0 || updates.length > 0) {
      changed = new Set([...record.spawns.map((s) => s.id), ...updates.map((u) => u.id)]);
    }
    const open = (tears: PairMap, watcher: number, target: number, torn: boolean) => {
      let row = tears.get(watcher);
      if (row === undefined) {
        row = new Map();
        tears.set(watcher, row);
      }
      if (row.has(target)) return;
      const excused =
        torn &&
        changed !== undefined &&
        (changed.has(watcher) || changed.has(target)) &&
        inBand(state, watcher, target, tol, height);
      row.set(target, { watcher, target, since: tick, reported: false, excused });
    };
    const consider = (watcher: number, target: number) => {
      if (isTorn(state, seen, watcher, target, height)) open(this.tears, watcher, target, true);
      if (isGhost(state, seen, watcher, target)) open(this.ghosts, watcher, target, false);
    };
    // Which ids are live: on an incremental tick by slot in the schedule's world (it holds every live entity, and
    // such a tick spawns and despawns nothing), else the state's Map.
    const world = changes.world;
    const live =
      world === undefined ? (id: number) => state.entities.has(id) : (id: number) => world.slotIndex(id) >= 0;
    // consider() with the pair's two view lookups given: `sees` watcher sees target, `back` target sees watcher.
    const considerSeen = (watcher: number, target: number, sees: boolean, back: boolean) => {
      if (!sees) return;
      if (!back && tornEntities(state, watcher, target, height)) open(this.tears, watcher, target, true);
      if (!live(target) && live(watcher)) open(this.ghosts, watcher, target, false);
    };
    // The first tick looks at every pair: a detection over a range starts from a world with its tears already open.
    const first = this.first;
    this.first = false;
    if (first || record.spawns.length > 0 || updates.length > 0 || record.despawns.length > 0) {
      for (const watcher of seen.sortedWatchers()) {
        for (const target of seen.targetsOf(seen.slotOf(watcher))) consider(watcher, target);
      }
    } else {
      const { events } = record;
      // Both directions of each event's pair, each view lookup asked once (neither seen: nothing to follow).
      for (let i = 0; i < events.count; i++) {
        const watcher = events.watchers[i]!;
        const target = events.targets[i]!;
        const sees = seen.has(watcher, target);
        const back = seen.has(target, watcher);
        considerSeen(watcher, target, sees, back);
        considerSeen(target, watcher, back, sees);
      }
    }
    const torn = (w: number, t: number) => isTorn(state, seen, w, t, height);
    const ghost = (w: number, t: number) => isGhost(state, seen, w, t);
    this.sweep(this.tears, state, tick, torn, 'torn');
    this.sweep(this.ghosts, state, tick, ghost, 'ghost');
  }

  finish(): void {}

  private sweep(
    open: PairMap,
    state: WorldState,
    tick: number,
    holds: (watcher: number, target: number) => boolean,
    what: 'torn' | 'ghost',
  ): void {
    for (const [watcher, row] of open) {
      for (const tear of row.values()) this.check(row, tear, state, tick, holds, what);
      if (row.size === 0) open.delete(watcher);
    }
  }

  private check(
    row: Map<number, Tear>,
    tear: Tear,
    state: WorldState,
    tick: number,
    holds: (watcher: number, target: number) => boolean,
    what: 'torn' | 'ghost',
  ): void {
    if (!holds(tear.watcher, tear.target)) {
      row.delete(tear.target);
      return;
    }
    if (tear.excused) {
      if (inBand(state, tear.watcher, tear.target, this.options.tolerance, this.height)) return;
      // Out of the band without the missing event: from here on it is a tear.
      tear.excused = false;
      tear.since = tick;
    }
    const lasted = tick - tear.since + 1;
    if (tear.reported || lasted <= this.options.tornTicks) return;
    tear.reported = true;
    const { watcher, target } = tear;
    this.log.add({
      detector: 'torn-view',
      tick: tear.since,
      entities: [watcher, target],
      message:
        what === 'torn'
          ? `${watcher} sees ${target} but ${target} (same radii, same distance) does not see ${watcher}, since tick ${tear.since}.`
          : `${target} was despawned but is still in ${watcher}'s view since tick ${tear.since}: its leave never came.`,
      evidence: {
        kind: what === 'torn' ? 'asymmetric-view' : 'missing-leave',
        since: tear.since,
        reportedAt: tick,
        lastedTicks: lasted,
        watcher: describeEntity(state, watcher),
        target: describeEntity(state, target),
        distance: distanceBetween(state, watcher, target),
        watcherSeesTarget: true,
        targetSeesWatcher: state.sees(target, watcher),
      },
    });
  }
}
