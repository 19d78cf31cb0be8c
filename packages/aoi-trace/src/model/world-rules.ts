// The trace world's rules, stated once (issue 16 §4): which ids a tick's spawns, respawns, updates, moves and
// despawns need, what they do to an entity and its view, the order a tick applies in, and the view-pair limit.
// WorldState (objects), the reader's ReplayWorld (typed-array view lists), the writer's WorldMirror (positions in a
// table, views in a log), the tick decoder and validateTick keep the world in different shapes and all ask here;
// world-rules.conformance.test.ts feeds all of them the same ticks and checks that they agree.

import { TraceError, TraceErrorCode } from '../errors.js';
import { Limits } from '../format/limits.js';
import { copyHeight, type HeightFields } from './height.js';
import type { EntitySpawn, EntityUpdate, EventColumns, MoveColumns, TickRecord } from './types.js';

/** The rules a tick can break by naming an id; the conformance suite matches implementations on these. */
export const WorldRule = {
  SpawnExists: 'spawn-exists',
  RespawnMissing: 'respawn-missing',
  UpdateMissing: 'update-missing',
  MoveMissing: 'move-missing',
  DespawnMissing: 'despawn-missing',
} as const;
export type WorldRule = (typeof WorldRule)[keyof typeof WorldRule];

const RULE_TEXT: Record<WorldRule, readonly [change: string, exists: boolean]> = {
  'spawn-exists': ['spawn', true],
  'respawn-missing': ['respawn', false],
  'update-missing': ['update', false],
  'move-missing': ['move', false],
  'despawn-missing': ['despawn', false],
};

/**
 * The rule a spawn breaks, or undefined: a spawn needs a free id; a respawn (remove(id) then add(id) in one tick,
 * see EntitySpawn.respawn) needs a live one. `alive`: whether the id is live when the spawn is applied.
 */
export function spawnRule(alive: boolean, respawn: boolean | undefined): WorldRule | undefined {
  if (respawn === true) return alive ? undefined : WorldRule.RespawnMissing;
  return alive ? WorldRule.SpawnExists : undefined;
}

/** `spawn of entity 7, which already exists`, or with no id `spawn of an entity that already exists`. */
export function ruleMessage(rule: WorldRule, id?: number): string {
  const [change, exists] = RULE_TEXT[rule];
  const state = exists ? 'already exists' : 'does not exist';
  return id === undefined ? `${change} of an entity that ${state}` : `${change} of entity ${id}, which ${state}`;
}

/** The INVALID_RECORD error of a broken rule, naming the tick and the entity. */
export function ruleError(tick: number, rule: WorldRule, id: number): TraceError {
  return invalidTick(tick, `${ruleMessage(rule, id)}.`, id);
}

export function invalidTick(tick: number, message: string, entity?: number): TraceError {
  return new TraceError(
    TraceErrorCode.InvalidRecord,
    `tick ${tick}: ${message}`,
    entity === undefined ? { tick } : { tick, entity },
  );
}

export function tickOrderError(tick: number, previous: number): TraceError {
  return invalidTick(tick, `tick ${tick} does not follow tick ${previous}: ticks must increase.`);
}

/** Checked after a tick's events: the world may hold at most Limits.viewPairs pairs. */
export function checkViewPairs(pairs: number, tick: number): void {
  if (pairs <= Limits.viewPairs) return;
  throw new TraceError(
    TraceErrorCode.Limit,
    `tick ${tick}: the world holds more than ${Limits.viewPairs} view pairs (docs/aoitrace-format.md, "Limits").`,
    { tick },
  );
}

/** The fields of an entity a tick's updates change; every representation of an entity has them. */
export interface EntityFields extends HeightFields {
  viewRadius: number;
  leaveRadius: number;
  watcher: boolean;
  marker: boolean;
  tags: readonly string[];
}

