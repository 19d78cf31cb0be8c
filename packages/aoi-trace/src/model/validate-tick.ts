// Checks that a tick can follow a state before anything is applied: WorldState.apply mutates as it goes, so a
// producer's bad record (NDJSON import, live ingest) must be caught here or it would be half-applied.

import { isValidTraceparent } from '@lanes/trace-context';
import { TraceError, TraceErrorCode, type TraceErrorDetails } from '../errors.js';
import { Quantizer } from '../format/quantizer.js';
import { positionFits, positionLimit, TRACE_LIMITS } from './trace-limits.js';
import type { SpanContext, TickRecord, TraceHeader } from './types.js';
import { ruleMessage, spawnRule, WorldRule } from './world-rules.js';
import type { WorldState } from './world-state.js';

/** The seed's eBPF filter, done where updates enter: flag positions and jumps no real client can produce. */
export interface ValidateOptions {
  /** `[minX, minY, maxX, maxY]`, inclusive: spawns and moves outside are rejected. */
  readonly bounds?: readonly [number, number, number, number];
  /** Largest distance an entity may move per tick (teleports exempt), in world units. */
  readonly maxSpeed?: number;
}

/** {@link TraceErrorDetails} plus the entity at fault, when there is one. */
export interface TickErrorDetails extends TraceErrorDetails {
  readonly entity?: number;
}

const MAX_ID = TRACE_LIMITS.maxId;
const TAG_BIT = /^bit([0-9]|[12][0-9]|3[01])$/;

class Invalid {
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly entity?: number,
  ) {}
}

/**
 * Returns why `record` cannot follow `state` (a TraceError with code INVALID_RECORD and `tick`, `path` and, where
 * one is at fault, `entity` in its details), or undefined when it can. Changes nothing.
 *
 * Tags must be strings; when the header declares tag names, each tag must be one of them or `bit<0..31>`.
 */
export function validateTick(
  state: WorldState,
  header: TraceHeader,
  record: TickRecord,
  options: ValidateOptions = {},
): TraceError | undefined {
  try {
    check(state, header, record, options);
    return undefined;
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    const where = error.entity === undefined ? '' : ` (entity ${error.entity})`;
    const details: TickErrorDetails = {
      tick: Number.isFinite(record.tick) ? record.tick : undefined,
      path: error.path,
      ...(error.entity === undefined ? {} : { entity: error.entity }),
    };
    return new TraceError(
      TraceErrorCode.InvalidRecord,
      `tick ${String(record.tick)}: ${error.path}${where}: ${error.reason}`,
      details,
    );
  }
}

