import { ViewTable } from '../format/view-table.js';
import { respawnedIds } from '../model/respawn.js';
import type { TickRecord } from '../model/types.js';
import type { WorldState } from '../model/world-state.js';
import type { ResolvedDetectOptions } from './options.js';
import { PairMap } from './pair-map.js';
import { type Detector, type DetectorTick, describeEntity, type FindingLog } from './types.js';
import { VisibilityTruth } from './visibility-truth.js';

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
 * events against the transitions it finds (visibility-truth.ts). Distances within `tolerance` of the deciding radius follow the recording.
 */
export class GroundTruthDetector implements Detector {
  readonly counts: GroundTruthCounts = { expected: 0, onTime: 0, late: 0, missing: 0, extra: 0, maxLagTicks: 0 };
  private readonly truth: VisibilityTruth;
  /** pair -> due transitions, oldest first. */
  private readonly due = new PairMap<Due[]>();
  /** The recorded views of the tick being looked at (DetectorTick.seen). */
  private seen = new ViewTable();

  /** `start`: the world before the first tick; its recorded views are the truth to begin with. */
  constructor(
    private readonly options: ResolvedDetectOptions,
    private readonly log: FindingLog,
    start?: WorldState,
  ) {
    this.truth = new VisibilityTruth(options.tolerance);
    if (start !== undefined)
      for (const [watcher, view] of start.views) for (const t of view) this.truth.sees.add(watcher, t);
  }

  onTick({ record, state, geometry, changes, seen, height }: DetectorTick): void {
    this.seen = seen;
    const tick = record.tick;
    const gone = this.respawnLeaves(record);
    this.truth.findTransitions(state, geometry, changes, seen, height);
    const { sees: truth, expected } = this.truth;
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
          truthSees: this.truth.sees.has(watcher, target),
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
    const truth = this.truth.sees;
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
