import { EVENT_KIND_NAMES, type EventColumns, type TraceEventKindName } from './types.js';

/**
 * The name of event `index` of `events`. The decoders and `validateTick` admit only the three kinds, so the
 * fallback `'move'` names a column value no valid trace holds.
 */
export function eventKindAt(events: EventColumns, index: number): TraceEventKindName {
  return EVENT_KIND_NAMES[events.kinds[index] ?? -1] ?? 'move';
}
