import { DescribeStackResourceCommand } from '@aws-sdk/client-cloudformation';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  type AnalysisOptions,
  DEFAULT_ANALYSIS,
  judgeStep,
  type LaneKey,
  laneKeyString,
  type ProviderPromoteResult,
  runCanarySteps,
} from '@lanes/core';
import type { Clock } from '../deploy/clock.js';
import { type AwsContext, laneStackName } from '../deploy/context.js';
import { notify } from '../deploy/deploy-events.js';
import { describeStack, isBusy, statusOf } from '../deploy/stack-reader.js';
import { bootStackName } from '../synth/exports.js';
import {
  ALB_METRIC_PERIOD_S,
  readStepNumbers,
  type TargetGroupDimensions,
  targetGroupFullName,
} from './alb-metrics.js';
import { setCanaryWeight } from './canary-weight.js';

export interface AwsAnalysisDeps {
  ctx: AwsContext;
  cloudwatch: CloudWatchClient;
  /** The promote that follows a passed analysis. */
  promote(key: LaneKey): Promise<ProviderPromoteResult>;
  /**
   * How long after a step ends its metrics are read: ALB sends them in 60-second intervals and CloudWatch needs a
   * moment more to answer with them; at least one period (see `metricWindow`). @default 60000
   */
  settleMs: number;
}

/** The logical id of a lane's target group in the app-lane template (its physical id is the ARN). */
export const LANE_TARGET_GROUP = 'TargetGroup';

/** The boot stack's outputs that name the load balancer and the default lane's target group for CloudWatch. */
export const BOOT_METRIC_OUTPUTS = ['LoadBalancerFullName', 'DefaultTargetGroupFullName'] as const;

/** A lane whose last deploy completed: otherwise it may not run what would be promoted (as promote checks). */
const ANALYZABLE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE']);

/** The shortest step CloudWatch can judge: ALB's metric period. */
export const MIN_AWS_STEP_MS = ALB_METRIC_PERIOD_S * 1000;

/** The analysis on AWS: the local defaults, with two whole metric periods per step (the local 30 s is too short). */
export const AWS_ANALYSIS_DEFAULTS: AnalysisOptions = { ...DEFAULT_ANALYSIS, stepMs: 2 * MIN_AWS_STEP_MS };

/** Sleeps in slices so that an abort (Ctrl-C) is seen within a second; true when it was aborted. */
async function sleepUnlessAborted(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  const until = clock.now() + ms;
  while (!signal?.aborted && clock.now() < until) await clock.sleep(Math.min(ABORT_CHECK_MS, until - clock.now()));
  return signal?.aborted === true;
}

const ABORT_CHECK_MS = 1000;

/** The lane's and default's metric dimensions: from the boot stack's outputs and the lane stack's target group. */
async function dimensionsOf(
  ctx: AwsContext,
  key: LaneKey,
): Promise<{ lane: TargetGroupDimensions; baseline: TargetGroupDimensions } | { missing: string }> {
  const boot = bootStackName(key.service, key.env);
  const stack = await describeStack(ctx, boot);
  const output = (name: string) => stack?.Outputs?.find((o) => o.OutputKey === name)?.OutputValue;
  const [loadBalancer, defaultTargetGroup] = BOOT_METRIC_OUTPUTS.map(output);
  if (!loadBalancer || !defaultTargetGroup) {
    return { missing: `the boot stack ${boot} (outputs LoadBalancerFullName, DefaultTargetGroupFullName)` };
  }
  const laneStack = laneStackName(ctx, key);
  const resource = await ctx.cloudformation
    .send(new DescribeStackResourceCommand({ StackName: laneStack, LogicalResourceId: LANE_TARGET_GROUP }))
    // CloudFormation answers a missing stack or resource with a ValidationError; anything else is a real error.
    .catch((error: unknown) => {
      if ((error as Error)?.name === 'ValidationError') return undefined;
      throw error;
    });
  const arn = resource?.StackResourceDetail?.PhysicalResourceId;
  const targetGroup = arn ? targetGroupFullName(arn) : undefined;
  if (!targetGroup) return { missing: `the target group of ${laneStack}` };
  return {
    lane: { loadBalancer, targetGroup },
    baseline: { loadBalancer, targetGroup: defaultTargetGroup },
  };
}

