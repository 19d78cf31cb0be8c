// Format 3 (docs/aoitrace-format.md, "Version 3: predicted events"): the events the recorded rule predicts from the
// stored state. Writer and reader both keep one of these, fed the same decoded ticks, so both compute the same
// prediction; the file stores only how the real events differ from it. The rule is a pure function of what a reader
// decodes (quantized positions, radii, roles, height, the view sets the real events built), evaluated in IEEE
// doubles in a fixed order. How the pairs are found never changes the result: a full pass tests every watcher
// against the candidate grid (full-pass.ts over predictor-grid.ts, the first tick after a keyframe and the schedule's
// rebuilds), the ticks in between test only the pairs that may decide differently than before (incremental-pass.ts).

import type { EntitySpawn, EntityUpdate, EventColumns } from '../model/types.js';
import { EventBuffer } from './event-buffer.js';
import { FullPass } from './full-pass.js';
import { IncrementalPass } from './incremental-pass.js';
import { PairList } from './pair-list.js';
import { CandidateGrid } from './predictor-grid.js';
import { MARKER, type PredictedEntity, PredictorWorld, WATCHER } from './predictor-world.js';
import { type RuleViews, ruleViews } from './rule-views.js';
import { ViewTable } from './view-table.js';

export { EventBuffer } from './event-buffer.js';
export type { PredictedEntity } from './predictor-world.js';

/** The moves of a tick at their stored positions. */
export interface PredictedMoves {
  readonly count: number;
  readonly ids: Int32Array;
  readonly xs: Float64Array;
  readonly ys: Float64Array;
}

/** Called with the number of events about to be produced (the chunk budget); throws past a limit. */
export type ChargeEvents = (count: number) => void;

/** Called with the pair tests a watcher is about to make (before making them); throws past a limit. */
export type ChargeWork = (count: number) => void;

export class EventPredictor {
  private readonly world: PredictorWorld;
  views = new ViewTable();
  private tickSeq = 0;
  /** Respawned and despawned ids of the current tick (their old pairs' leaves come first). */
  private readonly removedIds = new Set<number>();
  private readonly despawnedIds = new Set<number>();
  private readonly respawnedIds = new Set<number>();
  private readonly out = new EventBuffer();
  /** The grid the full pass walks, and the one whose block sizes are charged (the same grid without a schedule). */
  private readonly grid = new CandidateGrid();
  private readonly nominal = new CandidateGrid();
  private readonly incremental: IncrementalPass | undefined;
  private readonly fullPass: FullPass;
  /**
   * The pairs of the last tick's missing and extra events, kept by the writer (rule-views.ts); undefined until a
   * tick was encoded since the predictor was positioned on a world it did not predict.
   */
  deviated: PairList | undefined;

  /**
   * `incremental: false`: a full pass every tick (the rule's reference, for tests). `leaveHeightFollowsView`: format
   * 3.1's default for a missing leave half-height, the view half-height (the engine's and the detectors',
   * detect/cylinder.ts); format 3.0 defaults it to Infinity.
   */
  constructor(options: { incremental?: boolean; leaveHeightFollowsView?: boolean } = {}) {
    this.world = new PredictorWorld(options.leaveHeightFollowsView ?? false);
    this.incremental = options.incremental === false ? undefined : new IncrementalPass(this.world);
    this.fullPass = new FullPass(this.world, this.incremental);
  }

  clear(): void {
    this.deviated = undefined;
    this.world.clear();
    this.views = new ViewTable();
    this.incremental?.invalidate();
  }

  /** Positions the predictor on a world (a keyframe, a resync): its entities and view sets. */
  load(entities: Iterable<PredictedEntity>, views: Iterable<readonly [number, ArrayLike<number>]>): void {
    this.clear();
    for (const entity of entities) this.world.add(entity);
    for (const [watcher, targets] of views)
      for (let i = 0; i < targets.length; i++) this.views.add(watcher, targets[i]!);
  }

  /** The predictor's world as {@link EventPredictor.load} takes it (a test's keyframe). */
  snapshot(): { entities: PredictedEntity[]; views: [number, Int32Array][] } {
    const { world } = this;
    if (world.orderStale) world.sortIds();
    const entities = [...world.order].map((id) => {
      const s = world.table.slotOf(id);
      return {
        id,
        x: world.table.qx[s]!,
        y: world.table.qy[s]!,
        viewRadius: world.viewR[s]!,
        leaveRadius: world.leaveR[s]!,
        watcher: (world.roles[s]! & WATCHER) !== 0,
        marker: (world.roles[s]! & MARKER) !== 0,
        z: world.z[s]!,
        viewHeight: world.viewH[s]!,
        leaveHeight: world.leaveH[s]!,
      };
    });
    const views = [...this.views.sortedWatchers()].map((w): [number, Int32Array] => [
      w,
      this.views.targetsOf(this.views.slotOf(w)).slice(),
    ]);
    return { entities, views };
  }

