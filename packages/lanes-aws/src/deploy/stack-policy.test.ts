import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetStackPolicyCommand,
  SetStackPolicyCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import type { LaneKey, Project } from '@lanes/core';
import { awsNames } from '@lanes/core';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AwsLaneProvider } from './aws-lane-provider.js';

// Change sets take no stack policy, so the provider applies a stack's policy with SetStackPolicy itself.
const cfn = mockClient(CloudFormationClient);

const NAME = awsNames('dev', 'shop', 'gray').appStack;
const ID = `arn:aws:cloudformation:eu-west-1:123456789012:stack/${NAME}/1111`;
const GRAY: LaneKey = { env: 'dev', service: 'shop', lane: 'gray' };
const POLICY = {
  Statement: [
    { Effect: 'Allow', Action: 'Update:*', Principal: '*', Resource: '*' },
    { Effect: 'Deny', Action: 'Update:Replace', Principal: '*', Resource: 'LogicalResourceId/TargetGroup' },
  ],
};

const project = {
  dir: '/p',
  file: '/p/lanes.json',
  name: 'p',
  env: 'dev',
  stateDir: '/p/.lanes',
  gateway: { host: '127.0.0.1', port: 8080, adminPort: 9901, carriers: ['tracestate'] },
  services: {
    shop: {
      name: 'shop',
      route: { pathPrefix: '/', hosts: [] },
      run: { command: ['node', 'server.js'], cwd: '/p', env: {}, portEnv: 'PORT' },
      healthCheck: { path: '/healthz', intervalMs: 1000, timeoutMs: 1000 },
      replicas: 1,
      startTimeoutMs: 15000,
      drainMs: 300,
      maxStartFailures: 3,
      whenLaneDown: 'fallback',
      lanes: {},
      params: {},
    },
  },
} satisfies Project;

function provider(): AwsLaneProvider {
  let now = 0;
  return new AwsLaneProvider({
    project,
    io: { notify: () => undefined },
    clients: {
      cloudformation: new CloudFormationClient({ region: 'eu-west-1' }),
      codepipeline: new CodePipelineClient({ region: 'eu-west-1' }),
    },
    templates: { app: () => '{"Resources":{}}', stackPolicy: () => POLICY },
    clock: {
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    },
  });
}

const stack = (status: string): Stack => ({
  StackName: NAME,
  StackId: ID,
  StackStatus: status as Stack['StackStatus'],
  CreationTime: new Date(0),
  Parameters: [{ ParameterKey: 'ImageUri', ParameterValue: 'repo:v1' }],
});

const order = () =>
  cfn
    .calls()
    .map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ''))
    .filter((n) => ['GetStackPolicy', 'SetStackPolicy', 'ExecuteChangeSet'].includes(n));

beforeEach(() => {
  cfn.reset();
  cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs', StackId: ID });
  cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE' });
  cfn.on(ExecuteChangeSetCommand).resolves({});
  cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  cfn.on(SetStackPolicyCommand).resolves({});
});

describe('stack policies are really applied', () => {
  it('an update sets the policy before executing when the stack has another one', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn.on(GetStackPolicyCommand).resolves({});

    expect(await provider().deploy(GRAY, { imageUri: 'repo:v2' })).toMatchObject({ type: 'deployed' });

    expect(order()).toEqual(['GetStackPolicy', 'SetStackPolicy', 'ExecuteChangeSet']);
    const input = cfn.commandCalls(SetStackPolicyCommand)[0]!.args[0].input;
    expect(input.StackName).toBe(ID);
    expect(JSON.parse(input.StackPolicyBody!)).toEqual(POLICY);
  });

  it('an update leaves an equal policy alone, whatever the order of its keys', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    const reordered = {
      Statement: POLICY.Statement.map((s) => Object.fromEntries(Object.entries(s).reverse())),
    };
    cfn.on(GetStackPolicyCommand).resolves({ StackPolicyBody: JSON.stringify(reordered, null, 2) });

    await provider().deploy(GRAY, { imageUri: 'repo:v2' });

    expect(order()).toEqual(['GetStackPolicy', 'ExecuteChangeSet']);
  });

  it('a new stack gets its policy once it is created', async () => {
    let created = false;
    cfn
      .on(DescribeStacksCommand, { StackName: NAME })
      .rejects(Object.assign(new Error(`Stack with id ${NAME} does not exist`), { name: 'ValidationError' }));
    cfn.on(ExecuteChangeSetCommand).callsFake(() => {
      created = true;
      return {};
    });
    cfn.on(DescribeStacksCommand, { StackName: ID }).callsFake(() => ({
      Stacks: [stack(created ? 'CREATE_COMPLETE' : 'REVIEW_IN_PROGRESS')],
    }));

    expect(await provider().deploy(GRAY, { imageUri: 'repo:v1' })).toMatchObject({ changeSetType: 'CREATE' });

    expect(order()).toEqual(['ExecuteChangeSet', 'SetStackPolicy']);
  });
});
