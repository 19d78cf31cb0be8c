// Argument checks shared by the queries: every bad argument becomes a TraceError that names what and where.

import { TraceError, TraceErrorCode } from '../errors.js';
import type { TickRange, TraceInput } from '../model/types.js';

export function invalidArgument(message: string, path?: string, tick?: number): TraceError {
  return new TraceError(TraceErrorCode.InvalidArgument, message, {
    ...(path !== undefined ? { path } : {}),
    ...(tick !== undefined ? { tick } : {}),
  });
}

/** Throws unless `value` is an integer >= 0 (ticks, entity ids, event ids). */
export function checkIndex(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw invalidArgument(`${path} must be an integer >= 0, got ${String(value)}.`, path);
  }
  return value;
}

/** The first tick of the trace, or undefined when it has none. Reads one record. */
export function firstTickOf(input: TraceInput): number | undefined {
  for (const record of input.ticks()) return record.tick;
  return undefined;
}

/** The first tick >= `tick`, or undefined. Reads one record. */
function firstTickFrom(input: TraceInput, tick: number): number | undefined {
  for (const record of input.ticks({ from: tick })) return record.tick;
  return undefined;
}

/** The last tick; reads the whole trace, so only error paths call it. */
function lastTickOf(input: TraceInput): number | undefined {
  let last: number | undefined;
  for (const record of input.ticks()) last = record.tick;
  return last;
}

function outOfRange(input: TraceInput, what: string, path: string, tick: number): TraceError {
  const first = firstTickOf(input);
  if (first === undefined) return invalidArgument(`${what}: the trace has no ticks.`, path, tick);
  return invalidArgument(`${what} is outside the trace, which has ticks ${first}..${lastTickOf(input)}.`, path, tick);
}

/** Throws unless `tick` lies within the trace's first and last tick (a tick inside a gap is fine). */
export function requireTickInTrace(input: TraceInput, tick: unknown, path: string): number {
  checkIndex(tick, path);
  const value = tick as number;
  const first = firstTickOf(input);
  if (first === undefined || value < first || firstTickFrom(input, value) === undefined) {
    throw outOfRange(input, `${path} ${value}`, path, value);
  }
  return value;
}

/** A checked range: both ends set, `from <= to`, overlapping the trace. */
export interface ResolvedRange {
  readonly from: number;
  readonly to: number;
}

/** Fills in a range's open ends and throws when it is malformed or misses the trace entirely. */
export function resolveRange(input: TraceInput, range: TickRange = {}, path = 'range'): ResolvedRange {
  const from = range.from === undefined ? 0 : checkIndex(range.from, `${path}.from`);
  const to = range.to === undefined ? Number.MAX_SAFE_INTEGER : checkIndex(range.to, `${path}.to`);
  if (from > to) throw invalidArgument(`${path}.from (${from}) is after ${path}.to (${to}).`, path);
  const first = firstTickFrom(input, from);
  if (first === undefined || first > to) {
    const shown = range.to === undefined ? `${from}..` : `${from}..${to}`;
    throw outOfRange(input, `${path} ${shown}`, path, from);
  }
  return { from, to };
}

/** "ticks 3..40" for messages; "no ticks" when the scan saw none. */
export function describeScanned(first: number | undefined, last: number | undefined): string {
  return first === undefined ? 'no ticks' : `ticks ${first}..${last}`;
}
