import { TraceError, TraceErrorCode } from '../errors.js';
import { Limits } from '../format/limits.js';
import type { EntitySpawn, TickRecord, TraceResync } from './types.js';

/** One entity at some tick. */
export interface EntityState {
  id: number;
  x: number;
  y: number;
  viewRadius: number;
  leaveRadius: number;
  watcher: boolean;
  marker: boolean;
  tags: readonly string[];
  /** Tick of its spawn (or of the keyframe it was first seen in). */
  spawnTick: number;
}

/**
 * The world as a trace describes it after some tick: every live entity and every watcher's view set, rebuilt by
 * replaying ticks. View sets follow the recorded events, not the geometry, so a buggy engine's mistakes stay
 * visible (an exit for a target not in view is ignored; an enter for one already in view changes nothing).
 */
export class WorldState {
  /** The last tick applied; -1 before the first. */
  tick = -1;
  time = 0;
  readonly entities = new Map<number, EntityState>();
  /** watcher id -> ids it sees. Only non-empty sets are kept. */
  readonly views = new Map<number, Set<number>>();
  /** Pairs added to `views` by apply() (not by direct edits): bounded by the format's view-pair limit. */
  private pairs = 0;

  /** Applies one tick. Throws INVALID_RECORD (naming the tick and entity) if the record cannot follow this state. */
  apply(record: TickRecord): void {
    this.resync(record);
    if (record.tick <= this.tick) {
      throw invalid(record.tick, `tick ${record.tick} does not follow tick ${this.tick}: ticks must increase.`);
    }
    for (const spawn of record.spawns) this.spawn(spawn, record.tick);
    for (const update of record.updates) {
      const entity = this.require(update.id, record.tick, 'update');
      if (update.viewRadius !== undefined) entity.viewRadius = update.viewRadius;
      if (update.leaveRadius !== undefined) entity.leaveRadius = update.leaveRadius;
      if (update.watcher !== undefined) entity.watcher = update.watcher;
      if (update.marker !== undefined) entity.marker = update.marker;
      if (update.tags !== undefined) entity.tags = update.tags;
    }
    const moves = record.moves;
    for (let i = 0; i < moves.count; i++) {
      const entity = this.require(moves.ids[i]!, record.tick, 'move');
      entity.x = moves.xs[i]!;
      entity.y = moves.ys[i]!;
    }
    const events = record.events;
    for (let i = 0; i < events.count; i++) {
      const kind = events.kinds[i];
      const watcher = events.watchers[i]!;
      const target = events.targets[i]!;
      if (kind === 0) {
        let view = this.views.get(watcher);
        if (view === undefined) {
          view = new Set();
          this.views.set(watcher, view);
        }
        const before = view.size;
        if (view.add(target).size > before && ++this.pairs > Limits.viewPairs) throw tooManyPairs(record.tick);
      } else if (kind === 1) {
        const view = this.views.get(watcher);
        if (view?.delete(target)) {
          this.pairs--;
          if (view.size === 0) this.views.delete(watcher);
        }
      }
    }
    for (const id of record.despawns) {
      this.require(id, record.tick, 'despawn');
      this.entities.delete(id);
      this.pairs -= this.views.get(id)?.size ?? 0;
      this.views.delete(id);
    }
    this.tick = record.tick;
    this.time = record.time;
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
    copy.pairs = this.pairs;
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
      throw invalid(
        tick,
        `resumes after tick ${state.tick}, which does not follow tick ${this.tick}: ticks must increase.`,
      );
    }
    this.tick = state.tick;
    this.time = state.time;
    this.entities.clear();
    this.views.clear();
    for (const [id, entity] of state.entities) this.entities.set(id, { ...entity });
    for (const [id, view] of state.views) this.views.set(id, new Set(view));
    this.pairs = state.pairs;
  }

  private spawn(spawn: EntitySpawn, tick: number): void {
    if (spawn.respawn === true) {
      // remove(id) then add(id) in one tick: the old entity and its view go first (its leaves are in the events).
      this.require(spawn.id, tick, 'respawn');
      this.entities.delete(spawn.id);
      this.pairs -= this.views.get(spawn.id)?.size ?? 0;
      this.views.delete(spawn.id);
    } else if (this.entities.has(spawn.id)) {
      throw invalid(tick, `spawn of entity ${spawn.id}, which already exists.`);
    }
    this.entities.set(spawn.id, {
      id: spawn.id,
      x: spawn.x,
      y: spawn.y,
      viewRadius: spawn.viewRadius,
      leaveRadius: spawn.leaveRadius,
      watcher: spawn.watcher,
      marker: spawn.marker,
      tags: spawn.tags,
      spawnTick: tick,
    });
  }

  private require(id: number, tick: number, what: string): EntityState {
    const entity = this.entities.get(id);
    if (entity === undefined) throw invalid(tick, `${what} of entity ${id}, which does not exist.`);
    return entity;
  }
}

const invalid = (tick: number, message: string) =>
  new TraceError(TraceErrorCode.InvalidRecord, `tick ${tick}: ${message}`, { tick });

const tooManyPairs = (tick: number) =>
  new TraceError(
    TraceErrorCode.Limit,
    `tick ${tick}: the world holds more than ${Limits.viewPairs} view pairs (docs/aoitrace-format.md, "Limits").`,
    { tick },
  );
