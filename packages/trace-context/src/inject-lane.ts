import { Baggage } from './baggage.js';
import { quote, TRACE_CONTEXT_ERROR_CODES, TraceContextError } from './errors.js';
import type { HeaderInput } from './header-value.js';
import {
  LANE_BAGGAGE_KEY,
  LANE_TRACESTATE_KEY,
  LANE_TRACESTATE_PREFIX,
  type LaneCarrier,
  type LaneHeaders,
} from './lane-carriers.js';
import { isValidLaneName } from './lane-name.js';
import type { TraceContextLevelOption } from './trace-context-level.js';
import { TraceState } from './tracestate.js';

function assertLane(lane: string): void {
  if (!isValidLaneName(lane)) {
    throw new TraceContextError(
      TRACE_CONTEXT_ERROR_CODES.invalidLane,
      `lane ${quote(lane)} is invalid: use 1-63 of a-z 0-9 and "-", not starting or ending with "-"`,
    );
  }
}

/**
 * The header value to forward so downstream calls stay in `lane`, built from the received value with the
 * carrier's proper mutation: tracestate `ctx` is set and moved to the front (a received tracestate the spec
 * says to discard is replaced); baggage `lane` is set and other members kept.
 * @throws TraceContextError `TRACE_CONTEXT_INVALID_LANE`.
 */
export function injectLane(
  carrier: LaneCarrier,
  existing: HeaderInput,
  lane: string,
  options?: TraceContextLevelOption,
): string {
  assertLane(lane);
  if (carrier === 'tracestate') {
    const ts = TraceState.parse(existing, options);
    return ts.set(LANE_TRACESTATE_KEY, `${LANE_TRACESTATE_PREFIX}${lane}`).serialize();
  }
  return Baggage.parse(existing).set(LANE_BAGGAGE_KEY, lane).serialize();
}

/** New values for the lane headers; write each present one over the forwarded request's header. */
export interface LaneHeaderValues {
  tracestate?: string;
  baggage?: string;
}

/**
 * The header values to write into a forwarded request so it stays in `lane`, one per carrier asked for.
 * @default carriers 'tracestate'
 * @throws TraceContextError `TRACE_CONTEXT_INVALID_LANE`.
 */
export function withLane(
  headers: LaneHeaders,
  lane: string,
  carriers: LaneCarrier | readonly LaneCarrier[] = 'tracestate',
  options?: TraceContextLevelOption,
): LaneHeaderValues {
  const out: LaneHeaderValues = {};
  for (const carrier of typeof carriers === 'string' ? [carriers] : carriers) {
    out[carrier] = injectLane(carrier, headers[carrier], lane, options);
  }
  return out;
}
