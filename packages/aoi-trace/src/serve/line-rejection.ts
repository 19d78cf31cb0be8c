import type { TraceError } from '../errors.js';
import type { TickErrorDetails } from '../model/validate-tick.js';

/** Why a line was refused, as the endpoints report it. `status` is the HTTP status that fits. */
export interface LineRejection {
  readonly status: 400 | 409 | 413 | 422 | 500;
  /** Line number within the request body or WebSocket message (1-based). */
  readonly line: number;
  /** JSON path of the bad field; `$` for the whole line. */
  readonly path: string;
  /**
   * A TraceErrorCode, or one of the session codes: `NO_SESSION`, `SESSION_CONFLICT`, `SESSION_CLOSED`,
   * `SESSION_AMBIGUOUS`, `UNKNOWN_SESSION`, `SINK_FAILED`.
   */
  readonly code: string;
  readonly reason: string;
  readonly tick?: number;
  readonly entity?: number;
}

export function rejectionOf(error: TraceError, line: number, status: LineRejection['status']): LineRejection {
  const details = error.details as TickErrorDetails;
  return {
    status,
    line,
    path: details.path ?? '$',
    code: error.code,
    reason: error.message,
    ...(details.tick === undefined ? {} : { tick: details.tick }),
    ...(details.entity === undefined ? {} : { entity: details.entity }),
  };
}
