/** Who can fix an error: `user` (a bad argument) or `system` (a bug in the engine). */
export type AoiErrorFault = 'user' | 'system';

/** Stable error codes; scripts and tests match on these, never on messages. */
export const AoiErrorCode = {
  /** An entity id is not an integer from 0 to `MAX_ID`. */
  InvalidId: 'AOI_INVALID_ID',
  /** `add` of an id that already exists. */
  DuplicateId: 'AOI_DUPLICATE_ID',
  /** A call names an id that does not exist. */
  UnknownId: 'AOI_UNKNOWN_ID',
  /** A coordinate (x, y or z) is not finite or beyond `MAX_COORDINATE`. */
  InvalidPosition: 'AOI_INVALID_POSITION',
  /**
   * A view or leave radius, or a view or leave height, is out of range (the leave value below the view value, beyond
   * `MAX_RADIUS`; heights may also be Infinity).
   */
  InvalidRadius: 'AOI_INVALID_RADIUS',
  /** A world option or an entity mask is out of range, or an unknown algorithm. */
  InvalidOption: 'AOI_INVALID_OPTION',
  /** `tick` was called from a listener or observer during delivery. */
  ReentrantTick: 'AOI_REENTRANT_TICK',
  /** More entities than the engine supports at once. */
  CapacityExceeded: 'AOI_CAPACITY_EXCEEDED',
  /** The world was closed (`close()`): its worker threads are gone. */
  Closed: 'AOI_CLOSED',
  /** A worker thread of the parallel grid failed or stopped (fault `system`). */
  WorkerFailed: 'AOI_WORKER_FAILED',
} as const;
export type AoiErrorCode = (typeof AoiErrorCode)[keyof typeof AoiErrorCode];

/** The repository's error brand, with `code` and `fault`: README, "Errors". */
const ERROR_BRAND = Symbol.for('@lanes/error');

/** The one error class of the engine. A rejected call leaves the world exactly as it was. */
export class AoiError extends Error {
  readonly code: AoiErrorCode;
  readonly fault: AoiErrorFault;
  /** The entity id the call was about, when there is one. */
  readonly entityId: number | undefined;

  constructor(code: AoiErrorCode, message: string, entityId?: number, fault: AoiErrorFault = 'user') {
    super(message);
    this.name = 'AoiError';
    this.code = code;
    this.fault = fault;
    this.entityId = entityId;
    Object.defineProperty(this, ERROR_BRAND, { value: true });
  }
}
