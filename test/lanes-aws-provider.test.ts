import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { AWS_CAPABILITIES, AwsProviderAdapter, canaryTarget } from '@lanes/aws';
import { DEFAULT_ANALYSIS, type DeployRequest, type LaneKey, PROVIDER_FEATURES } from '@lanes/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_TG_FULL_NAME,
  fakeAwsLane,
  LANE_TG_FULL_NAME,
  LB_FULL_NAME,
  shopProject,
  T0,
  type TargetGroupNumbers,
} from './support/fake-aws-lane.js';

const GRAY: LaneKey = { env: 'dev', service: 'shop', lane: 'gray' };
const ANALYSIS = { ...DEFAULT_ANALYSIS, steps: [10, 25, 50], stepMs: 120_000 };
const healthy = (requests: number): TargetGroupNumbers => ({ requests, errors: 0, p99: 0.08 });

let fake: ReturnType<typeof fakeAwsLane> | undefined;
afterEach(() => fake?.restore());

function setUp(metrics: Parameters<typeof fakeAwsLane>[0], project = shopProject()) {
  fake = fakeAwsLane(metrics);
  return { fake, provider: new AwsProviderAdapter(fake.options(project)) };
}

describe('route on aws', () => {
  it("changes only the lane stack's CanaryWeight, with the previous template and values", async () => {
    const { fake, provider } = setUp(() => ({ lane: healthy(0), baseline: healthy(0) }));
    const result = await provider.route('shop', { default: 90, gray: 10 });
    expect(result).toMatchObject({ type: 'routed', shares: { default: 0.9, gray: 0.1 } });
    expect(fake.state.weights).toEqual([10]);
    const changeSet = fake.state.changeSets[0]!;
    expect(changeSet).toMatchObject({ StackName: fake.lane.name, UsePreviousTemplate: true });
    expect(changeSet.TemplateBody).toBeUndefined();
    const params = changeSet.Parameters ?? [];
    expect(params.find((p) => p.ParameterKey === 'CanaryWeight')).toEqual({
      ParameterKey: 'CanaryWeight',
      ParameterValue: '10',
    });
    const others = params.filter((p) => p.ParameterKey !== 'CanaryWeight');
    expect(others.map((p) => p.ParameterKey).sort()).toEqual([
      'DesiredCount',
      'Env',
      'ImageUri',
      'Lane',
      'ServiceName',
    ]);
    expect(others.every((p) => p.UsePreviousValue === true && p.ParameterValue === undefined)).toBe(true);
    expect(changeSet.Tags).toEqual([{ Key: 'lanes:image', Value: 'shop:v2' }]);
  });

  it('refuses what one CanaryWeight cannot express, before any AWS call', async () => {
    expect(canaryTarget('shop', { gray: 10, blue: 5 })).toHaveProperty('problem');
    expect(canaryTarget('shop', { default: 2, gray: 1 })).toMatchObject({ problem: expect.stringContaining('33.33%') });
    expect(canaryTarget('shop', { gray: 30 })).toEqual({ lane: 'gray', percent: 30 });
    expect(canaryTarget('shop', { default: 1, gray: 3 })).toEqual({ lane: 'gray', percent: 75 });
    const { fake, provider } = setUp(() => ({ lane: healthy(0), baseline: healthy(0) }));
    expect((await provider.route('shop', { default: 100 })).type).toBe('refused');
    expect(fake.cfn.calls()).toHaveLength(0);
  });
});

