import { EVENT_KIND_NAMES, type EventColumns, TraceEventKind, type TraceEventKindName } from './types.js';

/**
 * The name of event `index` of `events`. The decoders and `validateTick` admit only the three kinds, so the
 * fallback `'move'` names a column value no valid trace holds.
 */
export function eventKindAt(events: EventColumns, index: number): TraceEventKindName {
  return EVENT_KIND_NAMES[events.kinds[index] ?? -1] ?? 'move';
}

export interface EventKindCounts {
  enters: number;
  exits: number;
  moves: number;
}

/** How many of `events` are enters, exits and moves (a kind no valid trace holds counts as none of them). */
export function countEventKinds(events: EventColumns): EventKindCounts {
  const counts = { enters: 0, exits: 0, moves: 0 };
  const { kinds, count } = events;
  for (let i = 0; i < count; i++) {
    const kind = kinds[i];
    if (kind === TraceEventKind.Enter) counts.enters++;
    else if (kind === TraceEventKind.Exit) counts.exits++;
    else if (kind === TraceEventKind.Move) counts.moves++;
  }
  return counts;
}