/**
 * `promote --analyze` on AWS: the shared canary schedule (`runCanarySteps`, `judgeStep`) with the lane stack's
 * `CanaryWeight` as the traffic share and CloudWatch's ALB metrics of both target groups over each step as the
 * numbers. A failing step sets the weight back to 0 and stops; a passed analysis promotes.
 */
export async function analyzeAndPromoteOnAws(
  deps: AwsAnalysisDeps,
  key: LaneKey,
  given: Partial<AnalysisOptions>,
  signal?: AbortSignal,
): Promise<ProviderPromoteResult> {
  const { ctx } = deps;
  const options = { ...AWS_ANALYSIS_DEFAULTS, ...given };
  const lane = laneKeyString(key);
  if (key.lane === 'default') return { type: 'refused', lane, message: 'default is already the default lane' };
  if (options.stepMs < MIN_AWS_STEP_MS) {
    const message = `on aws each step is judged on CloudWatch's ${ALB_METRIC_PERIOD_S}-second ALB metrics: --step-seconds must be at least ${ALB_METRIC_PERIOD_S}`;
    return { type: 'refused', lane, message };
  }
  const current = await describeStack(ctx, laneStackName(ctx, key));
  const status = current ? statusOf(current) : undefined;
  if (!current || !status) return { type: 'not-found', lane, message: `there is no lane ${lane}` };
  if (!ANALYZABLE.has(status)) {
    const message = `cannot analyze ${lane}: its stack is ${status}; deploy it successfully first`;
    return isBusy(status) ? { type: 'busy', lane, message } : { type: 'refused', lane, message };
  }
  const dims = await dimensionsOf(ctx, key);
  if ('missing' in dims) return { type: 'not-found', lane, message: `cannot analyze ${lane}: no ${dims.missing}` };
  const run = await runCanarySteps(
    options.steps,
    {
      setWeight: async (percent) => {
        const set = await setCanaryWeight(ctx, key, percent);
        return set.type === 'set' ? undefined : set;
      },
      measure: async (percent, stop) => {
        const start = ctx.clock.now();
        if (await sleepUnlessAborted(ctx.clock, options.stepMs, stop)) return undefined;
        const end = ctx.clock.now();
        if (await sleepUnlessAborted(ctx.clock, Math.max(deps.settleMs, MIN_AWS_STEP_MS), stop)) return undefined;
        const numbers = await readStepNumbers(deps.cloudwatch, { start, end }, dims.lane, dims.baseline);
        return judgeStep(percent, numbers.lane, numbers.baseline, options);
      },
      onStep: (step) =>
        notify(ctx, 'ANALYSIS_STEP', `${lane} at ${step.percent}%: ${step.verdict}: ${step.reason}`, {
          level: step.verdict === 'fail' ? 'error' : 'info',
          lane,
          data: { ...step },
        }),
    },
    signal,
  );
  if (run.type === 'stopped') return run.stop;
  if (run.type === 'aborted') {
    return {
      type: 'aborted',
      lane,
      steps: run.steps,
      reason: run.reason,
      message: `analysis of ${lane}: NOT promoted`,
    };
  }
  const promoted = await deps.promote(key);
  if (promoted.type === 'promoted') return { ...promoted, steps: run.steps, message: `analysis of ${lane}: promoted` };
  const message = `analysis of ${lane} passed, but the promote did not: ${promoted.message}`;
  return { ...promoted, message, ...(promoted.type === 'failed' ? { steps: run.steps } : {}) };
}
