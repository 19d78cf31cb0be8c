/** Who can fix an error: `user` (a bad argument) or `system` (a bug in the engine). */
export type AoiErrorFault = 'user' | 'system';

/** Stable error codes; scripts and tests match on these, never on messages. */
export const AoiErrorCode = {
  InvalidId: 'AOI_INVALID_ID',
  DuplicateId: 'AOI_DUPLICATE_ID',
  UnknownId: 'AOI_UNKNOWN_ID',
  InvalidPosition: 'AOI_INVALID_POSITION',
  InvalidRadius: 'AOI_INVALID_RADIUS',
  InvalidOption: 'AOI_INVALID_OPTION',
  ReentrantTick: 'AOI_REENTRANT_TICK',
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
