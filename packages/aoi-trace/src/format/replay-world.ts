// The reader's side of seeking: a keyframe and the ticks after it are applied here, with the rules of
// world-rules.ts as WorldState.apply, but positions live in typed arrays and view sets in a ViewTable, so that a dense replay costs
// array writes instead of Map and Set operations. Positions are not kept here: the decoder's prediction table holds
// every live entity's stored position, so toWorldState() reads them from it. The result is a WorldState whose view
// Sets are built on first use.

import type { EntitySpawn, TickRecord } from '../model/types.js';
import { applyTick, type WorldStore } from '../model/world-rules.js';
import { type EntityState, spawnedEntity, type WorldState } from '../model/world-state.js';
import { LazyViews, SeekWorldState } from './lazy-views.js';
import type { PositionTable } from './position-table.js';
import type { Quantizer } from './quantizer.js';
import { ViewTable } from './view-table.js';

export class ReplayWorld implements WorldStore<EntityState> {
  tick = -1;
  time = 0;
  /** Entities; their x and y are filled in by toWorldState(). */
  readonly entities = new Map<number, EntityState>();
  views = new ViewTable();
  /**
   * Set by {@link ReplayWorld.follow}: the views are a 3.x decoder's predictor's, which applies every tick's events
   * and removals itself while decoding, so this world leaves them alone; the pair count after the tick's events
   * (before its despawns, where the limit is checked) comes from the decoder.
   */
  private eventPairs: (() => number) | undefined;

  /** A ReplayWorld holding what `state` holds (entities copied, views as sorted lists). */
  static of(state: WorldState): ReplayWorld {
    const world = new ReplayWorld();
    world.tick = state.tick;
    world.time = state.time;
    for (const [id, entity] of state.entities) world.entities.set(id, { ...entity });
    for (const watcher of [...state.views.keys()].sort((a, b) => a - b)) {
      for (const target of state.viewOf(watcher)) world.views.add(watcher, target);
    }
    return world;
  }

  /** Applies one decoded tick: the rules of world-rules.ts, as WorldState.apply. */
  apply(record: TickRecord): void {
    applyTick(this, record);
  }

  /** @internal The entity a spawn creates (WorldStore, see world-rules.ts). */
  created(spawn: EntitySpawn, tick: number): EntityState {
    return spawnedEntity(spawn, tick);
  }

  /**
   * Shares the view sets of a 3.x decoder's predictor (segment-decoder.ts) instead of keeping a second copy that
   * every event is applied to again (stateAt's path: one table instead of two, no copy at the keyframe).
   * `eventPairs`: the predictor's pair count after the last decoded tick's events.
   */
  follow(views: ViewTable, eventPairs: () => number): void {
    this.views = views;
    this.eventPairs = eventPairs;
  }

  /** @internal */
  removed(id: number): void {
    if (this.eventPairs === undefined) this.views.deleteWatcher(id);
  }

  /** @internal Moves: the decoder has checked that each entity exists and put its position in the table. */
  moved(): void {}

  /** @internal */
  enter(watcher: number, target: number): void {
    if (this.eventPairs === undefined) this.views.add(watcher, target);
  }

  /** @internal */
  exit(watcher: number, target: number): void {
    if (this.eventPairs === undefined) this.views.delete(watcher, target);
  }

  get pairs(): number {
    return this.eventPairs === undefined ? this.views.pairs : this.eventPairs();
  }

  /**
   * The result as a WorldState, with positions from the decoder's table positioned on the same tick. This object
   * must not be used afterwards: the state takes its entities and lists. `keep`: the state gets copies instead, and
   * this world can go on replaying (a reader's seek cursor, state-at.ts). Shared views are always copied.
   */
  toWorldState(table: PositionTable, quantizer: Quantizer, keep = false): WorldState {
    const views = keep || this.eventPairs !== undefined ? this.views.clone() : this.views;
    const pending = new Map<number, Int32Array>();
    for (const watcher of views.sortedWatchers()) {
      pending.set(watcher, views.targetsOf(views.slotOf(watcher)));
    }
    const state = new SeekWorldState(new LazyViews(pending));
    state.tick = this.tick;
    state.time = this.time;
    for (const kept of this.entities.values()) {
      const entity = keep ? { ...kept } : kept;
      const slot = table.slotOf(entity.id);
      entity.x = quantizer.decode(table.qx[slot]!);
      entity.y = quantizer.decode(table.qy[slot]!);
      state.entities.set(entity.id, entity);
    }
    return state;
  }
}
