import { eventKindAt, type WorldState } from '@lanes/aoi-trace';
import type {
  DiffResult,
  DiffSide,
  EntityDetail,
  EventRow,
  LifecycleMark,
  PathResult,
  SearchMatch,
  SearchResult,
  WatcherDiff,
} from '../protocol/api-types.js';
import type { ViewerDataSource } from './data-source.js';

/** The most ticks one detail or path query scans. */
export const MAX_QUERY_TICKS = 5000;
const MAX_EVENTS = 500;
const MAX_LIFECYCLE = 2000;

/** An entity at `tick` and what happened to it in `[from, to]`: lifecycle marks and events (bounded). */
export function entityDetail(
  source: ViewerDataSource,
  state: WorldState,
  id: number,
  from: number,
  to: number,
): EntityDetail {
  const entity = state.entities.get(id);
  let seenBy = 0;
  for (const view of state.views.values()) if (view.has(id)) seenBy++;
  const lifecycle: LifecycleMark[] = [];
  // Events around the asked tick, not from the window's start: the page lists them from the current tick.
  const events = new EventsAround(state.tick);
  if (entity !== undefined && entity.spawnTick >= from && entity.spawnTick <= to) {
    lifecycle.push({ tick: entity.spawnTick, kind: 'created' });
  }
  for (const record of source.ticks(from, to)) {
    if (record.spawns.some((s) => s.id === id) && record.tick !== entity?.spawnTick) {
      lifecycle.push({ tick: record.tick, kind: 'created' });
    }
    const ev = record.events;
    for (let i = 0; i < ev.count; i++) {
      const watcher = ev.watchers[i]!;
      const target = ev.targets[i]!;
      if (watcher !== id && target !== id) continue;
      const kind = eventKindAt(ev, i);
      events.add({ tick: record.tick, kind, watcher, target });
      if (kind !== 'move' && lifecycle.length < MAX_LIFECYCLE) {
        const role = watcher === id ? 'watcher' : 'target';
        const other = watcher === id ? target : watcher;
        lifecycle.push({ tick: record.tick, kind: kind === 'enter' ? 'moved-in' : 'moved-out', other, role });
      }
    }
    if (record.despawns.includes(id)) lifecycle.push({ tick: record.tick, kind: 'destroyed' });
  }
  return {
    id,
    tick: state.tick,
    entity: entity
      ? {
          x: entity.x,
          y: entity.y,
          viewRadius: entity.viewRadius,
          leaveRadius: entity.leaveRadius,
          watcher: entity.watcher,
          marker: entity.marker,
          tags: entity.tags,
          spawnTick: entity.spawnTick,
          // Height (docs/aoi.md, "Height"); JSON writes an unbounded half-height (Infinity) as null.
          ...(entity.z === undefined ? {} : { z: entity.z }),
          ...(entity.viewHeight === undefined ? {} : { viewHeight: entity.viewHeight }),
          ...(entity.leaveHeight === undefined ? {} : { leaveHeight: entity.leaveHeight }),
        }
      : null,
    view: state.viewOf(id),
    seenBy,
    from,
    to,
    lifecycle,
    ...events.result(),
  };
}

/** At most MAX_EVENTS events, the latest half before `tick` and the rest from it on (bounded while scanning). */
class EventsAround {
  private before: EventRow[] = [];
  private readonly after: EventRow[] = [];
  private dropped = false;

  constructor(private readonly tick: number) {}

  add(row: EventRow): void {
    if (row.tick < this.tick) {
      this.before.push(row);
      if (this.before.length >= 2 * MAX_EVENTS) {
        this.before = this.before.slice(-MAX_EVENTS);
        this.dropped = true;
      }
    } else if (this.after.length < MAX_EVENTS) this.after.push(row);
    else this.dropped = true;
  }

  result(): { events: EventRow[]; truncated: boolean } {
    const keepBefore = Math.min(this.before.length, Math.max(MAX_EVENTS / 2, MAX_EVENTS - this.after.length));
    const keepAfter = Math.min(this.after.length, MAX_EVENTS - keepBefore);
    const truncated = this.dropped || keepBefore < this.before.length || keepAfter < this.after.length;
    return {
      events: [...this.before.slice(this.before.length - keepBefore), ...this.after.slice(0, keepAfter)],
      truncated,
    };
  }
}

/**
 * Entities at `state` whose id is `query`, or that carry a tag containing `query` (case-insensitive). An id that is
 * not alive gets an explanation from `source` (when it left or is created, within MAX_QUERY_TICKS either side).
 */