function check(state: WorldState, header: TraceHeader, record: TickRecord, options: ValidateOptions): void {
  if (!Number.isSafeInteger(record.tick) || record.tick < 0) fail('$.tick', 'must be an integer >= 0.');
  if (record.tick > TRACE_LIMITS.maxTick) {
    fail('$.tick', `${record.tick} is over ${TRACE_LIMITS.maxTick} (2^52 - 1), the largest tick .aoitrace stores.`);
  }
  if (record.tick <= state.tick) fail('$.tick', `must be greater than the previous tick ${state.tick}.`);
  if (!Number.isFinite(record.time)) fail('$.time', 'must be a finite number (ms since the Unix epoch).');
  if (!Number.isSafeInteger(record.eventBase) || record.eventBase < 0) fail('$.eventBase', 'must be an integer >= 0.');
  if (record.eventBase + record.events.count > Number.MAX_SAFE_INTEGER) {
    fail('$.eventBase', "the ids of this tick's events would pass 2^53 - 1.");
  }
  if (record.span !== undefined) checkSpan(record.span, '$.span');

  const messageCount = record.messages.length;
  record.messages.forEach((message, i) => {
    const path = `$.messages[${i}]`;
    if (typeof message.name !== 'string') fail(`${path}.name`, 'must be a string.');
    checkSpan(message.span, `${path}.span`);
    if (message.parent !== undefined) checkSpan(message.parent, `${path}.parent`);
    if (message.entity !== undefined) checkId(message.entity, `${path}.entity`);
  });

  const spawned = new Map<number, { x: number; y: number }>();
  const space = { quantizer: new Quantizer(header.quantum), options };
  record.spawns.forEach((spawn, i) => {
    const path = `$.spawns[${i}]`;
    checkId(spawn.id, `${path}.id`);
    if (spawn.respawn !== undefined) checkBoolean(spawn.respawn, `${path}.respawn`, spawn.id);
    // A respawn's id must name an entity that lived when the tick began (world-rules.ts).
    const rule = spawnRule(state.entities.has(spawn.id), spawn.respawn);
    if (rule !== undefined) {
      const hint = rule === WorldRule.SpawnExists ? ' (a respawn says "respawn": true)' : '';
      fail(`${path}.id`, `${ruleMessage(rule)}${hint}.`, spawn.id);
    }
    if (spawned.has(spawn.id)) fail(`${path}.id`, 'spawned twice in this tick.', spawn.id);
    checkPosition(spawn.x, spawn.y, path, spawn.id, space);
    checkRadii(spawn.viewRadius, spawn.leaveRadius, path, spawn.id);
    checkBoolean(spawn.watcher, `${path}.watcher`, spawn.id);
    checkBoolean(spawn.marker, `${path}.marker`, spawn.id);
    checkTags(spawn.tags, `${path}.tags`, spawn.id, header);
    checkCause(spawn.cause, `${path}.cause`, messageCount, spawn.id);
    spawned.set(spawn.id, { x: spawn.x, y: spawn.y });
  });
  const known = (id: number) => state.entities.has(id) || spawned.has(id);

  // Radii are checked against the entity as earlier updates of this tick left it.
  const radii = new Map<number, { view: number; leave: number }>();
  record.updates.forEach((update, i) => {
    const path = `$.updates[${i}]`;
    checkId(update.id, `${path}.id`);
    if (!known(update.id)) fail(`${path}.id`, `${ruleMessage(WorldRule.UpdateMissing)}.`, update.id);
    const current = radii.get(update.id) ?? currentRadii(state, record, update.id);
    const view = update.viewRadius ?? current.view;
    const leave = update.leaveRadius ?? current.leave;
    checkRadii(view, leave, path, update.id);
    radii.set(update.id, { view, leave });
    if (update.watcher !== undefined) checkBoolean(update.watcher, `${path}.watcher`, update.id);
    if (update.marker !== undefined) checkBoolean(update.marker, `${path}.marker`, update.id);
    if (update.tags !== undefined) checkTags(update.tags, `${path}.tags`, update.id, header);
    checkCause(update.cause, `${path}.cause`, messageCount, update.id);
  });

  checkMoves(state, record, spawned, space);

  const despawned = new Set<number>();
  record.despawns.forEach((id, i) => {
    const path = `$.despawns[${i}]`;
    checkId(id, path);
    if (!known(id)) fail(path, `${ruleMessage(WorldRule.DespawnMissing)}.`, id);
    if (despawned.has(id)) fail(path, 'despawned twice in this tick.', id);
    despawned.add(id);
  });

  const events = record.events;
  checkCount(events.count, '$.events', [events.kinds, events.watchers, events.targets]);
  for (let i = 0; i < events.count; i++) {
    const path = `$.events[${i}]`;
    const kind = events.kinds[i]!;
    if (kind > 2) fail(`${path}.kind`, `kind ${kind} is not 0 (enter), 1 (exit) or 2 (move).`);
    const watcher = events.watchers[i]!;
    const target = events.targets[i]!;
    checkId(watcher, `${path}.watcher`);
    checkId(target, `${path}.target`);
    if (!known(watcher)) fail(`${path}.watcher`, 'event of a watcher that does not exist.', watcher);
    if (!known(target)) fail(`${path}.target`, 'event about a target that does not exist.', target);
  }
}

function checkMoves(
  state: WorldState,
  record: TickRecord,
  spawned: ReadonlyMap<number, { x: number; y: number }>,
  space: Space,
): void {
  const { options } = space;
  const moves = record.moves;
  checkCount(moves.count, '$.moves', [moves.ids, moves.xs, moves.ys, moves.teleports, moves.causes]);
  const elapsed = state.tick < 0 ? 1 : record.tick - state.tick;
  for (let i = 0; i < moves.count; i++) {
    const path = `$.moves[${i}]`;
    const id = moves.ids[i]!;
    checkId(id, `${path}.id`);
    // A respawned id moves from its new spawn position, not from where its old entity was.
    const before = spawned.get(id) ?? state.entities.get(id);
    if (before === undefined) fail(`${path}.id`, `${ruleMessage(WorldRule.MoveMissing)}.`, id);
    const x = moves.xs[i]!;
    const y = moves.ys[i]!;
    checkPosition(x, y, path, id, space);
    const teleport = moves.teleports[i]!;
    if (teleport > 1) fail(`${path}.teleport`, 'must be 0 or 1.', id);
    checkCause(moves.causes[i]!, `${path}.cause`, record.messages.length, id);
    if (options.maxSpeed !== undefined && teleport === 0) {
      // A spawn and a move in the same tick count as one tick of travel.
      const ticks = spawned.has(id) ? 1 : elapsed;
      const distance = Math.hypot(x - before.x, y - before.y);
      if (distance > options.maxSpeed * ticks) {
        fail(path, `moved ${distance} units in ${ticks} tick(s); maxSpeed is ${options.maxSpeed} per tick.`, id);
      }
    }
  }
  if (moves.count > 1) checkUniqueMoveIds(moves.ids, moves.count);
}

/** Sorting a copy finds duplicates of a million ids faster than a Set; the slow search runs only on failure. */
function checkUniqueMoveIds(ids: Int32Array, count: number): void {
  const sorted = ids.slice(0, count).sort();
  for (let i = 1; i < count; i++) {
    if (sorted[i] !== sorted[i - 1]) continue;
    const id = sorted[i]!;
    const first = ids.indexOf(id);
    const second = ids.indexOf(id, first + 1);
    fail(`$.moves[${second}].id`, `moved twice in this tick (also $.moves[${first}]); ids must be unique.`, id);
  }
}

