import {
  CloudFormationClient,
  CreateChangeSetCommand,
  type CreateChangeSetCommandInput,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { type AwsAdapterOptions, bootStackName } from '@lanes/aws';
import { awsNames, type LanesEvent, type Project, type ServiceModel } from '@lanes/core';
import { mockClient } from 'aws-sdk-client-mock';
import {
  shopProject as baseShopProject,
  shopService,
  stackMissing,
  stackOf,
  testClients,
} from '../../packages/lanes-aws/src/deploy/test-fixtures.js';

/** What ALB would have measured for one target group over a step. */
export interface TargetGroupNumbers {
  requests: number;
  errors: number;
  /** seconds */
  p99: number | undefined;
}

export const LB_FULL_NAME = 'app/boot-shop-dev/50dc6c495c0c9188';
export const DEFAULT_TG_FULL_NAME = 'targetgroup/shop-dev-default/1111aaaa2222bbbb';
export const LANE_TG_ARN =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-dev-gray/3333cccc4444dddd';
export const LANE_TG_FULL_NAME = 'targetgroup/shop-dev-gray/3333cccc4444dddd';
export const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

const ACCOUNT = 'arn:aws:cloudformation:eu-west-1:123456789012:stack';
const TEMPLATE = JSON.stringify({
  Parameters: { ServiceName: {}, Env: {}, Lane: {}, ImageUri: {}, DesiredCount: {}, CanaryWeight: {} },
  Resources: {},
});

export function shopProject(analysis?: ServiceModel['analysis']): Project {
  return baseShopProject({
    gateway: { carriers: ['tracestate', 'baggage'] },
    services: {
      shop: shopService({
        lanes: { gray: { run: {}, weight: 0, replicas: undefined, ttlMs: undefined } },
        params: { DesiredCount: '2' },
        ...(analysis ? { analysis } : {}),
      }),
    },
  });
}

/**
 * One service on a fake AWS, stubbed at the SDK's edge (aws-sdk-client-mock): the boot stack with its outputs, the
 * default lane's stack and the gray lane's stack, whose `CanaryWeight` follows executed change sets. CloudWatch
 * answers each GetMetricData with `metrics(weight)`, the weight in force when it is asked.
 */
export function fakeAwsLane(metrics: (weight: number) => { lane: TargetGroupNumbers; baseline: TargetGroupNumbers }) {
  const cfn = mockClient(CloudFormationClient);
  const cloudwatch = mockClient(CloudWatchClient);
  mockClient(CodePipelineClient);
  const state = {
    now: T0,
    weight: 0,
    /** Each CanaryWeight a change set put in force, in order, and when. */
    weights: [] as number[],
    weightTimes: [] as number[],
    defaultImage: 'shop:v1',
    laneDeleted: false,
    laneStatus: 'UPDATE_COMPLETE' as string,
    changeSets: [] as CreateChangeSetCommandInput[],
    /** The revision environment of every template asked for (what the container would get). */
    environments: [] as Record<string, string>[],
    metricQueries: [] as GetMetricDataCommandInput[],
    events: [] as LanesEvent[],
  };
  // Names as the provider derives them (never hand-built: they change with the naming scheme).
  const laneName = awsNames('dev', 'shop', 'gray').appStack;
  const defaultName = awsNames('dev', 'shop', 'default').appStack;
  const lane = { name: laneName, id: `${ACCOUNT}/${laneName}/1` };
  const def = { name: defaultName, id: `${ACCOUNT}/${defaultName}/2` };
  const bootName = bootStackName('shop', 'dev');
  const created = new Date(T0 - 86_400_000);
  const laneStack = () =>
    stackOf(lane.name, lane.id, state.laneStatus, {
      created,
      params: {
        ServiceName: 'shop',
        Env: 'dev',
        Lane: 'gray',
        ImageUri: 'shop:v2',
        DesiredCount: '2',
        CanaryWeight: String(state.weight),
      },
      tags: { 'lanes:image': 'shop:v2' },
    });
  const defaultStack = () =>
    stackOf(def.name, def.id, 'UPDATE_COMPLETE', {
      created,
      params: { ServiceName: 'shop', Env: 'dev', ImageUri: state.defaultImage },
    });
  const bootStack = stackOf(bootName, `${ACCOUNT}/${bootName}/3`, 'UPDATE_COMPLETE', {
    created,
    Outputs: [
      { OutputKey: 'LoadBalancerFullName', OutputValue: LB_FULL_NAME },
      { OutputKey: 'DefaultTargetGroupFullName', OutputValue: DEFAULT_TG_FULL_NAME },
    ],
  });
  let pending: CreateChangeSetCommandInput | undefined;

  cfn.on(DescribeStacksCommand).callsFake((input: { StackName?: string }) => {
    if (input.StackName === undefined) {
      return { Stacks: [...(state.laneDeleted ? [] : [laneStack()]), defaultStack(), bootStack] };
    }
    if (input.StackName === lane.name || input.StackName === lane.id) {
      if (!state.laneDeleted) return { Stacks: [laneStack()] };
      if (input.StackName === lane.id) return { Stacks: [{ ...laneStack(), StackStatus: 'DELETE_COMPLETE' }] };
      throw stackMissing(lane.name);
    }
    if (input.StackName === def.name || input.StackName === def.id) return { Stacks: [defaultStack()] };
    if (input.StackName === bootStack.StackName) return { Stacks: [bootStack] };
    throw stackMissing(input.StackName ?? '');
  });
  cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  cfn.on(DescribeStackResourceCommand, { StackName: lane.name, LogicalResourceId: 'TargetGroup' }).resolves({
    StackResourceDetail: {
      LogicalResourceId: 'TargetGroup',
      PhysicalResourceId: LANE_TG_ARN,
      ResourceType: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      ResourceStatus: 'UPDATE_COMPLETE',
      LastUpdatedTimestamp: new Date(T0),
    },
  });
  cfn.on(CreateChangeSetCommand).callsFake((input: CreateChangeSetCommandInput) => {
    state.changeSets.push(input);
    pending = input;
    const stackId = input.StackName === lane.name ? lane.id : def.id;
    return { Id: `${ACCOUNT}/changeSet/${input.ChangeSetName}`, StackId: stackId };
  });
  cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE', Changes: [] });
  cfn.on(ExecuteChangeSetCommand).callsFake(() => {
    const values = Object.fromEntries((pending?.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]));
    if (pending?.StackName === lane.name && values.CanaryWeight !== undefined) {
      state.weight = Number(values.CanaryWeight);
      state.weights.push(state.weight);
      state.weightTimes.push(state.now);
    }
    if (pending?.StackName === def.name && values.ImageUri) state.defaultImage = values.ImageUri;
    return {};
  });
  cfn.on(DeleteStackCommand).callsFake(() => {
    state.laneDeleted = true;
    return {};
  });
  cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
    state.metricQueries.push(input);
    const numbers = metrics(state.weight);
    const results = (['lane', 'base'] as const).flatMap((prefix) => {
      const n = prefix === 'lane' ? numbers.lane : numbers.baseline;
      return [
        { Id: `${prefix}_requests`, Values: n.requests > 0 ? [n.requests] : [] },
        { Id: `${prefix}_errors`, Values: n.errors > 0 ? [n.errors] : [] },
        { Id: `${prefix}_p99`, Values: n.p99 === undefined ? [] : [n.p99] },
      ];
    });
    return { MetricDataResults: results };
  });

  const options = (project: Project): AwsAdapterOptions => ({
    project,
    io: { notify: (event) => state.events.push(event) },
    clients: { ...testClients(), cloudwatch: new CloudWatchClient({ region: 'eu-west-1' }) },
    templates: {
      app: (_service, _lane, environment) => {
        state.environments.push(environment);
        return TEMPLATE;
      },
    },
    pollMs: 5000,
    metricSettleMs: 60_000,
    clock: {
      now: () => state.now,
      sleep: async (ms) => {
        state.now += ms;
      },
    },
  });
  const restore = () => {
    cfn.restore();
    cloudwatch.restore();
  };
  return { state, cfn, cloudwatch, options, restore, lane, def };
}
