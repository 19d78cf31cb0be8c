/**
 * The one restart policy of the platform's processes: the lanes supervisor's crash-loop policy for replicas
 * (`crashLoop` in lanes.json, packages/lanes/src/ops/crash-loop-policy.ts) and the nginx engine's master both come
 * back this way: at once, then after a doubling wait, and not at all once `maxRestarts` restarts happened within
 * `windowMs`. It lives here, below @lanes/core, so both can call it.
 */
export interface RestartPolicy {
  maxRestarts: number;
  windowMs: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export const RESTART_DEFAULTS = {
  maxRestarts: 5,
  windowMs: 120_000,
  initialBackoffMs: 1_000,
  maxBackoffMs: 30_000,
} as const satisfies RestartPolicy;

/** `recent`: the earlier restarts still within the window at the death (oldest first), what the caller keeps. */
export type RestartVerdict =
  | { type: 'restart'; waitMs: number; recent: number[] }
  | { type: 'give-up'; recent: number[] };

/** The wait before the next restart once `count` restarts happened in the window: none, then doubling. */
export function restartBackoffMs(policy: RestartPolicy, count: number): number {
  if (count === 0) return 0;
  return Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** Math.min(count - 1, 30));
}

/** After a death at `now`, given when earlier restarts happened (oldest first): restart after `waitMs`, or give up. */
export function judgeRestart(policy: RestartPolicy, restarts: readonly number[], now: number): RestartVerdict {
  const recent = restarts.filter((at) => at > now - policy.windowMs);
  if (recent.length >= policy.maxRestarts) return { type: 'give-up', recent };
  const last = recent.at(-1);
  if (last === undefined) return { type: 'restart', waitMs: 0, recent };
  return { type: 'restart', waitMs: Math.max(0, last + restartBackoffMs(policy, recent.length) - now), recent };
}
