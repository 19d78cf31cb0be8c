// The seed's event model (chapter 2.1), derived from a recorded tick: what exporters and queries hand out.

import { eventKindAt } from '../model/event-kind-name.js';
import { regionOf, spatialHash } from '../model/region.js';
import type { SpanContext, TickRecord, TraceEventKindName } from '../model/types.js';
import type { EntityAfterTick } from './tick-geometry.js';

/** A square region `[x, y, w, h]`. */
export type Region = readonly [number, number, number, number];

/** One visibility event with the seed's derived fields. */
export interface TraceEvent {
  /** `eventBase + index`: counts events from the trace start. */
  readonly id: number;
  readonly kind: TraceEventKindName;
  readonly watcher: number;
  readonly target: number;
  readonly tick: number;
  /** Wall-clock time of the tick, ms since the Unix epoch. */
  readonly time: number;
  /** The span of the tick the event belongs to; null when the trace has none. */
  readonly tickSpan: SpanContext | null;
  /** The target's region before the tick (the seed's `oldRegion`); null when it was spawned in this tick. */
  readonly oldRegion: Region | null;
  /** The target's region after the tick's moves (`newRegion`); null when the trace does not know the target. */
  readonly newRegion: Region | null;
  /** Z-order hash of the target's new cell; null when the target is unknown. */
  readonly spatialHash: string | null;
  /** The target's tags. */
  readonly tags: readonly string[];
}

/** The fields of an event that depend on its target only: computed once per target and tick. */
export interface TargetFields {
  readonly oldRegion: Region | null;
  readonly newRegion: Region | null;
  readonly spatialHash: string | null;
  readonly tags: readonly string[];
}

const UNKNOWN_TARGET: TargetFields = { oldRegion: null, newRegion: null, spatialHash: null, tags: [] };

/** `target` is the target's geometry during the tick, if the trace knows it. */
export function targetFields(target: EntityAfterTick | undefined, regionSize: number): TargetFields {
  if (target === undefined) return UNKNOWN_TARGET;
  const { before, after } = target;
  return {
    oldRegion: before === null ? null : regionOf(before.x, before.y, regionSize),
    newRegion: regionOf(after.x, after.y, regionSize),
    spatialHash: spatialHash(after.x, after.y, regionSize),
    tags: target.tags,
  };
}

/** Builds event `index` of `record`. */
export function traceEventAt(record: TickRecord, index: number, fields: TargetFields): TraceEvent {
  const events = record.events;
  return {
    id: record.eventBase + index,
    kind: eventKindAt(events, index),
    watcher: events.watchers[index]!,
    target: events.targets[index]!,
    tick: record.tick,
    time: record.time,
    tickSpan: record.span ?? null,
    ...fields,
  };
}
