import {
  CloudFormationClient,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetStackPolicyCommand,
  SetStackPolicyCommand,
} from '@aws-sdk/client-cloudformation';
import { awsNames } from '@lanes/core';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { changeSetsSucceed, fakeClock, GRAY, providerFor, shopProject, stackArn, stackOf } from './test-fixtures.js';

// Change sets take no stack policy, so the provider applies a stack's policy with SetStackPolicy itself.
const cfn = mockClient(CloudFormationClient);

const NAME = awsNames('dev', 'shop', 'gray').appStack;
const ID = stackArn(NAME, '1111');
const POLICY = {
  Statement: [
    { Effect: 'Allow', Action: 'Update:*', Principal: '*', Resource: '*' },
    { Effect: 'Deny', Action: 'Update:Replace', Principal: '*', Resource: 'LogicalResourceId/TargetGroup' },
  ],
};

const provider = () =>
  providerFor(shopProject(), { app: () => '{"Resources":{}}', stackPolicy: () => POLICY }, fakeClock(0));

const stack = (status: string) => stackOf(NAME, ID, status, { params: { ImageUri: 'repo:v1' } });

const order = () =>
  cfn
    .calls()
    .map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ''))
    .filter((n) => ['GetStackPolicy', 'SetStackPolicy', 'ExecuteChangeSet'].includes(n));

beforeEach(() => {
  cfn.reset();
  changeSetsSucceed(cfn, () => ({ Id: 'cs', StackId: ID }));
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
