import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import type { LaneNumbers } from '@lanes/core';

/** The dimensions of one target group's metrics: the load balancer's and the target group's full names. */
export interface TargetGroupDimensions {
  /** `app/{name}/{id}`: the load balancer ARN's resource part. */
  loadBalancer: string;
  /** `targetgroup/{name}/{id}`: the target group ARN's resource part. */
  targetGroup: string;
}

/**
 * A target group's full name (the `TargetGroup` dimension, `targetgroup/{name}/{id}`) from its ARN
 * `arn:aws:elasticloadbalancing:{region}:{account}:targetgroup/{name}/{id}`.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 */
export function targetGroupFullName(arn: string): string | undefined {
  const at = arn.indexOf(':targetgroup/');
  return at === -1 ? undefined : arn.slice(at + 1);
}

/**
 * ALB publishes these only while requests flow, in 60-second intervals; a metric with no data is not reported, so a
 * missing 5xx count is 0 and a missing request count means the step saw no requests.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 */
export const ALB_METRIC_PERIOD_S = 60;

const MINUTE_MS = ALB_METRIC_PERIOD_S * 1000;

/**
 * The whole metric periods inside a step: CloudWatch rounds GetMetricData's StartTime down to the minute and takes
 * EndTime as exclusive, so an unaligned start would count requests from before the step's weight was in force.
 * At least one period: when the step ends inside it, the weight stays until the caller has waited a period more.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
 */
export function metricWindow(start: number, end: number): { start: number; end: number } {
  const from = Math.ceil(start / MINUTE_MS) * MINUTE_MS;
  const periods = Math.max(1, Math.floor((end - from) / MINUTE_MS));
  return { start: from, end: from + periods * MINUTE_MS };
}

const QUERIES = [
  { id: 'errors', metric: 'HTTPCode_Target_5XX_Count', stat: 'Sum' },
  { id: 'requests', metric: 'RequestCount', stat: 'Sum' },
  { id: 'p99', metric: 'TargetResponseTime', stat: 'p99' },
] as const;

function queries(prefix: string, dims: TargetGroupDimensions): MetricDataQuery[] {
  return QUERIES.map((q) => ({
    Id: `${prefix}_${q.id}`,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/ApplicationELB',
        MetricName: q.metric,
        Dimensions: [
          { Name: 'LoadBalancer', Value: dims.loadBalancer },
          { Name: 'TargetGroup', Value: dims.targetGroup },
        ],
      },
      Period: ALB_METRIC_PERIOD_S,
      Stat: q.stat,
    },
  }));
}

function numbersOf(prefix: string, results: Map<string, number[]>): LaneNumbers {
  const sum = (id: string) => (results.get(`${prefix}_${id}`) ?? []).reduce((a, b) => a + b, 0);
  const requests = sum('requests');
  const latencies = results.get(`${prefix}_p99`) ?? [];
  return {
    requests,
    errorRate: requests > 0 ? sum('errors') / requests : 0,
    // TargetResponseTime is in seconds. Over several periods the worst period's p99 stands for the step: a
    // conservative bound (percentiles of periods cannot be merged exactly).
    p99Ms: latencies.length > 0 ? Math.round(Math.max(...latencies) * 1000) : undefined,
  };
}

/** The lane's and default's numbers over one step (`metricWindow`), from one GetMetricData call (all its pages). */
export async function readStepNumbers(
  cloudwatch: CloudWatchClient,
  window: { start: number; end: number },
  lane: TargetGroupDimensions,
  baseline: TargetGroupDimensions,
): Promise<{ lane: LaneNumbers; baseline: LaneNumbers }> {
  const results = new Map<string, number[]>();
  const { start, end } = metricWindow(window.start, window.end);
  let token: string | undefined;
  do {
    const page = await cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [...queries('lane', lane), ...queries('base', baseline)],
        StartTime: new Date(start),
        EndTime: new Date(end),
        ScanBy: 'TimestampAscending',
        NextToken: token,
      }),
    );
    for (const result of page.MetricDataResults ?? []) collect(results, result);
    token = page.NextToken;
  } while (token);
  return { lane: numbersOf('lane', results), baseline: numbersOf('base', results) };
}

function collect(into: Map<string, number[]>, result: MetricDataResult): void {
  if (!result.Id) return;
  into.set(result.Id, [...(into.get(result.Id) ?? []), ...(result.Values ?? [])]);
}