export function search(state: WorldState, query: string, source?: ViewerDataSource, limit = 100): SearchResult {
  const q = query.trim();
  const matches: SearchMatch[] = [];
  let total = 0;
  const add = (id: number) => {
    total++;
    const entity = state.entities.get(id)!;
    if (matches.length < limit) matches.push({ id, x: entity.x, y: entity.y, tags: entity.tags });
  };
  const asId = /^#?\d+$/.test(q) ? Number(q.replace('#', '')) : undefined;
  let absent: string | undefined;
  if (asId !== undefined) {
    if (state.entities.has(asId)) add(asId);
    else if (source !== undefined) absent = whyAbsent(source, asId, state.tick);
  } else if (q !== '') {
    const needle = q.toLowerCase();
    const ids: number[] = [];
    for (const entity of state.entities.values()) {
      if (entity.tags.some((tag) => tag.toLowerCase().includes(needle))) ids.push(entity.id);
    }
    ids.sort((a, b) => a - b).forEach(add);
  }
  return { query: q, tick: state.tick, total, matches, ...(absent === undefined ? {} : { absent }) };
}

/** "#7 left at tick 40", "#7 is created at tick 45", or that it was not seen near `tick`. */
function whyAbsent(source: ViewerDataSource, id: number, tick: number): string {
  const bounds = source.bounds();
  const from = Math.max(bounds?.first ?? 0, tick - MAX_QUERY_TICKS);
  const to = Math.min(bounds?.last ?? tick, tick + MAX_QUERY_TICKS);
  let left: number | undefined;
  for (const record of source.ticks(from, tick)) if (record.despawns.includes(id)) left = record.tick;
  let created: number | undefined;
  for (const record of source.ticks(tick + 1, to)) {
    if (record.spawns.some((s) => s.id === id)) {
      created = record.tick;
      break;
    }
  }
  const parts = [
    ...(left === undefined ? [] : [`left at tick ${left}`]),
    ...(created === undefined ? [] : [`${left === undefined ? 'is created' : 'comes back'} at tick ${created}`]),
  ];
  if (parts.length > 0) return `#${id} is not alive at tick ${tick}: it ${parts.join(' and ')}.`;
  return `#${id} is not alive at tick ${tick} (not created or removed in ticks ${from}–${to}).`;
}

/** Positions of entity `id` over `[from, to]`: its place at `from`, then each move. */
export function entityPath(source: ViewerDataSource, start: WorldState, id: number, to: number): PathResult {
  const ticks: number[] = [];
  const xs: number[] = [];
  const ys: number[] = [];
  const entity = start.entities.get(id);
  if (entity !== undefined) {
    ticks.push(start.tick);
    xs.push(entity.x);
    ys.push(entity.y);
  }
  for (const record of source.ticks(start.tick + 1, to)) {
    const spawn = record.spawns.find((s) => s.id === id);
    if (spawn !== undefined) {
      ticks.push(record.tick);
      xs.push(spawn.x);
      ys.push(spawn.y);
    }
    const moves = record.moves;
    for (let i = 0; i < moves.count; i++) {
      if (moves.ids[i] !== id) continue;
      ticks.push(record.tick);
      xs.push(moves.xs[i]!);
      ys.push(moves.ys[i]!);
      break;
    }
    if (record.despawns.includes(id)) break;
  }
  return { id, ticks, xs, ys };
}

/** What each watcher sees in A and not in B, and the reverse. */
export function diffViews(
  a: WorldState,
  b: WorldState,
  sides: { a: DiffSide; b: DiffSide },
  entity?: number,
  limit = 200,
): DiffResult {
  const differing: WatcherDiff[] = [];
  let pairsOnlyA = 0;
  let pairsOnlyB = 0;
  const watchers = new Set([...a.views.keys(), ...b.views.keys()]);
  let entityDiff: WatcherDiff | undefined;
  for (const id of watchers) {
    const diff = diffOne(a, b, id);
    pairsOnlyA += diff.onlyA.length;
    pairsOnlyB += diff.onlyB.length;
    if (diff.onlyA.length + diff.onlyB.length > 0) differing.push(diff);
    if (id === entity) entityDiff = diff;
  }
  if (entity !== undefined) entityDiff ??= diffOne(a, b, entity);
  differing.sort((x, y) => y.onlyA.length + y.onlyB.length - (x.onlyA.length + x.onlyB.length) || x.id - y.id);
  return {
    a: sides.a,
    b: sides.b,
    watchers: differing.slice(0, limit),
    differingIds: differing.map((d) => d.id),
    watchersDiffering: differing.length,
    pairsOnlyA,
    pairsOnlyB,
    ...(entityDiff ? { entity: entityDiff } : {}),
  };
}

function diffOne(a: WorldState, b: WorldState, id: number): WatcherDiff {
  const viewA = a.views.get(id) ?? new Set<number>();
  const viewB = b.views.get(id) ?? new Set<number>();
  const onlyA = [...viewA].filter((t) => !viewB.has(t)).sort((x, y) => x - y);
  const onlyB = [...viewB].filter((t) => !viewA.has(t)).sort((x, y) => x - y);
  return { id, onlyA, onlyB };
}