function currentRadii(state: WorldState, record: TickRecord, id: number): { view: number; leave: number } {
  const entity = record.spawns.find((spawn) => spawn.id === id) ?? state.entities.get(id)!;
  return { view: entity.viewRadius, leave: entity.leaveRadius };
}

function checkCount(count: number, path: string, columns: readonly ArrayLike<number>[]): void {
  if (!Number.isSafeInteger(count) || count < 0) fail(`${path}.count`, 'must be an integer >= 0.');
  for (const column of columns) {
    if (column.length < count) fail(`${path}.count`, `is ${count} but a column holds only ${column.length}.`);
  }
}

function checkId(id: number, path: string): void {
  if (!Number.isInteger(id) || id < 0 || id > MAX_ID) fail(path, `id ${String(id)} must be an integer 0..2^31-1.`);
}

/** What a position is checked against: the header's quantizer (what the format stores) and the bounds option. */
interface Space {
  readonly quantizer: Quantizer;
  readonly options: ValidateOptions;
}

function checkPosition(x: number, y: number, path: string, id: number, space: Space): void {
  if (!Number.isFinite(x)) fail(`${path}.x`, `x = ${String(x)}; positions must be finite numbers.`, id);
  if (!Number.isFinite(y)) fail(`${path}.y`, `y = ${String(y)}; positions must be finite numbers.`, id);
  if (!positionFits(space.quantizer, x)) fail(`${path}.x`, beyondStore('x', x, space.quantizer), id);
  if (!positionFits(space.quantizer, y)) fail(`${path}.y`, beyondStore('y', y, space.quantizer), id);
  const bounds = space.options.bounds;
  if (bounds === undefined) return;
  const [minX, minY, maxX, maxY] = bounds;
  if (x < minX || x > maxX) fail(`${path}.x`, `x = ${x} is out of bounds [${minX}, ${maxX}].`, id);
  if (y < minY || y > maxY) fail(`${path}.y`, `y = ${y} is out of bounds [${minY}, ${maxY}].`, id);
}

function beyondStore(axis: string, value: number, quantizer: Quantizer): string {
  const limit = positionLimit(quantizer.quantum);
  return `${axis} = ${value} is beyond ±${limit}, the largest position .aoitrace stores with quantum ${quantizer.quantum} (2^48 quanta).`;
}

function checkRadii(view: number, leave: number, path: string, id: number): void {
  const max = TRACE_LIMITS.maxRadius;
  if (!Number.isFinite(view) || view < 0 || view > max) {
    fail(`${path}.viewRadius`, `viewRadius ${String(view)} must be a finite number 0..2^511 (${max}).`, id);
  }
  if (!Number.isFinite(leave) || leave < view || leave > max) {
    fail(
      `${path}.leaveRadius`,
      `leaveRadius ${String(leave)} must be a finite number >= viewRadius ${view} and <= 2^511 (${max}).`,
      id,
    );
  }
}

function checkBoolean(value: unknown, path: string, id: number): void {
  if (typeof value !== 'boolean') fail(path, 'must be true or false.', id);
}

function checkTags(tags: readonly string[], path: string, id: number, header: TraceHeader): void {
  if (!Array.isArray(tags)) fail(path, 'must be an array of tag names.', id);
  tags.forEach((tag, i) => {
    if (typeof tag !== 'string' || tag === '') fail(`${path}[${i}]`, 'tags must be non-empty strings.', id);
    if (header.tagNames.length > 0 && !header.tagNames.includes(tag) && !TAG_BIT.test(tag)) {
      fail(`${path}[${i}]`, `tag "${tag}" is not in the header's tagNames.`, id);
    }
  });
}

function checkCause(cause: number, path: string, messageCount: number, id: number): void {
  if (!Number.isInteger(cause) || cause < -1 || cause >= messageCount) {
    fail(path, `cause ${String(cause)} must be -1 or the index of one of the tick's ${messageCount} message(s).`, id);
  }
}

function checkSpan(span: SpanContext, path: string): void {
  if (typeof span !== 'object' || span === null) fail(path, 'must be {"traceId", "spanId"}.');
  // Reuses trace-context's grammar: a traceparent is valid exactly when both ids are lowercase hex, not all zero.
  if (typeof span.traceId !== 'string' || !isValidTraceparent(`00-${span.traceId}-0000000000000001-00`)) {
    fail(`${path}.traceId`, 'must be 32 lowercase hex digits, not all zero.');
  }
  if (typeof span.spanId !== 'string' || !isValidTraceparent(`00-00000000000000000000000000000001-${span.spanId}-00`)) {
    fail(`${path}.spanId`, 'must be 16 lowercase hex digits, not all zero.');
  }
}

function fail(path: string, reason: string, entity?: number): never {
  throw new Invalid(path, reason, entity);
}
