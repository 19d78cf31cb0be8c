import { regionOf } from '../model/region.js';
import type { TickRange, TraceInput } from '../model/types.js';
import { checkIndex, describeScanned, invalidArgument, resolveRange } from './arguments.js';
import { openReplay } from './replay.js';
import { entitiesDuringTick } from './tick-geometry.js';
import type { Region } from './trace-event.js';

/** What an entity's lifecycle item is (the seed's chapter 2.3 states). */
export type LifecycleState = 'created' | 'moved-in' | 'moved-out' | 'destroyed';

/** `sees`: the entity is the watcher and `other` entered/left its view; `seen-by`: it entered/left `other`'s view. */
export type ViewDirection = 'sees' | 'seen-by';

interface LifecycleBase {
  readonly tick: number;
  readonly time: number;
  /** The entity's own region after the tick's moves (the seed's `aoi_zone`). */
  readonly region: Region;
}

export interface LifecycleSpawnItem extends LifecycleBase {
  readonly state: 'created' | 'destroyed';
}

export interface LifecycleViewItem extends LifecycleBase {
  readonly state: 'moved-in' | 'moved-out';
  readonly direction: ViewDirection;
  readonly other: number;
  readonly eventId: number;
}

export type LifecycleItem = LifecycleSpawnItem | LifecycleViewItem;

/**
 * The timeline of `entity` in `range` (default: the whole trace): its spawn, every enter and exit in both
 * directions, its despawn; within a tick in that order, events in the engine's order. A respawn is a despawn and a
 * spawn at the start of its tick, before the old entity's exits and the new one's enters. Move events are not items.
 * Throws INVALID_ARGUMENT when the entity never appears in the range.
 */
export function lifecycle(input: TraceInput, entity: number, range: TickRange = {}): LifecycleItem[] {
  checkIndex(entity, 'entity');
  const { from, to } = resolveRange(input, range);
  const { state, records } = openReplay(input, from, to);
  const size = input.header.regionSize;
  const self = new Set([entity]);
  const items: LifecycleItem[] = [];
  let appears = state.entities.has(entity);
  let first: number | undefined;
  let last: number | undefined;
  for (const record of records) {
    first ??= record.tick;
    last = record.tick;
    state.resync(record);
    const geometry = entitiesDuringTick(state, record, self).get(entity);
    if (geometry !== undefined) {
      appears = true;
      const base = { tick: record.tick, time: record.time, region: regionOf(geometry.after.x, geometry.after.y, size) };
      if (geometry.before === null) {
        // A respawn (remove then add in one tick) ends the old entity and creates a new one under the id.
        if (record.spawns.some((s) => s.id === entity && s.respawn === true))
          items.push({ state: 'destroyed', ...base });
        items.push({ state: 'created', ...base });
      }
      const events = record.events;
      for (let i = 0; i < events.count; i++) {
        const kind = events.kinds[i];
        if (kind !== 0 && kind !== 1) continue;
        const phase = kind === 0 ? 'moved-in' : 'moved-out';
        const eventId = record.eventBase + i;
        if (events.watchers[i] === entity) {
          items.push({ state: phase, direction: 'sees', other: events.targets[i]!, eventId, ...base });
        }
        if (events.targets[i] === entity) {
          items.push({ state: phase, direction: 'seen-by', other: events.watchers[i]!, eventId, ...base });
        }
      }
      if (record.despawns.includes(entity)) items.push({ state: 'destroyed', ...base });
    }
    state.apply(record);
  }
  if (!appears) {
    throw invalidArgument(`entity ${entity} never appears in ${describeScanned(first, last)}.`, 'entity', from);
  }
  return items;
}
