import { heightOf } from './height.js';
import type { EntitySpawn, MoveColumns, TickRecord, TraceResync } from './types.js';
import { applyTick, type EntityFields, invalidTick, ruleError, WorldRule, type WorldStore } from './world-rules.js';

/** One entity at some tick. */
export interface EntityState extends EntityFields {
  id: number;
  x: number;
  y: number;
  /** Tick of its spawn (or of the keyframe it was first seen in). */
  spawnTick: number;
}

/**
 * The world as a trace describes it after some tick: every live entity and every watcher's view set, rebuilt by
 * replaying ticks. View sets follow the recorded events, not the geometry, so a buggy engine's mistakes stay
 * visible (an exit for a target not in view is ignored; an enter for one already in view changes nothing).
 */
export class WorldState implements WorldStore<EntityState> {
  /** The last tick applied; -1 before the first. */
  tick = -1;
  time = 0;
  readonly entities = new Map<number, EntityState>();
  /** watcher id -> ids it sees. Only non-empty sets are kept. */
  readonly views = new Map<number, Set<number>>();
  private viewPairs = 0;

  /** Applies one tick. Throws INVALID_RECORD (naming the tick and entity) if the record cannot follow this state. */
  apply(record: TickRecord): void {
    this.resync(record);
    applyTick(this, record);
  }

  /** @internal The entity a spawn creates (WorldStore, see world-rules.ts). */
  created(spawn: EntitySpawn, tick: number): EntityState {
    return spawnedEntity(spawn, tick);
  }

  /** @internal An entity was taken out: its view goes with it. */
  removed(id: number): void {
    this.viewPairs -= this.views.get(id)?.size ?? 0;
    this.views.delete(id);
  }

  /** @internal */
  moved(moves: MoveColumns, tick: number): void {
    for (let i = 0; i < moves.count; i++) {
      const id = moves.ids[i]!;
      const entity = this.entities.get(id);
      if (entity === undefined) throw ruleError(tick, WorldRule.MoveMissing, id);
      entity.x = moves.xs[i]!;
      entity.y = moves.ys[i]!;
    }
  }

  /** @internal */
  enter(watcher: number, target: number): void {
    let view = this.views.get(watcher);
    if (view === undefined) {
      view = new Set();
      this.views.set(watcher, view);
    }
    const before = view.size;
    if (view.add(target).size > before) this.viewPairs++;
  }

  /** @internal */
  exit(watcher: number, target: number): void {
    const view = this.views.get(watcher);
    if (view?.delete(target)) {
      this.viewPairs--;
      if (view.size === 0) this.views.delete(watcher);
    }
  }

  /** Pairs added to `views` by apply() (not by direct edits): bounded by the format's view-pair limit. */
  get pairs(): number {
    return this.viewPairs;
  }

  /** Whether `watcher` sees `target`. */
  sees(watcher: number, target: number): boolean {
    return this.views.get(watcher)?.has(target) === true;
  }

  /** Ids `watcher` sees, ascending. */
  viewOf(watcher: number): number[] {
    return [...(this.views.get(watcher) ?? [])].sort((a, b) => a - b);
  }

  /** A deep copy (for keyframes and for comparing two moments). */
  clone(): WorldState {
    const copy = new WorldState();
    copy.tick = this.tick;
    copy.time = this.time;
    for (const [id, entity] of this.entities) copy.entities.set(id, { ...entity });
    for (const [id, view] of this.views) copy.views.set(id, new Set(view));
    copy.viewPairs = this.viewPairs;
    return copy;
  }

  /**
   * Adopts `record.resync` (the world after lost ticks) if the record has one: what apply() does first. Consumers
   * that look at the world before a tick call it before looking, so "before" is the world the tick follows.
   */
  resync(record: TickRecord): void {
    const resync = record.resync;
    if (resync === undefined || resync === this.adopted) return;
    this.resyncTo(resync.state, record.tick);
    this.adopted = resync;
  }

  /** The last resync adopted (so resync() then apply() adopt it once). */
  private adopted: TraceResync | undefined;

  /** Replaces everything with `state` (a keyframe after lost ticks); refuses one that goes back in time. */
  private resyncTo(state: WorldState, tick: number): void {
    if (state.tick <= this.tick) {
      throw invalidTick(
        tick,
        `resumes after tick ${state.tick}, which does not follow tick ${this.tick}: ticks must increase.`,
      );
    }
    this.tick = state.tick;
    this.time = state.time;
    this.entities.clear();
    for (const [id, entity] of state.entities) this.entities.set(id, { ...entity });
    this.adoptViews(state);
  }

  /** Replaces the view sets with copies of `state`'s (a resync); a subclass that keeps views elsewhere overrides it. */
  protected adoptViews(state: WorldState): void {
    this.views.clear();
    for (const [id, view] of state.views) this.views.set(id, new Set(view));
    this.viewPairs = state.pairs;
  }
}

/** The entity a spawn creates at `tick`. */
export function spawnedEntity(spawn: EntitySpawn, tick: number): EntityState {
  const { id, x, y, viewRadius, leaveRadius, watcher, marker, tags } = spawn;
  return { id, x, y, viewRadius, leaveRadius, watcher, marker, tags, ...heightOf(spawn), spawnTick: tick };
}
