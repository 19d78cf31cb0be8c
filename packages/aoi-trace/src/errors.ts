/** Stable error codes; scripts and tests match on these, never on messages. */
export const TraceErrorCode = {
  /** Not an .aoitrace file (bad magic) or a version this reader does not know. */
  BadFormat: 'AOITRACE_BAD_FORMAT',
  /** A chunk's checksum or structure is wrong; `offset` says where. */
  Corrupt: 'AOITRACE_CORRUPT',
  /** The file ends inside a chunk (a crash or a copy in progress); everything before `offset` is readable. */
  Truncated: 'AOITRACE_TRUNCATED',
  /** A record breaks the model's rules (unknown entity, tick going backwards, bad number, ...). */
  InvalidRecord: 'AOITRACE_INVALID_RECORD',
  /** A bad argument: unknown tick, entity, option. */
  InvalidArgument: 'AOITRACE_INVALID_ARGUMENT',
  /**
   * A chunk declares or decodes to more than the format's limits allow (docs/aoitrace-format.md, "Limits"), or a
   * recording would need more; `offset` names the chunk when reading.
   */
  Limit: 'AOITRACE_LIMIT',
} as const;
export type TraceErrorCode = (typeof TraceErrorCode)[keyof typeof TraceErrorCode];

export interface TraceErrorDetails {
  /** Byte offset in the file, for format errors. */
  readonly offset?: number | undefined;
  /** Line number (1-based) in an NDJSON input. */
  readonly line?: number | undefined;
  /** JSON path of the bad field, e.g. `$.moves[3].x`. */
  readonly path?: string | undefined;
  readonly tick?: number | undefined;
  /** The entity at fault, when there is one. */
  readonly entity?: number;
}

/** The repository's error brand, with `code` and `fault`: README, "Errors". */
const ERROR_BRAND = Symbol.for('@lanes/error');

/** Who can fix a `TraceError`: `user` (the input or the arguments) or `system` (a bug, the machine). */
export type TraceErrorFault = 'user' | 'system';

/** The one error class of aoi-trace. */
export class TraceError extends Error {
  readonly code: TraceErrorCode;
  readonly details: TraceErrorDetails;
  /** Every code but a writer's failure to write is about the input or the arguments. */
  readonly fault: TraceErrorFault;

  constructor(code: TraceErrorCode, message: string, details: TraceErrorDetails = {}, fault: TraceErrorFault = 'user') {
    super(message);
    this.name = 'TraceError';
    this.code = code;
    this.details = details;
    this.fault = fault;
    Object.defineProperty(this, ERROR_BRAND, { value: true });
  }
}
