import type { TraceInput } from '../model/types.js';
import { checkIndex, describeScanned, invalidArgument, resolveRange } from './arguments.js';

export interface VisibilityFilter {
  watcher?: number;
  target?: number;
  /** Only intervals still open at or after this tick. @default the first tick */
  from?: number;
  /** Only intervals opened at or before this tick. @default the last tick */
  to?: number;
}

/** A time `watcher` had `target` in view. */
export interface VisibilityInterval {
  readonly watcher: number;
  readonly target: number;
  /** Tick of the enter. */
  readonly fromTick: number;
  /** Tick of the exit (or of a despawn that ended it without one); null: still in view at the end of the range. */
  toTick: number | null;
  readonly enterEventId: number;
  /** Absent when the interval is still open, or ended by a despawn the trace recorded no exit for. */
  exitEventId?: number;
  /**
   * Which end lies in ticks that could not be read (a damaged file): the enter (then `fromTick` is the tick the
   * reading resumed after and `enterEventId` is -1) or the exit (then `toTick` is that tick).
   */
  lost?: 'start' | 'end';
}

/**
 * Every interval in which a watcher saw a target, overlapping `filter.from..filter.to`, ordered by start. Intervals
 * that began before `from` keep their real start and enter id, so the trace is read from its start (only the open
 * intervals of the filtered pairs are held). Throws INVALID_ARGUMENT for a bad range or an entity that never appears.
 */
export function whoSawWhom(input: TraceInput, filter: VisibilityFilter = {}): VisibilityInterval[] {
  const watcher = filter.watcher === undefined ? undefined : checkIndex(filter.watcher, 'filter.watcher');
  const target = filter.target === undefined ? undefined : checkIndex(filter.target, 'filter.target');
  const { from, to } = resolveRange(input, filter, 'filter');
  const named = [watcher, target].filter((id): id is number => id !== undefined);
  const unseen = new Set(named);
  const alive = new Set<number>();
  const open = new OpenIntervals();
  const result: VisibilityInterval[] = [];
  let first: number | undefined;
  let last: number | undefined;
  for (const record of input.ticks({ to })) {
    const inRange = record.tick >= from;
    if (record.resync !== undefined) {
      const { state } = record.resync;
      for (const id of state.entities.keys()) if (unseen.has(id)) alive.add(id);
      for (const interval of open.all()) {
        if (state.views.get(interval.watcher)?.has(interval.target)) continue;
        open.remove(interval.watcher, interval.target);
        interval.toTick = state.tick;
        interval.lost = 'end';
        if (inRange) result.push(interval);
      }
      for (const [w, view] of state.views) {
        if (watcher !== undefined && w !== watcher) continue;
        for (const t of view) {
          if ((target !== undefined && t !== target) || open.get(w, t) !== undefined) continue;
          open.add({ watcher: w, target: t, fromTick: state.tick, toTick: null, enterEventId: -1, lost: 'start' });
        }
      }
    }
    for (const spawn of record.spawns) if (unseen.has(spawn.id)) alive.add(spawn.id);
    if (inRange) {
      first ??= record.tick;
      last = record.tick;
      for (const id of alive) unseen.delete(id);
    }
    const events = record.events;
    for (let i = 0; i < events.count; i++) {
      const kind = events.kinds[i];
      const w = events.watchers[i]!;
      const t = events.targets[i]!;
      if (inRange && unseen.size > 0) {
        unseen.delete(w);
        unseen.delete(t);
      }
      if ((watcher !== undefined && w !== watcher) || (target !== undefined && t !== target)) continue;
      if (kind === 0 && open.get(w, t) === undefined) {
        const enterEventId = record.eventBase + i;
        open.add({ watcher: w, target: t, fromTick: record.tick, toTick: null, enterEventId });
      } else if (kind === 1) {
        const interval = open.remove(w, t);
        if (interval === undefined) continue;
        interval.toTick = record.tick;
        interval.exitEventId = record.eventBase + i;
        if (inRange) result.push(interval);
      }
    }
    for (const id of record.despawns) {
      alive.delete(id);
      for (const interval of open.removeEntity(id)) {
        interval.toTick = record.tick;
        if (inRange) result.push(interval);
      }
    }
  }
  for (const id of unseen) {
    throw invalidArgument(`entity ${id} never appears in ${describeScanned(first, last)}.`, 'filter', from);
  }
  result.push(...open.all());
  return result.sort((a, b) => a.fromTick - b.fromTick || a.enterEventId - b.enterEventId);
}

/** Open intervals by watcher and by target, so a despawn closes both sides without a scan. */
class OpenIntervals {
  private readonly byWatcher = new Map<number, Map<number, VisibilityInterval>>();
  private readonly byTarget = new Map<number, Map<number, VisibilityInterval>>();

  get(watcher: number, target: number): VisibilityInterval | undefined {
    return this.byWatcher.get(watcher)?.get(target);
  }

  add(interval: VisibilityInterval): void {
    mapOf(this.byWatcher, interval.watcher).set(interval.target, interval);
    mapOf(this.byTarget, interval.target).set(interval.watcher, interval);
  }

  remove(watcher: number, target: number): VisibilityInterval | undefined {
    const interval = this.get(watcher, target);
    if (interval === undefined) return undefined;
    deleteFrom(this.byWatcher, watcher, target);
    deleteFrom(this.byTarget, target, watcher);
    return interval;
  }

  removeEntity(id: number): VisibilityInterval[] {
    const closed = [...(this.byWatcher.get(id)?.values() ?? []), ...(this.byTarget.get(id)?.values() ?? [])];
    for (const interval of closed) this.remove(interval.watcher, interval.target);
    return closed;
  }

  all(): VisibilityInterval[] {
    return [...this.byWatcher.values()].flatMap((targets) => [...targets.values()]);
  }
}

function mapOf(maps: Map<number, Map<number, VisibilityInterval>>, key: number): Map<number, VisibilityInterval> {
  let map = maps.get(key);
  if (map === undefined) {
    map = new Map();
    maps.set(key, map);
  }
  return map;
}

function deleteFrom(maps: Map<number, Map<number, VisibilityInterval>>, key: number, inner: number): void {
  const map = maps.get(key);
  if (map?.delete(inner) && map.size === 0) maps.delete(key);
}
