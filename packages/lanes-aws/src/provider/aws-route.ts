import type { LaneKey, ProviderRouteResult } from '@lanes/core';
import type { AwsContext } from '../deploy/context.js';
import { setCanaryWeight } from './canary-weight.js';

/**
 * The lane and whole percent a route names on AWS, where each lane's canary rule forwards its share of untagged
 * traffic and default takes the rest: `gray=10` or `default=90 gray=10` (relative, as locally). One lane at a time:
 * two canary rules would both match every untagged request, and the first by priority would take it all.
 */
export function canaryTarget(
  service: string,
  weights: Record<string, number>,
): { lane: string; percent: number } | { problem: string } {
  const [only, ...more] = Object.entries(weights).filter(([lane]) => lane !== 'default');
  const example = `lanes route --provider aws ${service} default=90 gray=10`;
  if (only === undefined || more.length > 0) {
    const count = only === undefined ? 0 : more.length + 1;
    return { problem: `on aws a route names exactly one lane besides default (${example}); got ${count}` };
  }
  const [lane, weight] = only;
  const rest = weights.default;
  const total = rest === undefined ? 100 : rest + weight;
  if (weight < 0 || (rest ?? 0) < 0 || total <= 0 || (rest === undefined && weight > 100)) {
    return { problem: `weights must be >= 0 and, without default, at most 100 (a percent); got ${lane}=${weight}` };
  }
  const percent = (weight / total) * 100;
  if (!Number.isInteger(percent)) {
    return {
      problem: `on aws the lane's share is a whole percent (CanaryWeight); ${lane} would get ${percent.toFixed(2)}%`,
    };
  }
  return { lane, percent };
}

/** `lanes route --provider aws`: the lane stack's CanaryWeight, through a parameter-only change set. */
export async function routeOnAws(
  ctx: AwsContext,
  service: string,
  target: { lane: string; percent: number },
): Promise<ProviderRouteResult> {
  const key: LaneKey = { env: ctx.project.env, service, lane: target.lane };
  const set = await setCanaryWeight(ctx, key, target.percent);
  if (set.type !== 'set') return set;
  const shares = { default: (100 - target.percent) / 100, [target.lane]: target.percent / 100 };
  const how = set.changed ? `CanaryWeight ${set.previous} -> ${set.percent} on ${set.stack}` : 'already so';
  const message = `${service}: untagged traffic default ${100 - target.percent}%, ${target.lane} ${target.percent}% (${how})`;
  return { type: 'routed', service, shares, message };
}
