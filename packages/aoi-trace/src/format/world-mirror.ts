// The writer's copy of the world as a reader will rebuild it (quantized positions, entity fields), kept so that a
// keyframe can be written at any tick. Same rules as WorldState.apply, but positions live in the PositionTable's
// typed arrays instead of one object per entity. View sets are not kept here: their changes go to the ViewLog, and
// the chunk packer (maybe on another thread) applies them.

import { TraceError, TraceErrorCode } from '../errors.js';
import type { EntitySpawn, EntityUpdate } from '../model/types.js';
import { PositionTable } from './position-table.js';
import { ViewLog } from './view-log.js';

export interface EntityMeta {
  id: number;
  viewRadius: number;
  leaveRadius: number;
  watcher: boolean;
  marker: boolean;
  tags: readonly string[];
  spawnTick: number;
}

export class WorldMirror {
  readonly positions = new PositionTable();
  readonly meta = new Map<number, EntityMeta>();
  readonly viewLog = new ViewLog();
  tick = -1;
  time = 0;

  spawn(spawn: EntitySpawn, qx: number, qy: number, tick: number): void {
    if (spawn.respawn === true) {
      if (!this.meta.has(spawn.id)) throw invalid(tick, `respawn of entity ${spawn.id}, which does not exist.`);
      // The old entity goes before the tick's events, so its view is dropped before its leaves are logged.
      this.despawn(spawn.id, tick);
    } else if (this.meta.has(spawn.id)) {
      throw invalid(tick, `spawn of entity ${spawn.id}, which already exists.`);
    }
    this.meta.set(spawn.id, {
      id: spawn.id,
      viewRadius: spawn.viewRadius,
      leaveRadius: spawn.leaveRadius,
      watcher: spawn.watcher,
      marker: spawn.marker,
      tags: spawn.tags,
      spawnTick: tick,
    });
    this.positions.add(spawn.id, qx, qy);
  }

  update(update: EntityUpdate, tick: number): void {
    const entity = this.meta.get(update.id);
    if (entity === undefined) throw invalid(tick, `update of entity ${update.id}, which does not exist.`);
    if (update.viewRadius !== undefined) entity.viewRadius = update.viewRadius;
    if (update.leaveRadius !== undefined) entity.leaveRadius = update.leaveRadius;
    if (update.watcher !== undefined) entity.watcher = update.watcher;
    if (update.marker !== undefined) entity.marker = update.marker;
    if (update.tags !== undefined) entity.tags = update.tags;
  }

  despawn(id: number, tick: number): void {
    if (!this.meta.delete(id)) throw invalid(tick, `despawn of entity ${id}, which does not exist.`);
    // Events come before despawns in a tick, so the view can go now (WorldState.apply does the same).
    this.viewLog.despawn(id);
    this.positions.remove(id);
  }

  endTick(tick: number, time: number): void {
    this.tick = tick;
    this.time = time;
  }
}

export const invalid = (tick: number, message: string) =>
  new TraceError(TraceErrorCode.InvalidRecord, `tick ${tick}: ${message}`, { tick });