describe('promote --analyze on aws', () => {
  it('steps CanaryWeight 10, 25, 50, judges each step on CloudWatch, sets it back to 0 and promotes', async () => {
    const { fake, provider } = setUp(() => ({ lane: healthy(100), baseline: healthy(900) }));
    const result = await provider.promote(GRAY, { analysis: ANALYSIS });
    expect(result).toMatchObject({ type: 'promoted', message: 'analysis of dev/shop/gray: promoted' });
    expect(fake.state.weights).toEqual([10, 25, 50, 0]);
    expect(fake.state.defaultImage).toBe('shop:v2');
    expect(fake.state.laneDeleted).toBe(true);
    const steps = result.type === 'promoted' ? (result.steps ?? []) : [];
    expect(steps.map((s) => [s.percent, s.verdict])).toEqual([
      [10, 'pass'],
      [25, 'pass'],
      [50, 'pass'],
    ]);
    expect(steps[0]).toMatchObject({ lane: { requests: 100, errorRate: 0, p99Ms: 80 }, baseline: { requests: 900 } });
    // Each step's window is the step itself: it starts when its weight is in force and lasts stepMs.
    const queries = fake.state.metricQueries;
    expect(queries).toHaveLength(3);
    const [first] = queries;
    expect(first!.EndTime!.getTime() - first!.StartTime!.getTime()).toBe(ANALYSIS.stepMs);
    expect(first!.StartTime!.getTime()).toBeGreaterThanOrEqual(T0);
    const dims = (id: string) =>
      first!.MetricDataQueries!.find((q) => q.Id === id)!.MetricStat!.Metric!.Dimensions!.map((d) => d.Value);
    expect(dims('lane_requests')).toEqual([LB_FULL_NAME, LANE_TG_FULL_NAME]);
    expect(dims('base_errors')).toEqual([LB_FULL_NAME, DEFAULT_TG_FULL_NAME]);
    const stats = first!
      .MetricDataQueries!.filter((q) => q.Id?.startsWith('lane_'))
      .map((q) => [q.MetricStat!.Metric!.MetricName, q.MetricStat!.Stat]);
    expect(stats).toEqual([
      ['HTTPCode_Target_5XX_Count', 'Sum'],
      ['RequestCount', 'Sum'],
      ['TargetResponseTime', 'p99'],
    ]);
    expect(fake.cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(3);
  });

  it('takes its own defaults for options not given: the local schedule with 120-second steps', async () => {
    const { fake, provider } = setUp(() => ({ lane: healthy(100), baseline: healthy(900) }));
    expect((await provider.promote(GRAY, { analysis: {} })).type).toBe('promoted');
    expect(fake.state.weights).toEqual([...DEFAULT_ANALYSIS.steps, 0]);
    const windows = fake.state.metricQueries.map((q) => q.EndTime!.getTime() - q.StartTime!.getTime());
    expect(windows).toEqual([120_000, 120_000, 120_000]);
  });

  it('sets CanaryWeight back to 0 when interrupted (Ctrl-C), within a second', async () => {
    fake = fakeAwsLane(() => ({ lane: healthy(100), baseline: healthy(900) }));
    const state = fake.state;
    const options = fake.options(shopProject());
    const controller = new AbortController();
    const interruptAt = () => (state.weight === 25 ? state.weightTimes[1]! + 30_000 : Number.POSITIVE_INFINITY);
    const clock = {
      now: () => state.now,
      sleep: async (ms: number) => {
        state.now += ms;
        if (state.now >= interruptAt()) controller.abort(); // Ctrl-C half a minute into the 25% step
      },
    };
    const provider = new AwsProviderAdapter({ ...options, clock });
    const result = await provider.promote(GRAY, { analysis: ANALYSIS, signal: controller.signal });
    expect(result).toMatchObject({ type: 'aborted', reason: expect.stringContaining('interrupted at step 25%') });
    expect(state.weights).toEqual([10, 25, 0]);
    expect(state.weightTimes[2]! - state.weightTimes[1]!).toBeLessThanOrEqual(31_000);
    expect(state.metricQueries).toHaveLength(1);
    expect(state.laneDeleted).toBe(false);
  });

  it("reads whole minutes inside each step only: none from before the step's weight was in force", async () => {
    const { fake, provider } = setUp(() => ({ lane: healthy(100), baseline: healthy(900) }));
    fake.state.now = T0 + 17_000;
    await provider.promote(GRAY, { analysis: { ...ANALYSIS, steps: [10] } });
    const [query] = fake.state.metricQueries;
    // The step runs 12:00:17 to 12:02:17: the whole minute 12:01 to 12:02 is in it, 12:00 is not.
    expect([query!.StartTime!.getTime(), query!.EndTime!.getTime()]).toEqual([T0 + 60_000, T0 + 120_000]);
  });

  it('sets CanaryWeight back to 0 and promotes nothing when a step has too many 5xx', async () => {
    const { fake, provider } = setUp((weight) => ({
      lane: weight >= 25 ? { requests: 200, errors: 20, p99: 0.08 } : healthy(100),
      baseline: healthy(900),
    }));
    const result = await provider.promote(GRAY, { analysis: ANALYSIS });
    expect(result.type).toBe('aborted');
    expect(fake.state.weights).toEqual([10, 25, 0]);
    expect(fake.state.defaultImage).toBe('shop:v1');
    expect(fake.state.laneDeleted).toBe(false);
    if (result.type !== 'aborted') return;
    expect(result.steps.map((s) => s.verdict)).toEqual(['pass', 'fail']);
    expect(result.reason).toContain('step 25% failed: 5xx rate 10%');
    expect(result.reason).toContain('untagged traffic went back to default');
    const failed = fake.state.events.find((e) => e.code === 'ANALYSIS_STEP' && e.level === 'error');
    expect(failed?.message).toContain('at 25%: fail');
  });

  it('treats a step with too few requests as inconclusive, like the local analysis', async () => {
    const few = setUp(() => ({ lane: healthy(5), baseline: healthy(900) }));
    const none = await few.provider.promote(GRAY, { analysis: ANALYSIS });
    expect(none).toMatchObject({ type: 'aborted' });
    if (none.type === 'aborted') {
      expect(none.steps.map((s) => s.verdict)).toEqual(['inconclusive', 'inconclusive', 'inconclusive']);
      expect(none.reason).toContain('no step could judge the lane (last: only 5 requests reached the lane (need 20))');
    }
    expect(few.fake.state.weights).toEqual([10, 25, 50, 0]);
    expect(few.fake.state.laneDeleted).toBe(false);
    few.fake.restore();

    // Missing data is what CloudWatch returns for no traffic: inconclusive too, then later steps pass.
    const some = setUp((weight) => ({ lane: weight === 10 ? healthy(0) : healthy(100), baseline: healthy(900) }));
    const promoted = await some.provider.promote(GRAY, { analysis: ANALYSIS });
    expect(promoted.type).toBe('promoted');
    const verdicts = promoted.type === 'promoted' ? promoted.steps?.map((s) => s.verdict) : [];
    expect(verdicts).toEqual(['inconclusive', 'pass', 'pass']);
  });

  it('refuses, before moving any traffic, a lane whose last deploy did not complete', async () => {
    const { fake, provider } = setUp(() => ({ lane: healthy(100), baseline: healthy(900) }));
    fake.state.laneStatus = 'UPDATE_ROLLBACK_COMPLETE';
    const result = await provider.promote(GRAY, { analysis: ANALYSIS });
    expect(result).toMatchObject({ type: 'refused', message: expect.stringContaining('UPDATE_ROLLBACK_COMPLETE') });
    fake.state.laneStatus = 'UPDATE_IN_PROGRESS';
    expect((await provider.promote(GRAY, { analysis: ANALYSIS })).type).toBe('busy');
    expect(fake.state.changeSets).toHaveLength(0);
  });

  it('refuses steps shorter than the ALB metric period, and a service analysis block it cannot read', async () => {
    const { fake, provider } = setUp(() => ({ lane: healthy(100), baseline: healthy(900) }));
    const short = await provider.promote(GRAY, { analysis: { ...ANALYSIS, stepMs: 30_000 } });
    expect(short).toMatchObject({ type: 'refused', message: expect.stringContaining('at least 60') });
    fake.restore();
    const withBlock = setUp(
      () => ({ lane: healthy(100), baseline: healthy(900) }),
      shopProject({ metricsPath: '/metrics', metrics: [] }),
    );
    const block = await withBlock.provider.promote(GRAY, { analysis: ANALYSIS });
    expect(block).toMatchObject({ type: 'unsupported', feature: 'promote --analyze (analysis block)' });
    expect(withBlock.fake.cfn.calls()).toHaveLength(0);
  });
});

describe('what the aws provider refuses', () => {
  it('answers each refused feature with exactly its declared sentence, and changes nothing', async () => {
    const { fake, provider } = setUp(() => ({ lane: healthy(0), baseline: healthy(0) }));
    const deploy = (request: DeployRequest) => provider.deploy(GRAY, { image: 'shop:v3', ...request });
    const tries: Record<string, () => Promise<{ type: string; message?: string }>> = {
      'deploy --command': () => deploy({ command: ['node', 'v2.js'] }),
      'deploy --cwd': () => deploy({ cwd: '/srv' }),
      'deploy --replicas': () => deploy({ replicas: 3 }),
      'deploy --weight': () => deploy({ weight: 5 }),
      'deploy --ttl': () => deploy({ ttlMs: 60_000 }),
      logs: () => provider.logs(GRAY),
      'logs --follow': () => provider.logs(GRAY),
    };
    const refused = PROVIDER_FEATURES.filter(
      (f) => AWS_CAPABILITIES[f] !== true && f !== 'promote --analyze (analysis block)',
    );
    expect(Object.keys(tries).sort()).toEqual([...refused].sort());
    for (const [feature, attempt] of Object.entries(tries)) {
      const result = await attempt();
      const sentence = String(AWS_CAPABILITIES[feature as keyof typeof AWS_CAPABILITIES]);
      const filled = sentence.replace('/ecs/<env>/<service>', '/ecs/dev/shop').replace('<lane>/', 'gray/');
      expect([feature, result.type, result.message]).toEqual([feature, 'unsupported', filled]);
    }
    expect(fake.cfn.calls()).toHaveLength(0);
  });
});
