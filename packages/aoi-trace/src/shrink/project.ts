import { TraceError, TraceErrorCode } from '../errors.js';
import { emptyEvents, emptyMoves, pushEvent, pushMove } from '../model/columns.js';
import { copyHeight, heightOf } from '../model/height.js';
import type { EntitySpawn, EntityUpdate, TickRecord } from '../model/types.js';
import type { EntityState } from '../model/world-state.js';

/** How candidate coordinates are simplified: translated by -offset, then rounded to `decimals` (none: kept). */
export interface CoordinateTransform {
  offsetX: number;
  offsetY: number;
  decimals?: number;
}

export const IDENTITY: CoordinateTransform = { offsetX: 0, offsetY: 0 };

/** What a candidate keeps of a trace: entity ids, and the indices (into its records) of the ticks. */
export interface Projection {
  entities: ReadonlySet<number>;
  /** Sorted indices into the source records; undefined keeps every tick. */
  ticks?: readonly number[];
  transform?: CoordinateTransform;
}

/** An entity's geometry, roles and tags: what a candidate must keep equal to the source at each kept tick. */
type Body = Omit<EntityState, 'id' | 'spawnTick'>;

interface SourceBody extends Body {
  alive: boolean;
  /** Despawned or respawned within the current group. */
  reborn: boolean;
  teleported: boolean;
}

type Views = Map<number, Set<number>>;

const has = (views: Views, w: number, t: number) => views.get(w)?.has(t) === true;

function setView(views: Views, w: number, t: number, on: boolean): void {
  const view = views.get(w);
  if (on) {
    if (view === undefined) views.set(w, new Set([t]));
    else view.add(t);
  } else if (view?.delete(t) && view.size === 0) views.delete(w);
}

function round(value: number, decimals: number | undefined): number {
  if (decimals === undefined) return value;
  const scale = 10 ** decimals;
  const rounded = Math.round(value * scale) / scale;
  return rounded === 0 ? 0 : rounded; // no -0 in a file people read
}

/**
 * A candidate trace: `source` restricted to some entities and ticks. A dropped tick folds into the next kept tick,
 * so every kept entity's state stays what the source says at each kept tick: its moves become one move to where
 * it ended, its radius and role changes one update, a spawn or despawn moves to that tick (a despawn followed by a
 * spawn of the same id becomes a respawn; an entity that lived only within dropped ticks never appears). Events of
 * dropped entities go. A kept tick that stands alone keeps its events as they were (duplicates included); a tick
 * that absorbed dropped ones gets, per pair, the one event that takes the view from where it was to where the
 * source has it (nothing when they agree; for a pair of a respawned entity, the old one's leave first if the source
 * sent it), then the last tick's move events. Ticks after the last kept one are
 * dropped. Messages and causes are left out. Tick numbers and times are the source's. An event that names an
 * entity not alive in its tick (a buggy server's late leave of a despawned target) is left out too: the NDJSON reader
 * refuses it.
 */
