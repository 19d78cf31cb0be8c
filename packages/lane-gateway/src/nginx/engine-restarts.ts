/**
 * How the nginx engine restarts a master that exited unasked: the shape and defaults of the lanes supervisor's
 * crash-loop policy for replicas (`crashLoop` in lanes.json, packages/lanes/src/ops/crash-loop-policy.ts), so the
 * platform's processes all come back the same way: at once, then after a doubling wait, and not at all once
 * `maxRestarts` restarts happened within `windowMs`.
 */
export interface EngineRestartPolicy {
  maxRestarts: number;
  windowMs: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export const ENGINE_RESTART_DEFAULTS = {
  maxRestarts: 5,
  windowMs: 120_000,
  initialBackoffMs: 1_000,
  maxBackoffMs: 30_000,
} as const satisfies EngineRestartPolicy;

export type RestartVerdict = { type: 'restart'; waitMs: number } | { type: 'give-up'; restarts: number };

/** After a death at `now`, given when earlier restarts happened (oldest first): restart after `waitMs`, or give up. */
export function judgeEngineDeath(
  policy: EngineRestartPolicy,
  restarts: readonly number[],
  now: number,
): RestartVerdict {
  const recent = restarts.filter((at) => at > now - policy.windowMs);
  if (recent.length >= policy.maxRestarts) return { type: 'give-up', restarts: recent.length };
  const last = recent.at(-1);
  if (last === undefined) return { type: 'restart', waitMs: 0 };
  const backoff = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** Math.min(recent.length - 1, 30));
  return { type: 'restart', waitMs: Math.max(0, last + backoff - now) };
}
