import { copyEvents, copyMoves } from '../model/columns.js';
import type { TickRecord, TraceInput } from '../model/types.js';
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

/**
 * Finds the tick holding event `eventId`. Ticks are read from the start (ids are not indexed); a seekable input
 * only reads them, any other input is replayed on the way. Throws INVALID_ARGUMENT for an id past the last event.
 */
export function locateEvent(input: TraceInput, eventId: number): LocatedEvent {
  checkIndex(eventId, 'eventId');
  const seekable = isSeekable(input) ? input : undefined;
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
