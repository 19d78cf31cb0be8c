import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  type ResourceStatus,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import type { LanesEvent, Project } from '@lanes/core';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CHANGE_SET_NAME, changeSetName } from './change-set.js';
import type { AwsContext } from './context.js';
import { StackEventStream } from './stack-events.js';

const cfn = mockClient(CloudFormationClient);
const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const STACK = 'app-shop--dev--gray';
let reported: LanesEvent[];

function context(): AwsContext {
  return {
    project: { env: 'dev', services: {} } as unknown as Project,
    io: { notify: (event) => reported.push(event) },
    cloudformation: new CloudFormationClient({}),
    codepipeline: new CodePipelineClient({}),
    templates: { app: () => '{}' },
    clock: { now: () => T0, sleep: async () => undefined },
    pollMs: 1,
    timeoutMs: 1000,
    progress: {},
  };
}

function ev(
  id: string,
  secondsFromStart: number,
  logicalId = 'Service',
  status = 'UPDATE_IN_PROGRESS',
  reason?: string,
) {
  return {
    StackName: STACK,
    StackId: 'id',
    EventId: id,
    LogicalResourceId: logicalId,
    ResourceType: logicalId === STACK ? 'AWS::CloudFormation::Stack' : 'AWS::ECS::Service',
    ResourceStatus: status as ResourceStatus,
    ResourceStatusReason: reason,
    Timestamp: new Date(T0 + secondsFromStart * 1000),
  } satisfies StackEvent;
}

const ids = () => reported.map((e) => e.data?.eventId);

beforeEach(() => {
  cfn.reset();
  reported = [];
});

describe('StackEventStream', () => {
  it('pages back to the primed boundary and reports the new events oldest first, once', async () => {
    cfn
      .on(DescribeStackEventsCommand)
      .resolvesOnce({ StackEvents: [ev('old', -5)] }) // prime: a recent event from before the operation
      .resolvesOnce({ StackEvents: [ev('e3', 3), ev('e2', 2)], NextToken: 't1' })
      .resolvesOnce({ StackEvents: [ev('e1', 1), ev('old', -5)], NextToken: 't2' })
      .resolvesOnce({ StackEvents: [ev('e4', 4), ev('e3', 3)], NextToken: 't3' });
    const stream = new StackEventStream(context(), 'id', 'dev/shop/gray', T0);

    await stream.prime();
    const first = await stream.poll();
    const second = await stream.poll();

    expect(first.map((e) => e.EventId)).toEqual(['e1', 'e2', 'e3']);
    expect(second.map((e) => e.EventId)).toEqual(['e4']);
    expect(ids()).toEqual(['e1', 'e2', 'e3', 'e4']);
    const calls = cfn.commandCalls(DescribeStackEventsCommand).map((c) => c.args[0].input.NextToken);
    // The page after 'old' (t2) and the page after e3 (t3) are never read.
    expect(calls).toEqual([undefined, undefined, 't1', undefined]);
  });

  it('stops paging at events from before the operation when nothing was primed', async () => {
    cfn
      .on(DescribeStackEventsCommand)
      .resolvesOnce({ StackEvents: [ev('e1', 1), ev('ancient', -3600)], NextToken: 'older' });
    const stream = new StackEventStream(context(), 'id', 'dev/shop/gray', T0);

    expect((await stream.poll()).map((e) => e.EventId)).toEqual(['e1']);
    expect(cfn.commandCalls(DescribeStackEventsCommand)).toHaveLength(1);
  });

  it('names the first failed resource, not the ones cancelled because of it nor the stack itself', async () => {
    cfn.on(DescribeStackEventsCommand).resolvesOnce({
      StackEvents: [
        ev('e4', 4, 'Later', 'UPDATE_FAILED', 'later'),
        ev('e3', 3, 'Rule', 'UPDATE_FAILED', 'Resource update cancelled'),
        ev('e2', 2, 'Service', 'UPDATE_FAILED', 'Circuit breaker'),
        ev('e1', 1, STACK, 'UPDATE_FAILED', 'stack-level'),
        ev('e0', 0, 'Cancelled', 'UPDATE_FAILED', 'Resource update cancelled'),
      ],
    });
    const stream = new StackEventStream(context(), 'id', 'dev/shop/gray', T0);
    await stream.poll();

    expect(stream.firstFailure()).toEqual({
      logicalId: 'Service',
      type: 'AWS::ECS::Service',
      status: 'UPDATE_FAILED',
      reason: 'Circuit breaker',
      physicalId: undefined,
    });
    expect(reported.filter((e) => e.level === 'warn')).toHaveLength(5);
  });
});

describe('changeSetName', () => {
  it('is valid for CloudFormation and unique per call', () => {
    const names = new Set(Array.from({ length: 50 }, () => changeSetName(T0)));
    expect(names.size).toBe(50);
    for (const name of names) {
      expect(name).toMatch(CHANGE_SET_NAME);
      expect(name.length).toBeLessThanOrEqual(128);
      expect(name.startsWith('lanes-20250101T120000000Z-')).toBe(true);
    }
  });
});
