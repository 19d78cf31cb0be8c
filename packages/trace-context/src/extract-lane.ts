import { type BaggageCursor, member, nextBaggageMember } from './baggage-grammar.js';
import { combineFields, type HeaderInput } from './header-value.js';
import {
  LANE_BAGGAGE_KEY,
  LANE_CARRIERS,
  LANE_TRACESTATE_KEY,
  LANE_TRACESTATE_PREFIX,
  type LaneCarrier,
  type LaneHeaders,
  type LaneMatch,
} from './lane-carriers.js';
import { isLaneNameAt, isValidLaneName } from './lane-name.js';
import { percentDecode } from './percent-encoding.js';
import {
  DEFAULT_TRACE_CONTEXT_LEVEL,
  type TraceContextLevel,
  type TraceContextLevelOption,
} from './trace-context-level.js';
import { isValidTraceparent } from './traceparent.js';
import { scanned, scanTraceState } from './tracestate-grammar.js';

export interface ExtractLaneOptions extends TraceContextLevelOption {
  /**
   * Carriers to read, in precedence order: the first one that yields a valid lane wins.
   * @default ['tracestate', 'baggage']
   */
  readonly carriers?: readonly LaneCarrier[];
  /**
   * Honour the spec strictly: read the tracestate only when a valid traceparent came with it. Off by default
   * because seed users send `tracestate: ctx=lane:gray` alone (curl, ALB rules). Baggage is independent of
   * trace context and is never gated.
   * @default false
   */
  readonly requireTraceparent?: boolean;
}

const PREFIX_LENGTH = LANE_TRACESTATE_PREFIX.length;
const KEY_AND_EQUALS = `${LANE_TRACESTATE_KEY}=`;
const cursor: BaggageCursor = { position: 0, used: 0 };

/**
 * The lane in a tracestate, validating the whole header as `TraceState.parse` does (a header it would discard
 * yields nothing) but without building it: one scan, then a look at the `ctx` member in place.
 */
export function laneFromTraceState(
  value: HeaderInput,
  level: TraceContextLevel = DEFAULT_TRACE_CONTEXT_LEVEL,
): string | undefined {
  const s = combineFields(value);
  // Without this text there is no lane whatever the header's validity, so skip the scan.
  if (s === undefined || !s.includes(KEY_AND_EQUALS) || !scanTraceState(s, level)) return undefined;
  for (let j = 0; j < scanned.count; j++) {
    const keyStart = scanned.keyStart[j] ?? 0;
    const keyEnd = scanned.keyEnd[j] ?? 0;
    if (keyEnd - keyStart !== LANE_TRACESTATE_KEY.length || !s.startsWith(LANE_TRACESTATE_KEY, keyStart)) continue;
    const valueStart = keyEnd + 1;
    const valueEnd = scanned.valueEnd[j] ?? 0;
    if (!s.startsWith(LANE_TRACESTATE_PREFIX, valueStart)) return undefined;
    const laneStart = valueStart + PREFIX_LENGTH;
    return isLaneNameAt(s, laneStart, valueEnd) ? s.slice(laneStart, valueEnd) : undefined;
  }
  return undefined;
}

/**
 * The lane in baggage, read as `Baggage.parse` would (invalid members skipped, size limit applied). Repeated
 * `lane` members that disagree yield nothing: different services could otherwise route one request differently.
 */
export function laneFromBaggage(value: HeaderInput): string | undefined {
  const s = combineFields(value);
  if (s === undefined || !s.includes(LANE_BAGGAGE_KEY)) return undefined;
  cursor.position = 0;
  cursor.used = 0;
  let found: string | undefined;
  while (nextBaggageMember(s, cursor)) {
    if (member.keyEnd - member.keyStart !== LANE_BAGGAGE_KEY.length) continue;
    if (!s.startsWith(LANE_BAGGAGE_KEY, member.keyStart)) continue;
    const lane = percentDecode(s.slice(member.valueStart, member.valueEnd));
    if (found !== undefined && found !== lane) return undefined;
    found = lane;
  }
  return found !== undefined && isValidLaneName(found) ? found : undefined;
}

/**
 * Finds the lane a request belongs to. Carriers are tried in order (default tracestate, then baggage) and the
 * first valid lane wins. The tracestate is read by the Trace Context level asked for (Level 2 by default: a
 * repeated `ctx` key yields its left-most member). Matching is exact: `ctx=lane:gray2`, `ctx=lane:GRAY` or `xctx=lane:gray` are not `gray`.
 * A malformed, oversized or hostile header yields no lane from that carrier; this never throws.
 */
export function extractLane(headers: LaneHeaders, options?: ExtractLaneOptions): LaneMatch | undefined {
  const carriers = options?.carriers ?? LANE_CARRIERS;
  for (const carrier of carriers) {
    let lane: string | undefined;
    if (carrier === 'tracestate') {
      if (headers.tracestate === undefined) continue;
      if (options?.requireTraceparent === true && !isValidTraceparent(headers.traceparent)) continue;
      lane = laneFromTraceState(headers.tracestate, options?.traceContextLevel);
    } else if (carrier === 'baggage') {
      if (headers.baggage === undefined) continue;
      lane = laneFromBaggage(headers.baggage);
    }
    if (lane !== undefined) return { lane, carrier };
  }
  return undefined;
}