  /**
   * The tick's changes before its events: despawned ids noted (they stay until {@link EventPredictor.finish}),
   * respawns replace the old entity, updates, then moves (`xs`/`ys`: the positions as a reader decodes them).
   */
  begin(
    spawns: readonly EntitySpawn[],
    updates: readonly EntityUpdate[],
    moves: PredictedMoves,
    despawns: readonly number[],
  ): void {
    this.tickSeq++;
    const { world, removedIds, incremental } = this;
    removedIds.clear();
    this.despawnedIds.clear();
    this.respawnedIds.clear();
    for (const id of despawns) {
      removedIds.add(id);
      this.despawnedIds.add(id);
    }
    for (const spawn of spawns) {
      if (spawn.respawn === true) {
        removedIds.add(spawn.id);
        this.respawnedIds.add(spawn.id);
      }
    }
    for (const id of removedIds) {
      const slot = world.table.slotOf(id);
      if (slot >= 0) world.removedAt[slot] = this.tickSeq;
    }
    // The removal leaves are taken from the views before the respawns drop the old entities' lists.
    this.out.count = 0;
    const rescan = incremental?.beginTick(this.tickSeq, spawns, moves, this.views) ?? false;
    if (removedIds.size > 0 || rescan) this.scanViews();
    for (const spawn of spawns) {
      if (spawn.respawn === true) this.remove(spawn.id);
      const slot = world.add(spawn);
      incremental?.spawned(slot);
    }
    for (const update of updates) world.update(update);
    if (updates.length > 0) incremental?.invalidate();
    const { table, moved } = world;
    for (let i = 0; i < moves.count; i++) {
      const slot = table.slotOf(moves.ids[i]!);
      if (slot < 0) continue;
      table.qx[slot] = moves.xs[i]!;
      table.qy[slot] = moves.ys[i]!;
      moved[slot] = this.tickSeq;
    }
  }

  /**
   * Between ticks (a 3.1 keyframe): the view sets against the rule's pairs within reach when every pair is sure, with
   * the charges of the keyframe's candidate finder; undefined when the finder must decide (rule-views.ts).
   */
  ruleViews(charge: ChargeEvents, work: ChargeWork): RuleViews | undefined {
    return ruleViews(this.world, this.views, this.nominal, this.deviated, charge, work);
  }

  /** The writer's list of the tick's missing and extra pairs (emptied), from now on kept for {@link ruleViews}. */
  deviations(): PairList {
    this.deviated ??= new PairList();
    this.deviated.count = 0;
    return this.deviated;
  }

  /** Whether `id` was respawned or despawned in the tick begun (its pairs' leaves sort first). */
  readonly isRemoved = (id: number): boolean => this.removedIds.has(id);

  /** {@link EventPredictor.isRemoved}, or undefined when the tick removed nobody (every event is in part 2). */
  removedTest(): ((id: number) => boolean) | undefined {
    return this.removedIds.size > 0 ? this.isRemoved : undefined;
  }

  /** The predicted events of the tick begun, in canonical order (valid until the next begin). */
  predict(moveEvents: boolean, charge: ChargeEvents, work: ChargeWork): EventColumns {
    const { out, world, incremental, nominal, despawnedIds, respawnedIds, views, fullPass } = this;
    charge(out.count);
    const part2 = out.count;
    if (world.orderStale) world.sortIds();
    const tick = { tickSeq: this.tickSeq, removed: this.removedIds, despawned: despawnedIds };
    const plan = incremental?.plan(tick) ?? 'full';
    let full = true;
    if (plan === 'incremental' && !moveEvents) {
      nominal.build(world, despawnedIds, 0, false);
      incremental!.predict(tick, respawnedIds, views, out);
      fullPass.charges(tick, respawnedIds, views, nominal, out, part2, charge, work);
      full = false;
    } else if (plan === 'rebuild') {
      nominal.build(world, despawnedIds, 0, false);
      this.grid.build(world, despawnedIds, incremental!.skin, true);
      if (incremental!.affordable(this.grid, nominal, views)) {
        fullPass.predict(tick, respawnedIds, views, this.grid, nominal, out, moveEvents, charge, work, true);
        full = false;
      }
    }
    if (full) {
      nominal.build(world, despawnedIds, 0, true);
      fullPass.predict(tick, respawnedIds, views, nominal, nominal, out, moveEvents, charge, work, false);
    }
    incremental?.carry(out, part2);
    return out.columns();
  }

  /** The tick's real events, then its despawns: the view sets as every reader of the world keeps them. */
  finish(events: EventColumns, despawns: readonly number[]): void {
    this.applyEvents(events);
    this.removeDespawned(despawns);
  }

  /** The first half of {@link finish}: a reader checks the view-pair limit between the events and the despawns. */
  applyEvents(events: EventColumns): void {
    const { kinds, watchers, targets, count } = events;
    for (let i = 0; i < count; i++) {
      if (kinds[i] === 0) this.views.add(watchers[i]!, targets[i]!);
      else if (kinds[i] === 1) this.views.delete(watchers[i]!, targets[i]!);
    }
    this.incremental?.viewsChanged(events);
  }

  /** The second half of {@link finish}. */
  removeDespawned(despawns: readonly number[]): void {
    for (const id of despawns) this.remove(id);
  }

  private remove(id: number): void {
    this.views.deleteWatcher(id);
    this.world.remove(id);
  }

  /**
   * Part 1 of the canonical order: leaves of every pair in view that names a respawned or despawned id. The same
   * walk hands the incremental pass the pairs in view whose target is spawned in the tick.
   */
  private scanViews(): void {
    const { views, removedIds, out, world, tickSeq, incremental } = this;
    const { table, removedAt } = world;
    const anyRemoved = removedIds.size > 0;
    for (const watcher of views.sortedWatchers()) {
      const targets = views.targetsOf(views.slotOf(watcher));
      const all = anyRemoved && removedIds.has(watcher);
      for (let i = 0; i < targets.length; i++) {
        const t = targets[i]!;
        // A live removed id has its slot stamped; a gone one (a target whose leave never came) is looked up.
        const ts = table.slotOf(t);
        if (all || (ts >= 0 ? removedAt[ts] === tickSeq : anyRemoved && removedIds.has(t))) out.push(1, watcher, t);
        incremental?.inView(watcher, t, ts);
      }
    }
  }
}
