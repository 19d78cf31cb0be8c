import { setTimeout as sleep } from 'node:timers/promises';
import { emit } from '../io-host.js';
import type { LaneKey } from '../state/types.js';
import { laneKeyString } from '../state/types.js';
import type { OpsContext } from './context.js';
import { adminGet, readPlatformInfo } from './gateway-link.js';
import { type LaneTraffic, parseGatewayMetrics, quantileMs } from './gateway-metrics.js';
import type { LaneBusy } from './operation.js';
import { type PromoteResult, promoteLane } from './promote.js';
import { routeService } from './route.js';

export interface AnalysisOptions {
  /** Share of untagged traffic sent to the lane at each step, in percent. @default [10, 25, 50] */
  steps: number[];
  /** How long each step runs before it is judged. @default 30000 */
  stepMs: number;
  /** Largest allowed increase of the lane's 5xx rate over default's (absolute). @default 0.01 */
  maxErrorRateIncrease: number;
  /** Largest allowed ratio of the lane's p99 latency to default's. @default 1.5 */
  maxLatencyRatio: number;
  /** Requests a lane needs in a step before its numbers are trusted. @default 20 */
  minRequests: number;
}

export const DEFAULT_ANALYSIS: AnalysisOptions = {
  steps: [10, 25, 50],
  stepMs: 30_000,
  maxErrorRateIncrease: 0.01,
  maxLatencyRatio: 1.5,
  minRequests: 20,
};

/** What one step saw, lane against default, over the step's own requests. */
export interface StepReport {
  percent: number;
  lane: LaneNumbers;
  baseline: LaneNumbers;
  verdict: 'pass' | 'fail' | 'inconclusive';
  reason: string;
}

export interface LaneNumbers {
  requests: number;
  errorRate: number;
  p99Ms: number | undefined;
}

export type AnalysisResult =
  | { type: 'promoted'; lane: string; steps: StepReport[]; promote: PromoteResult }
  | { type: 'aborted'; lane: string; steps: StepReport[]; reason: string }
  | { type: 'refused'; lane: string; message: string }
  | LaneBusy;

function delta(after: LaneTraffic | undefined, before: LaneTraffic | undefined): LaneTraffic {
  const buckets = (after?.buckets ?? []).map((bucket) => ({
    le: bucket.le,
    count: bucket.count - (before?.buckets.find((b) => b.le === bucket.le)?.count ?? 0),
  }));
  return {
    requests: (after?.requests ?? 0) - (before?.requests ?? 0),
    errors5xx: (after?.errors5xx ?? 0) - (before?.errors5xx ?? 0),
    buckets,
  };
}

function numbers(traffic: LaneTraffic): LaneNumbers {
  return {
    requests: traffic.requests,
    errorRate: traffic.requests > 0 ? traffic.errors5xx / traffic.requests : 0,
    p99Ms: quantileMs(traffic, 0.99),
  };
}

/** Judges one step: the lane may not be worse than default by more than the thresholds. */
export function judgeStep(
  percent: number,
  lane: LaneNumbers,
  baseline: LaneNumbers,
  options: AnalysisOptions,
): StepReport {
  const report = (verdict: StepReport['verdict'], reason: string): StepReport => ({
    percent,
    lane,
    baseline,
    verdict,
    reason,
  });
  if (lane.requests < options.minRequests) {
    return report('inconclusive', `only ${lane.requests} requests reached the lane (need ${options.minRequests})`);
  }
  const pct = (rate: number) => `${Math.round(rate * 1000) / 10}%`;
  if (lane.errorRate > baseline.errorRate + options.maxErrorRateIncrease) {
    return report(
      'fail',
      `5xx rate ${pct(lane.errorRate)} vs default ${pct(baseline.errorRate)} (allowed +${pct(options.maxErrorRateIncrease)})`,
    );
  }
  if (
    lane.p99Ms !== undefined &&
    baseline.p99Ms !== undefined &&
    lane.p99Ms > baseline.p99Ms * options.maxLatencyRatio
  ) {
    return report('fail', `p99 ${lane.p99Ms} ms vs default ${baseline.p99Ms} ms (allowed ${options.maxLatencyRatio}x)`);
  }
  return report(
    'pass',
    `5xx ${pct(lane.errorRate)} vs ${pct(baseline.errorRate)}, p99 ${lane.p99Ms ?? '-'} ms vs ${baseline.p99Ms ?? '-'} ms`,
  );
}

/**
 * Automated canary analysis for a lane (as Argo Rollouts and Flagger do it): untagged traffic moves to the lane in
 * steps; at each step the lane's 5xx rate and p99 latency are compared with default's over that step's requests.
 * A failing step sends the traffic back (weight 0) and stops; all steps passing promotes the lane.
 */
export async function analyzeAndPromote(
  ctx: OpsContext,
  key: LaneKey,
  options: AnalysisOptions = DEFAULT_ANALYSIS,
): Promise<AnalysisResult> {
  const lane = laneKeyString(key);
  const platform = await readPlatformInfo(ctx.project);
  if (!platform)
    return {
      type: 'refused',
      lane,
      message: 'canary analysis reads the gateway metrics: start the platform first (lanes up)',
    };
  if (!ctx.store.getLane(key)?.currentRevision)
    return { type: 'refused', lane, message: `${lane} has no serving revision` };
  const read = async () => parseGatewayMetrics((await adminGet(platform, '/metrics')) ?? '');
  const steps: StepReport[] = [];
  for (const percent of options.steps) {
    const routed = await routeService(ctx, key.service, { default: 100 - percent, [key.lane]: percent });
    if (routed.type === 'busy') return routed;
    if (routed.type === 'refused') return { type: 'refused', lane, message: routed.message };
    const before = await read();
    await sleep(options.stepMs);
    const after = await read();
    const name = (l: string) => `${key.service}/${l}`;
    const step = judgeStep(
      percent,
      numbers(delta(after.get(name(key.lane)), before.get(name(key.lane)))),
      numbers(delta(after.get(name('default')), before.get(name('default')))),
      options,
    );
    steps.push(step);
    emit(ctx.io, 'ANALYSIS_STEP', `${lane} at ${percent}%: ${step.verdict}: ${step.reason}`, {
      level: step.verdict === 'fail' ? 'error' : 'info',
      lane,
      data: { ...step },
    });
    if (step.verdict === 'fail') {
      await routeService(ctx, key.service, { default: 100, [key.lane]: 0 });
      return {
        type: 'aborted',
        lane,
        steps,
        reason: `step ${percent}% failed: ${step.reason}; untagged traffic went back to default`,
      };
    }
  }
  await routeService(ctx, key.service, { default: 100, [key.lane]: 0 });
  if (steps.every((step) => step.verdict === 'inconclusive')) {
    return {
      type: 'aborted',
      lane,
      steps,
      reason: 'no step saw enough requests to judge the lane; nothing was promoted',
    };
  }
  return { type: 'promoted', lane, steps, promote: await promoteLane(ctx, key) };
}
