/**
 * Which W3C Trace Context recommendation the parsers follow. Level 2 (https://www.w3.org/TR/trace-context-2/) is
 * the default; Level 1 (https://www.w3.org/TR/trace-context-1/) only when a caller asks for it, for peers that still
 * reject Level 2 keys.
 */
export const TRACE_CONTEXT_LEVELS = [1, 2] as const;
export type TraceContextLevel = (typeof TRACE_CONTEXT_LEVELS)[number];
export const DEFAULT_TRACE_CONTEXT_LEVEL: TraceContextLevel = 2;

/** The option every parse and build function of this package takes to choose a level. */
export interface TraceContextLevelOption {
  /**
   * The Trace Context level whose rules apply: Level 2's key grammar (`@` anywhere after the first char, any
   * length up to 256), duplicated keys dropped (the left-most kept) and the random-trace-id flag; or Level 1's
   * `tenant@system` keys, a repeated key discarding the whole header, and no random flag.
   * @default 2
   */
  readonly traceContextLevel?: TraceContextLevel;
}
