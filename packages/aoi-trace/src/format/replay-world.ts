// The reader's side of seeking: a keyframe and the ticks after it are applied here, with the rules of
// WorldState.apply, but positions live in typed arrays and view sets in a ViewTable, so that a dense replay costs
// array writes instead of Map and Set operations. Positions are not kept here: the decoder's prediction table holds
// every live entity's stored position, so toWorldState() reads them from it. The result is a WorldState whose view
// Sets are built on first use.

import { TraceError, TraceErrorCode } from '../errors.js';
import type { TickRecord } from '../model/types.js';
import type { EntityState, WorldState } from '../model/world-state.js';
import { LazyViews, SeekWorldState } from './lazy-views.js';
import { Limits } from './limits.js';
import type { PositionTable } from './position-table.js';
import type { Quantizer } from './quantizer.js';
import { ViewTable } from './view-table.js';

export class ReplayWorld {
  tick = -1;
  time = 0;
  /** Entities; their x and y are filled in by toWorldState(). */
  readonly entities = new Map<number, EntityState>();
  readonly views = new ViewTable();

  /** Applies one decoded tick; the same checks and errors as WorldState.apply. */
  apply(record: TickRecord): void {
    const { tick } = record;
    if (tick <= this.tick) throw invalid(tick, `tick ${tick} does not follow tick ${this.tick}: ticks must increase.`);
    for (const spawn of record.spawns) {
      if (spawn.respawn === true) {
        if (!this.entities.delete(spawn.id))
          throw invalid(tick, `respawn of entity ${spawn.id}, which does not exist.`);
        this.views.deleteWatcher(spawn.id);
      } else if (this.entities.has(spawn.id)) {
        throw invalid(tick, `spawn of entity ${spawn.id}, which already exists.`);
      }
      const { id, x, y, viewRadius, leaveRadius, watcher, marker, tags } = spawn;
      this.entities.set(id, { id, x, y, viewRadius, leaveRadius, watcher, marker, tags, spawnTick: tick });
    }
    for (const update of record.updates) {
      const entity = this.entities.get(update.id);
      if (entity === undefined) throw invalid(tick, `update of entity ${update.id}, which does not exist.`);
      if (update.viewRadius !== undefined) entity.viewRadius = update.viewRadius;
      if (update.leaveRadius !== undefined) entity.leaveRadius = update.leaveRadius;
      if (update.watcher !== undefined) entity.watcher = update.watcher;
      if (update.marker !== undefined) entity.marker = update.marker;
      if (update.tags !== undefined) entity.tags = update.tags;
    }
    // Moves: the decoder has checked that each entity exists and put its position in the table.
    const events = record.events;
    const views = this.views;
    for (let i = 0; i < events.count; i++) {
      const kind = events.kinds[i];
      if (kind === 0) views.add(events.watchers[i]!, events.targets[i]!);
      else if (kind === 1) views.delete(events.watchers[i]!, events.targets[i]!);
    }
    if (views.pairs > Limits.viewPairs) {
      const message = `tick ${tick}: the world holds more than ${Limits.viewPairs} view pairs (docs/aoitrace-format.md, "Limits").`;
      throw new TraceError(TraceErrorCode.Limit, message, { tick });
    }
    for (const id of record.despawns) {
      if (!this.entities.delete(id)) throw invalid(tick, `despawn of entity ${id}, which does not exist.`);
      views.deleteWatcher(id);
    }
    this.tick = tick;
    this.time = record.time;
  }

  /**
   * The result as a WorldState, with positions from the decoder's table positioned on the same tick. This object
   * must not be used afterwards: the state takes its entities and lists.
   */
  toWorldState(table: PositionTable, quantizer: Quantizer): WorldState {
    const { views } = this;
    const pending = new Map<number, Int32Array>();
    for (const watcher of views.sortedWatchers()) {
      pending.set(watcher, views.targetsOf(views.slotOf(watcher)));
    }
    const state = new SeekWorldState(new LazyViews(pending));
    state.tick = this.tick;
    state.time = this.time;
    for (const entity of this.entities.values()) {
      const slot = table.slotOf(entity.id);
      entity.x = quantizer.decode(table.qx[slot]!);
      entity.y = quantizer.decode(table.qy[slot]!);
      state.entities.set(entity.id, entity);
    }
    return state;
  }
}

const invalid = (tick: number, message: string) =>
  new TraceError(TraceErrorCode.InvalidRecord, `tick ${tick}: ${message}`, { tick });
