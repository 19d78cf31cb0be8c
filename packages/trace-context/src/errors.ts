/** Stable codes carried by {@link TraceContextError}; match on these, never on messages. */
export const TRACE_CONTEXT_ERROR_CODES = {
  invalidTraceparent: 'INVALID_TRACEPARENT',
  invalidTraceStateKey: 'INVALID_TRACESTATE_KEY',
  invalidTraceStateValue: 'INVALID_TRACESTATE_VALUE',
  duplicateTraceStateKey: 'DUPLICATE_TRACESTATE_KEY',
  tooManyTraceStateMembers: 'TOO_MANY_TRACESTATE_MEMBERS',
  invalidBaggageKey: 'INVALID_BAGGAGE_KEY',
  invalidBaggagePropertyKey: 'INVALID_BAGGAGE_PROPERTY_KEY',
  invalidLane: 'INVALID_LANE',
  invalidArgument: 'INVALID_ARGUMENT',
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
