import type { TickRange, TraceEventKindName, TraceInput } from '../model/types.js';
import type { WorldState } from '../model/world-state.js';
import { checkIndex, describeScanned, invalidArgument, resolveRange } from './arguments.js';
import { openReplay } from './replay.js';
import { entitiesDuringTick } from './tick-geometry.js';
import { type TargetFields, type TraceEvent, targetFields, traceEventAt } from './trace-event.js';

export interface EventFilter extends TickRange {
  /** Only events this entity watches. */
  watcher?: number;
  /** Only events about this target. */
  target?: number;
  /** Only events where this entity is the watcher or the target. */
  entity?: number;
  /** @default every kind */
  kinds?: readonly TraceEventKindName[];
}

const KIND_NAMES: readonly TraceEventKindName[] = ['enter', 'exit', 'move'];

/**
 * The events matching `filter`, in trace order, streamed one tick at a time (exporters iterate this). Arguments are
 * checked on the call; an entity the scanned ticks never mention is reported (INVALID_ARGUMENT) at the end of the
 * iteration, since only then is it known.
 */
export function eventsOf(input: TraceInput, filter: EventFilter = {}): Iterable<TraceEvent> {
  const watcher = filter.watcher === undefined ? undefined : checkIndex(filter.watcher, 'filter.watcher');
  const target = filter.target === undefined ? undefined : checkIndex(filter.target, 'filter.target');
  const entity = filter.entity === undefined ? undefined : checkIndex(filter.entity, 'filter.entity');
  const kinds = new Set<number>();
  for (const name of filter.kinds ?? KIND_NAMES) {
    const kind = KIND_NAMES.indexOf(name);
    if (kind < 0)
      throw invalidArgument(`filter.kinds: unknown kind '${name}' (use enter, exit or move).`, 'filter.kinds');
    kinds.add(kind);
  }
  const range = resolveRange(input, filter, 'filter');
  const named = [watcher, target, entity].filter((id): id is number => id !== undefined);
  return streamEvents(
    input,
    range.from,
    range.to,
    (kind, w, t) => {
      if (!kinds.has(kind)) return false;
      if (watcher !== undefined && w !== watcher) return false;
      if (target !== undefined && t !== target) return false;
      return entity === undefined || w === entity || t === entity;
    },
    named,
  );
}

function* streamEvents(
  input: TraceInput,
  from: number,
  to: number,
  matches: (kind: number, watcher: number, target: number) => boolean,
  named: readonly number[],
): Generator<TraceEvent> {
  const { state, records } = openReplay(input, from, to);
  const regionSize = input.header.regionSize;
  const unseen = new Set(named);
  let first: number | undefined;
  let last: number | undefined;
  markSeen(unseen, state);
  for (const record of records) {
    first ??= record.tick;
    last = record.tick;
    const events = record.events;
    const hits: number[] = [];
    for (let i = 0; i < events.count; i++) {
      const w = events.watchers[i]!;
      const t = events.targets[i]!;
      if (unseen.size > 0) {
        unseen.delete(w);
        unseen.delete(t);
      }
      if (matches(events.kinds[i]!, w, t)) hits.push(i);
    }
    if (hits.length > 0) {
      state.resync(record);
      const targets = entitiesDuringTick(state, record, new Set(hits.map((i) => events.targets[i]!)));
      const fields = new Map<number, TargetFields>();
      for (const i of hits) {
        const target = events.targets[i]!;
        let known = fields.get(target);
        if (known === undefined) {
          known = targetFields(targets.get(target), regionSize);
          fields.set(target, known);
        }
        yield traceEventAt(record, i, known);
      }
    }
    state.apply(record);
    if (unseen.size > 0) markSeen(unseen, state, record.despawns);
  }
  for (const id of unseen) {
    throw invalidArgument(`entity ${id} never appears in ${describeScanned(first, last)}.`, 'filter', from);
  }
}

/** Removes from `unseen` the ids alive in `state` (or despawned just now, which were alive during the tick). */
export function markSeen(unseen: Set<number>, state: WorldState, despawned: readonly number[] = []): void {
  for (const id of unseen) if (state.entities.has(id) || despawned.includes(id)) unseen.delete(id);
}
