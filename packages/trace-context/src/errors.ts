/** Stable codes carried by {@link TraceContextError}; match on these, never on messages. */
export const TRACE_CONTEXT_ERROR_CODES = {
  /** A traceparent to build has a bad version, trace id, parent id or flags. */
  invalidTraceparent: 'TRACE_CONTEXT_INVALID_TRACEPARENT',
  /** A tracestate key breaks the W3C key grammar. */
  invalidTraceStateKey: 'TRACE_CONTEXT_INVALID_TRACESTATE_KEY',
  /** A tracestate value breaks the W3C value grammar. */
  invalidTraceStateValue: 'TRACE_CONTEXT_INVALID_TRACESTATE_VALUE',
  /** A tracestate would hold the same key twice. */
  duplicateTraceStateKey: 'TRACE_CONTEXT_DUPLICATE_TRACESTATE_KEY',
  /** A tracestate would hold more members than `TRACESTATE_MAX_MEMBERS` (32). */
  tooManyTraceStateMembers: 'TRACE_CONTEXT_TOO_MANY_TRACESTATE_MEMBERS',
  /** A baggage key is not an HTTP token. */
  invalidBaggageKey: 'TRACE_CONTEXT_INVALID_BAGGAGE_KEY',
  /** A baggage property key is not an HTTP token. */
  invalidBaggagePropertyKey: 'TRACE_CONTEXT_INVALID_BAGGAGE_PROPERTY_KEY',
  /** A lane name to inject is not a valid lane name. */
  invalidLane: 'TRACE_CONTEXT_INVALID_LANE',
  /** A size limit given to a serializer is not a non-negative integer. */
  invalidArgument: 'TRACE_CONTEXT_INVALID_ARGUMENT',
} as const;

export type TraceContextErrorCode = (typeof TRACE_CONTEXT_ERROR_CODES)[keyof typeof TRACE_CONTEXT_ERROR_CODES];

/** The repository's error brand, with `code` and `fault`: README, "Errors". */
const ERROR_BRAND = Symbol.for('@lanes/error');

/**
 * Thrown only when a caller builds or mutates a header with bad input. Parsing received headers never throws:
 * invalid input from the wire is an expected outcome and yields `undefined` or an empty value instead.
 */
export class TraceContextError extends Error {
  override readonly name = 'TraceContextError';
  /** Who caused it: always the caller's input here, kept for the repo-wide error shape. */
  readonly fault = 'user' as const;

  constructor(
    readonly code: TraceContextErrorCode,
    message: string,
  ) {
    super(message);
    Object.defineProperty(this, ERROR_BRAND, { value: true });
  }
}

/** Quotes a caller's string for an error message, cut short so a huge input cannot flood logs. */
export function quote(text: string): string {
  const shown = text.length > 64 ? `${text.slice(0, 64)}…` : text;
  return JSON.stringify(shown);
}
