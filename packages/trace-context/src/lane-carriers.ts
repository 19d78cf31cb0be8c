/** Where a lane can travel in a request. */
export type LaneCarrier = 'tracestate' | 'baggage';

/**
 * Every carrier, in the default precedence of `extractLane`: tracestate first because it is the seed's carrier
 * and what AWS ALB listener rules match on; baggage second as the W3C-standard place for application data.
 */
export const LANE_CARRIERS: readonly LaneCarrier[] = Object.freeze(['tracestate', 'baggage'] as const);

/** The tracestate member that carries a lane: `ctx=lane:<lane>`. */
export const LANE_TRACESTATE_KEY = 'ctx';
export const LANE_TRACESTATE_PREFIX = 'lane:';
/** The baggage member that carries a lane: `lane=<lane>`. */
export const LANE_BAGGAGE_KEY = 'lane';

/** The headers lanes travel in, shaped like Node's `IncomingMessage.headers` (repeats joined or as arrays). */
export interface LaneHeaders {
  readonly traceparent?: string | readonly string[] | undefined;
  readonly tracestate?: string | readonly string[] | undefined;
  readonly baggage?: string | readonly string[] | undefined;
}

/** A lane found in a request, and the carrier it came from. */
export interface LaneMatch {
  readonly lane: string;
  readonly carrier: LaneCarrier;
}
