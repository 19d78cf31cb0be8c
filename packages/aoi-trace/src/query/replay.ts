// Getting to a tick: through the input's own seek when it has one (keyframes), by replaying from the start when not.

import type { SeekableTraceInput, TickRecord, TraceInput } from '../model/types.js';
import { WorldState } from '../model/world-state.js';
import { firstTickOf, requireTickInTrace } from './arguments.js';

export function isSeekable(input: TraceInput): input is SeekableTraceInput {
  return typeof (input as Partial<SeekableTraceInput>).stateAt === 'function';
}

/**
 * A walk over the ticks `from..to`. `state` is the world before the record being looked at: the caller inspects
 * each record, then calls `state.apply(record)` itself (so it can compare before and after).
 */
export interface Replay {
  readonly state: WorldState;
  readonly records: Iterable<TickRecord>;
}

/**
 * Starts a walk at `from`: `state` is already the world before `from`. A seekable input jumps there; any other input
 * is replayed up to it (each tick is still read once).
 */
export function openReplay(input: TraceInput, from: number, to: number): Replay {
  const first = firstTickOf(input);
  const records = () => input.ticks({ from, to });
  if (first === undefined || from <= first) return { state: new WorldState(), records: records() };
  // A copy: the reader may share the state it returns with its own cache.
  if (isSeekable(input)) return { state: input.stateAt(from - 1).clone(), records: records() };
  const state = new WorldState();
  for (const record of input.ticks({ to: from - 1 })) state.apply(record);
  return { state, records: records() };
}

/**
 * The world after `tick` (after the last tick <= `tick` when the trace has a gap there). Throws INVALID_ARGUMENT
 * when `tick` is outside the trace.
 */
export function stateAt(input: TraceInput, tick: number): WorldState {
  requireTickInTrace(input, tick, 'tick');
  if (isSeekable(input)) return input.stateAt(tick).clone();
  const state = new WorldState();
  for (const record of input.ticks({ to: tick })) state.apply(record);
  return state;
}
