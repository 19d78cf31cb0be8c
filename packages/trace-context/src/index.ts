export { Baggage, type BaggageEntry, type BaggageProperty, isValidBaggageKey } from './baggage.js';
export { BAGGAGE_MAX_BYTES } from './baggage-grammar.js';
export {
  TRACE_CONTEXT_ERROR_CODES,
  TraceContextError,
  type TraceContextErrorCode,
} from './errors.js';
export { type ExtractLaneOptions, extractLane } from './extract-lane.js';
export { type HeaderInput, MAX_HEADER_INPUT_LENGTH } from './header-value.js';
export { injectLane, type LaneHeaderValues, withLane } from './inject-lane.js';
export {
  LANE_BAGGAGE_KEY,
  LANE_CARRIERS,
  LANE_TRACESTATE_KEY,
  LANE_TRACESTATE_PREFIX,
  type LaneCarrier,
  type LaneHeaders,
  type LaneMatch,
} from './lane-carriers.js';
export { isValidLaneName } from './lane-name.js';
export { isWellFormedPercentEncoding } from './percent-encoding.js';
export { newSpanId, newTraceId } from './random-id.js';
export { rawBaggageValue, removeLane, removeListMember } from './remove-lane.js';
export {
  DEFAULT_TRACE_CONTEXT_LEVEL,
  TRACE_CONTEXT_LEVELS,
  type TraceContextLevel,
  type TraceContextLevelOption,
} from './trace-context-level.js';
export {
  childTraceparent,
  formatTraceparent,
  isValidTraceparent,
  newTraceparent,
  parseTraceparent,
  TRACE_FLAGS,
  type TraceParent,
} from './traceparent.js';
export { TraceState, type TraceStateEntry } from './tracestate.js';
export {
  isValidTraceStateKey,
  isValidTraceStateValue,
  TRACESTATE_MAX_MEMBERS,
} from './tracestate-grammar.js';
export { TRACESTATE_LARGE_MEMBER, TRACESTATE_RECOMMENDED_MAX_LENGTH } from './tracestate-truncate.js';
