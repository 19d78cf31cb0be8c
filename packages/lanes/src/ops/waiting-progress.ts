import { emit } from '../io-host.js';
import type { OpsContext } from './context.js';

/** A replica polled every 25 ms must not report that often: once a second, or when the reason changes. */
const REPORT_EVERY_MS = 1000;

/**
 * The `onFailedCheck` of a replica's first health wait: `REPLICA_WAITING` events (debug level: the CLI renders them
 * as a progress line, not as log lines) with the elapsed time, the attempts and why the last check failed, so a
 * revision that never gets healthy is not `startTimeoutMs` of silence.
 */
export function waitingReporter(
  ctx: OpsContext,
  lane: string,
  replica: number,
  timeoutMs: number,
): (check: { attempt: number; afterMs: number; reason: string }) => void {
  let reportedAt: number | undefined;
  let reportedReason: string | undefined;
  return ({ attempt, afterMs, reason }) => {
    if (reportedAt !== undefined && reason === reportedReason && afterMs - reportedAt < REPORT_EVERY_MS) return;
    reportedAt = afterMs;
    reportedReason = reason;
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
    emit(
      ctx.io,
      'REPLICA_WAITING',
      `replica ${replica} of ${lane} not healthy yet after ${seconds(afterMs)} of ${seconds(timeoutMs)} (${attempt} checks; last: ${reason})`,
      { level: 'debug', lane, data: { replica, attempt, afterMs, timeoutMs, reason } },
    );
  };
}
