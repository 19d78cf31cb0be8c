// The messages between a background format 3.x TraceWriter (threaded-writer.ts, the caller's side) and its worker
// thread (writer-thread.ts), and the shared counters the caller waits on. Kept apart from the worker's script, which
// runs as soon as it is imported.

import type { TraceError } from '../errors.js';
import type { TickRecord, TraceHeader } from '../model/types.js';
import type { TraceWriterOptions } from './writer-options.js';

/** What the caller sends, in order. */
export type PredictRequest =
  | { readonly type: 'begin'; readonly header: TraceHeader; readonly options: TraceWriterOptions }
  | { readonly type: 'tick'; readonly record: TickRecord }
  | { readonly type: 'flush' }
  | { readonly type: 'close' }
  /** @internal Tests: the worker waits (at most HOLD_MS) until the caller has stalled on a full queue at least once. */
  | { readonly type: 'hold' };

/** An error that crossed the thread: a TraceError keeps its code, details and fault. */
export interface RemoteError {
  readonly message: string;
  readonly code?: TraceError['code'];
  readonly details?: TraceError['details'];
  readonly fault?: TraceError['fault'];
}

/** What the worker answers: bytes to write, and the end of each request that is not a tick. */
export type PredictReply =
  | { readonly type: 'write'; readonly bytes: Uint8Array; readonly position: number }
  | { readonly type: 'error'; readonly error: RemoteError }
  | { readonly type: 'done'; readonly request: 'begin' | 'flush' | 'close' | 'hold' };

/** The shared counters (Int32Array over a SharedArrayBuffer): the worker bumps them after posting. */
export const Status = {
  /** Tick requests the worker has finished (written or refused). */
  ticksDone: 0,
  /** Bumped after every reply and every tick: what a caller blocked in Atomics.wait waits on. */
  signal: 1,
  /** The inner writer's backlog (ticks and chunks not yet written), after the last request. */
  backlogTicks: 2,
  backlogChunks: 3,
  /** Times the caller blocked because the queue of ticks in flight was full (bumped before it waits). */
  stalls: 4,
} as const;
export const STATUS_WORDS = 5;
/** The longest a held worker waits for the caller to stall (only reached when back-pressure is missing). */
export const HOLD_MS = 10_000;
