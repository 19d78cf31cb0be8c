import { setTimeout as sleep } from 'node:timers/promises';
import { emit } from '../io-host.js';
import type { LaneKey } from '../state/types.js';
import { laneKeyString } from '../state/types.js';
import { runCanarySteps, waitUnlessAborted } from './canary-steps.js';
import type { OpsContext } from './context.js';
import { adminGet, readPlatformInfo } from './gateway-link.js';
import { type LaneTraffic, parseGatewayMetrics, quantileMs } from './gateway-metrics.js';
import { judgeMetrics, type MetricReport, type Verdict } from './metric-rules.js';
import type { LaneBusy } from './operation.js';
import { type PromoteResult, promoteLane } from './promote.js';
import { readLaneMetrics } from './replica-metrics.js';
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
  /** The service's application metrics (its `analysis` block), each with its own verdict; empty without one. */
  metrics: MetricReport[];
  verdict: Verdict;
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

/** A step's wait that `signal` cut short: the run handles that; anything else is a real error. */
function ignoreAbort(error: unknown): void {
  if ((error as Error)?.name !== 'AbortError') throw error;
}

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
    metrics: [],
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

/** Adds the application metrics to a step judged on the gateway's numbers: any failure fails the step. */
export function withMetrics(step: StepReport, metrics: MetricReport[]): StepReport {
  if (metrics.length === 0) return step;
  const reasonsOf = (verdict: Verdict) => [
    ...(step.verdict === verdict ? [step.reason] : []),
    ...metrics.filter((m) => m.verdict === verdict).map((m) => m.reason),
  ];
  for (const verdict of ['fail', 'inconclusive'] as const) {
    const reasons = reasonsOf(verdict);
    if (reasons.length > 0) return { ...step, metrics, verdict, reason: reasons.join('; ') };
  }
  return { ...step, metrics, reason: [step.reason, ...metrics.map((m) => m.reason)].join('; ') };
}

/**
 * Automated canary analysis for a lane (as Argo Rollouts and Flagger do it): untagged traffic moves to the lane in
 * steps; at each step the lane's 5xx rate and p99 latency are compared with default's over that step's requests.
 * With an `analysis` block, the service's own counters are read from every serving replica of both lanes around
 * each step and judged by its rules too. A failing step sends the traffic back (weight 0) and stops; steps that
 * pass or are inconclusive go on, and the lane is promoted unless no step could judge it. `signal` (Ctrl-C) stops
 * the analysis with the traffic sent back.
 */
export async function analyzeAndPromote(
  ctx: OpsContext,
  key: LaneKey,
  options: AnalysisOptions = DEFAULT_ANALYSIS,
  signal?: AbortSignal,
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
  const analysis = ctx.project.services[key.service]?.analysis;
  const readGateway = async () => parseGatewayMetrics((await adminGet(platform, '/metrics')) ?? '');
  const readApp = (l: string, path: string) => readLaneMetrics(ctx.store, { ...key, lane: l }, path);
  // The gateway and both lanes' replicas are read together so that all numbers cover the same moment.
  const read = async () => {
    const [gateway, app] = await Promise.all([
      readGateway(),
      analysis && Promise.all([readApp(key.lane, analysis.metricsPath), readApp('default', analysis.metricsPath)]),
    ]);
    return { gateway, app: app && { lane: app[0], baseline: app[1] } };
  };
  const run = await runCanarySteps(
    options.steps,
    {
      setWeight: async (percent) => {
        const routed = await routeService(ctx, key.service, { default: 100 - percent, [key.lane]: percent });
        return routed.type === 'routed' ? undefined : routed;
      },
      measure: async (percent, stop) => {
        const before = await read();
        if (
          await waitUnlessAborted(
            sleep(options.stepMs, undefined, stop ? { signal: stop } : {}).catch(ignoreAbort),
            stop,
          )
        ) {
          return undefined;
        }
        const after = await read();
        const name = (l: string) => `${key.service}/${l}`;
        const traffic = (l: string) => numbers(delta(after.gateway.get(name(l)), before.gateway.get(name(l))));
        const step = judgeStep(percent, traffic(key.lane), traffic('default'), options);
        if (!analysis || !before.app || !after.app) return step;
        return withMetrics(step, judgeMetrics(analysis.metrics, { before: before.app, after: after.app }, key.lane));
      },
      onStep: (step) =>
        emit(ctx.io, 'ANALYSIS_STEP', `${lane} at ${step.percent}%: ${step.verdict}: ${step.reason}`, {
          level: step.verdict === 'fail' ? 'error' : 'info',
          lane,
          data: { ...step },
        }),
    },
    signal,
  );
  if (run.type === 'stopped') {
    return run.stop.type === 'busy' ? run.stop : { type: 'refused', lane, message: run.stop.message };
  }
  if (run.type === 'aborted') return { type: 'aborted', lane, steps: run.steps, reason: run.reason };
  const steps = run.steps;
  return { type: 'promoted', lane, steps, promote: await promoteLane(ctx, key) };
}
