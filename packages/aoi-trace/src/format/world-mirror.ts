// The writer's copy of the world as a reader will rebuild it (quantized positions, entity fields), kept so that a
// keyframe can be written at any tick. The rules are world-rules.ts's, as in WorldState.apply, but positions live in
// the PositionTable's typed arrays instead of one object per entity. View sets are not kept here: their changes go
// to the ViewLog, and the chunk packer (maybe on another thread) applies them.

import { heightOf } from '../model/height.js';
import type { EntitySpawn, EntityUpdate } from '../model/types.js';
import { despawnEntity, type EntityStore, spawnEntity, updateEntity } from '../model/world-rules.js';
import type { EntityState } from '../model/world-state.js';
import { PositionTable } from './position-table.js';
import { ViewLog } from './view-log.js';

/** An entity as the writer keeps it: its position is in the PositionTable. */
export type EntityMeta = Omit<EntityState, 'x' | 'y'>;

export class WorldMirror implements EntityStore<EntityMeta> {
  readonly positions = new PositionTable();
  readonly meta = new Map<number, EntityMeta>();
  readonly viewLog = new ViewLog();
  tick = -1;
  time = 0;

  get entities(): Map<number, EntityMeta> {
    return this.meta;
  }

  spawn(spawn: EntitySpawn, qx: number, qy: number, tick: number): void {
    spawnEntity(this, spawn, tick);
    this.positions.add(spawn.id, qx, qy);
  }

  update(update: EntityUpdate, tick: number): void {
    updateEntity(this, update, tick);
  }

  despawn(id: number, tick: number): void {
    despawnEntity(this, id, tick);
  }

  /** @internal The entity a spawn creates (EntityStore, see world-rules.ts). */
  created(spawn: EntitySpawn, tick: number): EntityMeta {
    const { id, viewRadius, leaveRadius, watcher, marker, tags } = spawn;
    return { id, viewRadius, leaveRadius, watcher, marker, tags, ...heightOf(spawn), spawnTick: tick };
  }

  /** @internal Events come before despawns in a tick, so the view can go now (the packer drops it in order). */
  removed(id: number): void {
    this.viewLog.despawn(id);
    this.positions.remove(id);
  }

  endTick(tick: number, time: number): void {
    this.tick = tick;
    this.time = time;
  }
}
