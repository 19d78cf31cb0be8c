import type { WorldState } from '../model/world-state.js';
import type { ResolvedDetectOptions } from './options.js';
import {
  type Detector,
  type DetectorTick,
  describeEntity,
  distanceBetween,
  type FindingLog,
  pairKey,
} from './types.js';

interface Tear {
  watcher: number;
  target: number;
  since: number;
  reported: boolean;
}

/** `watcher` sees `target`, which is a watcher with the same radii (so at the same distance) but does not see it. */
function isTorn(state: WorldState, watcher: number, target: number): boolean {
  if (!state.views.get(watcher)?.has(target)) return false;
  const w = state.entities.get(watcher);
  const t = state.entities.get(target);
  if (w === undefined || t === undefined || !t.watcher || !w.marker) return false;
  if (w.viewRadius !== t.viewRadius || w.leaveRadius !== t.leaveRadius) return false;
  return !state.views.get(target)?.has(watcher);
}

/** A despawned entity still in someone's view (its leave never came). */
const isGhost = (state: WorldState, watcher: number, target: number) =>
  state.entities.has(watcher) && !state.entities.has(target) && state.views.get(watcher)?.has(target) === true;

/**
 * The seed's FOV tear: asymmetric views between entities with equal radii, and missing leaves of despawned
 * entities, reported once they lasted more than `tornTicks` ticks. Asymmetry only changes through events or
 * spawns/updates/despawns, so quiet ticks check only the pairs with events and the tears already open.
 */
export class TornViewDetector implements Detector {
  private readonly tears = new Map<string, Tear>();
  private readonly ghosts = new Map<string, Tear>();

  constructor(
    private readonly options: ResolvedDetectOptions,
    private readonly log: FindingLog,
  ) {}

  onTick({ record, state }: DetectorTick): void {
    const tick = record.tick;
    const open = (tears: Map<string, Tear>, watcher: number, target: number) => {
      const key = pairKey(watcher, target);
      if (!tears.has(key)) tears.set(key, { watcher, target, since: tick, reported: false });
    };
    const consider = (watcher: number, target: number) => {
      if (isTorn(state, watcher, target)) open(this.tears, watcher, target);
      if (isGhost(state, watcher, target)) open(this.ghosts, watcher, target);
    };
    if (record.spawns.length > 0 || record.updates.length > 0 || record.despawns.length > 0) {
      for (const [watcher, view] of state.views) for (const target of view) consider(watcher, target);
    } else {
      const { events } = record;
      for (let i = 0; i < events.count; i++) {
        consider(events.watchers[i]!, events.targets[i]!);
        consider(events.targets[i]!, events.watchers[i]!);
      }
    }
    this.sweep(this.tears, state, tick, isTorn, 'torn');
    this.sweep(this.ghosts, state, tick, isGhost, 'ghost');
  }

  finish(): void {}

  private sweep(
    open: Map<string, Tear>,
    state: WorldState,
    tick: number,
    holds: (state: WorldState, watcher: number, target: number) => boolean,
    what: 'torn' | 'ghost',
  ): void {
    for (const [key, tear] of open) {
      if (!holds(state, tear.watcher, tear.target)) {
        open.delete(key);
        continue;
      }
      const lasted = tick - tear.since + 1;
      if (tear.reported || lasted <= this.options.tornTicks) continue;
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
          targetSeesWatcher: state.views.get(target)?.has(watcher) ?? false,
        },
      });
    }
  }
}