export function projectTrace(source: readonly TickRecord[], projection: Projection): TickRecord[] {
  const { entities } = projection;
  const transform = projection.transform ?? IDENTITY;
  const kept = new Uint8Array(source.length);
  for (const i of projection.ticks ?? source.keys()) kept[i] = 1;
  const x = (v: number) => round(v - transform.offsetX, transform.decimals);
  const y = (v: number) => round(v - transform.offsetY, transform.decimals);

  const src = new Map<number, SourceBody>();
  const out = new Map<number, Body>();
  const srcViews: Views = new Map();
  const outViews: Views = new Map();
  const records: TickRecord[] = [];
  let eventBase = 0;
  // The group: the source ticks since the last kept one.
  let touched = new Set<number>();
  let pairs = new Map<string, [number, number]>();
  let exited = new Set<string>();
  let groupTicks = 0;

  for (let i = 0; i < source.length; i++) {
    const record = source[i]!;
    if (record.resync !== undefined) {
      throw new TraceError(
        TraceErrorCode.InvalidArgument,
        `tick ${record.tick} follows lost ticks; shrink needs a trace without gaps (damaged or cut).`,
      );
    }
    groupTicks++;
    for (const s of record.spawns) {
      if (!entities.has(s.id)) continue;
      const before = src.get(s.id);
      const reborn = (before?.reborn ?? false) || s.respawn === true || (out.has(s.id) && before?.alive === false);
      if (s.respawn === true) srcViews.delete(s.id);
      src.set(s.id, { ...bodyOf(s), alive: true, reborn, teleported: before?.teleported ?? false });
      touched.add(s.id);
    }
    for (const u of record.updates) {
      const body = src.get(u.id);
      if (body === undefined || !entities.has(u.id)) continue;
      if (u.viewRadius !== undefined) body.viewRadius = u.viewRadius;
      if (u.leaveRadius !== undefined) body.leaveRadius = u.leaveRadius;
      if (u.watcher !== undefined) body.watcher = u.watcher;
      if (u.marker !== undefined) body.marker = u.marker;
      if (u.tags !== undefined) body.tags = u.tags;
      copyHeight(body, u);
      touched.add(u.id);
    }
    const { moves, events } = record;
    for (let m = 0; m < moves.count; m++) {
      const id = moves.ids[m]!;
      if (!entities.has(id)) continue;
      const body = src.get(id)!;
      body.x = moves.xs[m]!;
      body.y = moves.ys[m]!;
      if (moves.teleports[m] === 1) body.teleported = true;
      touched.add(id);
    }
    for (let e = 0; e < events.count; e++) {
      const kind = events.kinds[e]!;
      const w = events.watchers[e]!;
      const t = events.targets[e]!;
      if (kind > 1 || !entities.has(w) || !entities.has(t)) continue;
      setView(srcViews, w, t, kind === 0);
      const key = `${w}:${t}`;
      pairs.set(key, [w, t]);
      if (kind === 1) exited.add(key);
    }
    for (const id of record.despawns) {
      const body = src.get(id);
      if (body === undefined || !entities.has(id)) continue;
      body.alive = false;
      if (out.has(id)) body.reborn = true;
      srcViews.delete(id);
      touched.add(id);
    }
    if (kept[i] !== 1) continue;

    // Emit the group as one tick.
    const spawns: EntitySpawn[] = [];
    const updates: EntityUpdate[] = [];
    const despawns: number[] = [];
    const outMoves = emptyMoves(0);
    const known = new Set<number>();
    const respawned = new Set<number>();
    for (const id of touched) {
      const body = src.get(id)!;
      const before = out.get(id);
      if (before !== undefined) known.add(id);
      if (!body.alive) {
        if (before !== undefined) despawns.push(id);
        continue;
      }
      known.add(id);
      const now: Body = { ...bodyOf(body), x: x(body.x), y: y(body.y) };
      if (before === undefined || body.reborn) {
        spawns.push({ id, ...now, cause: -1, ...(before === undefined ? {} : { respawn: true }) });
        if (before !== undefined) respawned.add(id);
        out.set(id, now);
        continue;
      }
      const update = updateOf(id, before, now);
      if (update !== undefined) updates.push(update);
      if (now.x !== before.x || now.y !== before.y) pushMove(outMoves, id, now.x, now.y, body.teleported, -1);
      out.set(id, now);
    }
    for (const id of respawned) outViews.delete(id);
    const outEvents = emptyEvents(0);
    const isKnown = (id: number) => known.has(id) || out.has(id);
    if (groupTicks === 1) {
      for (let e = 0; e < events.count; e++) {
        const kind = events.kinds[e]!;
        const w = events.watchers[e]!;
        const t = events.targets[e]!;
        if (!entities.has(w) || !entities.has(t) || !isKnown(w) || !isKnown(t)) continue;
        pushEvent(outEvents, kind, w, t);
        if (kind <= 1) setView(outViews, w, t, kind === 0);
      }
    } else {
      for (const [w, t] of pairs.values()) {
        if (!isKnown(w) || !isKnown(t)) continue;
        // A respawn: the old entity's leave (if the source sent one) before the new one's enter.
        if ((respawned.has(w) || respawned.has(t)) && exited.has(`${w}:${t}`)) {
          pushEvent(outEvents, 1, w, t);
          setView(outViews, w, t, false);
        }
        const want = has(srcViews, w, t);
        if (want === has(outViews, w, t)) continue;
        pushEvent(outEvents, want ? 0 : 1, w, t);
        setView(outViews, w, t, want);
      }
      for (let e = 0; e < events.count; e++) {
        const w = events.watchers[e]!;
        const t = events.targets[e]!;
        if (events.kinds[e] === 2 && entities.has(w) && entities.has(t) && isKnown(w) && isKnown(t)) {
          pushEvent(outEvents, 2, w, t);
        }
      }
    }
    for (const id of despawns) {
      out.delete(id);
      outViews.delete(id);
    }
    records.push({
      tick: record.tick,
      time: record.time,
      ...(record.span === undefined ? {} : { span: record.span }),
      eventBase,
      messages: [],
      spawns,
      updates,
      moves: outMoves,
      despawns,
      events: outEvents,
    });
    eventBase += outEvents.count;
    for (const id of touched) {
      const body = src.get(id)!;
      body.reborn = false;
      body.teleported = false;
      if (!body.alive) src.delete(id);
    }
    touched = new Set();
    pairs = new Map();
    exited = new Set();
    groupTicks = 0;
  }
  return records;
}

function bodyOf(b: Body): Body {
  return {
    x: b.x,
    y: b.y,
    viewRadius: b.viewRadius,
    leaveRadius: b.leaveRadius,
    watcher: b.watcher,
    marker: b.marker,
    tags: b.tags,
    ...heightOf(b),
  };
}

function updateOf(id: number, before: Body, now: Body): EntityUpdate | undefined {
  const changes: { -readonly [K in keyof EntityUpdate]?: EntityUpdate[K] } = {};
  if (now.viewRadius !== before.viewRadius) changes.viewRadius = now.viewRadius;
  if (now.leaveRadius !== before.leaveRadius) changes.leaveRadius = now.leaveRadius;
  if (now.watcher !== before.watcher) changes.watcher = now.watcher;
  if (now.marker !== before.marker) changes.marker = now.marker;
  if (now.tags.join('\u0000') !== before.tags.join('\u0000')) changes.tags = now.tags;
  // Height (z is not translated or rounded: the transform is horizontal). A field once present stays present.
  if (now.z !== before.z) changes.z = now.z!;
  if (now.viewHeight !== before.viewHeight) changes.viewHeight = now.viewHeight!;
  if (now.leaveHeight !== before.leaveHeight) changes.leaveHeight = now.leaveHeight!;
  return Object.keys(changes).length === 0 ? undefined : { ...changes, id, cause: -1 };
}

/** Every entity id a trace spawns, in order of first appearance. */
export function entityIds(records: readonly TickRecord[]): number[] {
  const ids = new Set<number>();
  for (const record of records) for (const s of record.spawns) ids.add(s.id);
  return [...ids];
}