/** Copies what an update sets (radii, roles, tags); a field it leaves out keeps its value. */
export function applyUpdate(entity: EntityFields, update: EntityUpdate): void {
  if (update.viewRadius !== undefined) entity.viewRadius = update.viewRadius;
  if (update.leaveRadius !== undefined) entity.leaveRadius = update.leaveRadius;
  if (update.watcher !== undefined) entity.watcher = update.watcher;
  if (update.marker !== undefined) entity.marker = update.marker;
  if (update.tags !== undefined) entity.tags = update.tags;
  copyHeight(entity, update);
}

/** A world's entities, in whatever shape an implementation keeps them; the rules below drive it. */
export interface EntityStore<E extends EntityFields> {
  readonly entities: Map<number, E>;
  /** The entity a spawn creates (its id is free now). */
  created(spawn: EntitySpawn, tick: number): E;
  /** An entity was taken out (a despawn, or a respawn's first half): drop its view and whatever else is kept. */
  removed(id: number): void;
}

/** A world's view pairs: an enter of a pair in view and an exit of one not in view change nothing. */
export interface ViewStore {
  enter(watcher: number, target: number): void;
  exit(watcher: number, target: number): void;
  readonly pairs: number;
}

/** A spawn; on a respawn the old entity and its view go first (its leaves are in the tick's events). */
export function spawnEntity<E extends EntityFields>(store: EntityStore<E>, spawn: EntitySpawn, tick: number): void {
  const rule = spawnRule(store.entities.has(spawn.id), spawn.respawn);
  if (rule !== undefined) throw ruleError(tick, rule, spawn.id);
  if (spawn.respawn === true) removeEntity(store, spawn.id);
  store.entities.set(spawn.id, store.created(spawn, tick));
}

export function updateEntity<E extends EntityFields>(store: EntityStore<E>, update: EntityUpdate, tick: number): void {
  const entity = store.entities.get(update.id);
  if (entity === undefined) throw ruleError(tick, WorldRule.UpdateMissing, update.id);
  applyUpdate(entity, update);
}

/** Events come before despawns in a tick, so the despawned entity's view can go with it. */
export function despawnEntity<E extends EntityFields>(store: EntityStore<E>, id: number, tick: number): void {
  if (!store.entities.has(id)) throw ruleError(tick, WorldRule.DespawnMissing, id);
  removeEntity(store, id);
}

function removeEntity<E extends EntityFields>(store: EntityStore<E>, id: number): void {
  store.entities.delete(id);
  store.removed(id);
}

/** Enters and exits in order (kind 2, a move event, changes no view), then the pair limit. */
export function applyViewEvents(views: ViewStore, events: EventColumns, tick: number): void {
  const { kinds, watchers, targets } = events;
  for (let i = 0; i < events.count; i++) {
    const kind = kinds[i];
    if (kind === 0) views.enter(watchers[i]!, targets[i]!);
    else if (kind === 1) views.exit(watchers[i]!, targets[i]!);
  }
  checkViewPairs(views.pairs, tick);
}

/** A whole world: entities, views, the last tick; `moved` applies a tick's moves (or knows they are applied). */
export interface WorldStore<E extends EntityFields> extends EntityStore<E>, ViewStore {
  tick: number;
  time: number;
  moved(moves: MoveColumns, tick: number): void;
}

/**
 * Applies one tick in the format's order: spawns (respawns first take the old entity out), updates, moves, events,
 * despawns. Throws on the first broken rule; the world may then be half-applied (validateTick checks first).
 */
export function applyTick<E extends EntityFields>(store: WorldStore<E>, record: TickRecord): void {
  const { tick } = record;
  if (tick <= store.tick) throw tickOrderError(tick, store.tick);
  for (const spawn of record.spawns) spawnEntity(store, spawn, tick);
  for (const update of record.updates) updateEntity(store, update, tick);
  store.moved(record.moves, tick);
  applyViewEvents(store, record.events, tick);
  for (const id of record.despawns) despawnEntity(store, id, tick);
  store.tick = tick;
  store.time = record.time;
}
