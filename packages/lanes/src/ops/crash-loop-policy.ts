import { judgeRestart, restartBackoffMs } from '@lanes/gateway';
import type { CrashLoopSpec } from '../model.js';

/**
 * What the supervisor remembers of one lane's restarts. Bound to the revision it is about: a deploy or a rollback
 * starts the count afresh.
 */
export interface CrashLoopRecord {
  revision: number;
  /** When the supervisor restarted replicas of this revision, oldest first, within the policy's window. */
  restarts: number[];
  state: 'restarting' | 'unhealthy' | 'rolled-back';
  /** A replica died (or its replacement failed to start) and is not replaced yet: the next start counts. */
  pending?: boolean;
  /** After a crash loop: when it was declared. */
  loopedAt?: number;
  /** After an automatic rollback: the revision that serves again. */
  rolledBackTo?: number;
  /** Why an automatic rollback did not happen (no earlier revision, lane busy, the rollback failed). */
  rollbackProblem?: string;
}

export type RestartDecision =
  /** Starting replicas no death asks for (the platform starts, desired replicas grew): not a restart. */
  | { type: 'fill'; record: CrashLoopRecord | undefined }
  | { type: 'restart'; record: CrashLoopRecord }
  | { type: 'back-off'; record: CrashLoopRecord; waitMs: number }
  | { type: 'loop'; record: CrashLoopRecord }
  | { type: 'held'; record: CrashLoopRecord };

/**
 * Judges a lane that lacks replicas because some died (`died`, or a death not yet made good): restart now, wait
 * (exponential back-off), or declare a crash loop once
 * `maxRestarts` restarts happened within the window. A lane already declared unhealthy stays as it is (`held`)
 * until a deploy or rollback moves it to another revision. Returns the record to store.
 */
export function decideRestart(
  spec: CrashLoopSpec,
  previous: CrashLoopRecord | undefined,
  revision: number,
  now: number,
  died: boolean,
): RestartDecision {
  const current = previous?.revision === revision && previous.state !== 'rolled-back' ? previous : undefined;
  if (current?.state === 'unhealthy') return { type: 'held', record: current };
  if (!died && current?.pending !== true) return { type: 'fill', record: current };
  // The window, the limit and the back-off are the platform's one restart policy (the nginx engine's too).
  const verdict = judgeRestart(spec, current?.restarts ?? [], now);
  const restarts = verdict.recent;
  if (verdict.type === 'give-up') {
    return { type: 'loop', record: { revision, restarts, state: 'unhealthy', loopedAt: now } };
  }
  const { waitMs } = verdict;
  if (waitMs > 0)
    return { type: 'back-off', record: { revision, restarts, state: 'restarting', pending: true }, waitMs };
  return { type: 'restart', record: { revision, restarts: [...restarts, now], state: 'restarting', pending: true } };
}

/** `2m`, `30s`, `1.5s`, `250ms`: short enough for a status line. */
export function shortDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000) return `${Math.round(ms / 100) / 10}s`;
  return `${Math.max(0, Math.round(ms))}ms`;
}

/**
 * The line `lanes status` shows for a lane's record, or undefined when there is nothing to say (no restart in the
 * window, or a record about another revision than the lane's current one).
 */
export function describeCrashLoop(
  spec: CrashLoopSpec,
  record: CrashLoopRecord | undefined,
  currentRevision: number | undefined,
  now: number,
): string | undefined {
  if (!record || currentRevision === undefined) return undefined;
  if (record.state === 'rolled-back') {
    return record.rolledBackTo === currentRevision
      ? `rolled back to revision ${record.rolledBackTo} after a crash loop of revision ${record.revision}`
      : undefined;
  }
  if (record.revision !== currentRevision) return undefined;
  const window = shortDuration(spec.windowMs);
  if (record.state === 'unhealthy') {
    const why = record.rollbackProblem ? `; not rolled back: ${record.rollbackProblem}` : '';
    return `unhealthy: crash loop (${record.restarts.length} restarts in ${window}), out of rotation, alarm CRASH_LOOP${why}; deploy or rollback to recover`;
  }
  const restarts = record.restarts.filter((at) => at > now - spec.windowMs);
  if (restarts.length === 0) return undefined;
  const wait = restarts.at(-1)! + restartBackoffMs(spec, restarts.length) - now;
  const next = wait > 0 ? `, backing off ${shortDuration(wait)}` : '';
  return `crash-loop: ${restarts.length} of ${spec.maxRestarts} restarts in ${window}${next}`;
}
