import { copyEvents, copyMoves } from '../model/columns.js';
import type { TickRange, TickRecord, TraceInput } from '../model/types.js';
import { WorldState } from '../model/world-state.js';
import { checkIndex, invalidArgument } from './arguments.js';
import { isSeekable } from './replay.js';
import { entitiesDuringTick } from './tick-geometry.js';
import { type TraceEvent, targetFields, traceEventAt } from './trace-event.js';

/** An event located in its tick, with the world as it was before that tick. */
export interface LocatedEvent {
  readonly record: TickRecord;
  /** Index of the event in `record.events`. */
  readonly index: number;
  /** The world before `record` (a private copy). */
  readonly before: WorldState;
}

/** An input whose index can say which ticks hold an event id (the .aoitrace reader). */
interface EventIndexed {
  ticksOfEvent(eventId: number): TickRange | undefined;
}

const isEventIndexed = (input: TraceInput): input is TraceInput & EventIndexed =>
  typeof (input as Partial<EventIndexed>).ticksOfEvent === 'function';

/**
 * Finds the tick holding event `eventId`. A seekable input with an index of event counts (the .aoitrace reader)
 * reads only the chunk that holds it and seeks to the tick before; otherwise ticks are read from the start (a
 * seekable input only reads them, any other input is replayed on the way). Throws INVALID_ARGUMENT for an id past
 * the last event.
 */
export function locateEvent(input: TraceInput, eventId: number): LocatedEvent {
  checkIndex(eventId, 'eventId');
  const seekable = isSeekable(input) ? input : undefined;
  if (seekable !== undefined && isEventIndexed(input)) {
    const range = input.ticksOfEvent(eventId);
    if (range !== undefined) {
      for (const record of input.ticks(range)) {
        if (eventId < record.eventBase || eventId >= record.eventBase + record.events.count) continue;
        const kept = { ...record, moves: copyMoves(record.moves), events: copyEvents(record.events) };
        // The world after the tick before (empty before the first tick: no keyframe or tick precedes it).
        const before = record.tick === 0 ? new WorldState() : seekable.stateAt(record.tick - 1).clone();
        return { record: kept, index: eventId - record.eventBase, before };
      }
      // The index was wrong about this id (ids not counted from 0): fall back to reading from the start.
    }
  }
  const state = new WorldState();
  let previousTick: number | undefined;
  let total = 0;
  for (const record of input.ticks()) {
    if (eventId >= record.eventBase && eventId < record.eventBase + record.events.count) {
      if (seekable === undefined || previousTick === undefined)
        return { record, index: eventId - record.eventBase, before: state };
      // Only read so far: jump to the tick before instead. The copy keeps the record safe from the reader's reuse.
      const kept = { ...record, moves: copyMoves(record.moves), events: copyEvents(record.events) };
      return { record: kept, index: eventId - record.eventBase, before: seekable.stateAt(previousTick).clone() };
    }
    total = record.eventBase + record.events.count;
    previousTick = record.tick;
    if (seekable === undefined) state.apply(record);
  }
  const known = total === 0 ? 'the trace has no events' : `the trace has events 0..${total - 1}`;
  throw invalidArgument(`event ${eventId} does not exist: ${known}.`, 'eventId');
}

/** Event `eventId` with the seed's derived fields and its tick's span. */
export function findEvent(input: TraceInput, eventId: number): TraceEvent {
  const { record, index, before } = locateEvent(input, eventId);
  const target = record.events.targets[index]!;
  const geometry = entitiesDuringTick(before, record, new Set([target])).get(target);
  return traceEventAt(record, index, targetFields(geometry, input.header.regionSize));
}
