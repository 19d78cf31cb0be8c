import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import type { LanesEvent } from '@lanes/core';
import { awsNames } from '@lanes/core';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CS_ID,
  cfnError,
  type FakeClock,
  fakeClock,
  GRAY,
  IMAGE_V1,
  IMAGE_V2,
  providerFor,
  shopProject,
  stackArn,
  stackOf,
} from './test-fixtures.js';

// Two deploys of one lane at once, and Ctrl-C: CloudFormation mocked at the SDK's edge, answering with the error
// names and messages it really sends (see busy.ts for the references).
const cfn = mockClient(CloudFormationClient);

const NAME = awsNames('dev', 'shop', 'gray').appStack;
const ID = stackArn(NAME, '1111');

let events: LanesEvent[];
let clock: FakeClock;

const provider = () =>
  providerFor(shopProject(), { app: () => JSON.stringify({ Parameters: { ImageUri: {} }, Resources: {} }) }, clock, {
    events,
  });

const stack = (status: string) => stackOf(NAME, ID, status, { params: { ImageUri: IMAGE_V1 } });

/** DescribeStacks answers each status in turn, then keeps the last. */
function stackStatuses(...statuses: string[]) {
  let call = 0;
  cfn
    .on(DescribeStacksCommand)
    .callsFake(() => ({ Stacks: [stack(statuses[Math.min(call++, statuses.length - 1)]!)] }));
}

const IN_PROGRESS = `Stack:${ID} is in UPDATE_IN_PROGRESS state and can not be updated.`;

beforeEach(() => {
  cfn.reset();
  cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  events = [];
  clock = fakeClock(Date.UTC(2025, 0, 1));
});

describe('another deploy of the same lane gets there first', () => {
  it('CreateChangeSet refused because the stack went UPDATE_IN_PROGRESS: busy, with what CloudFormation does', async () => {
    stackStatuses('UPDATE_COMPLETE', 'UPDATE_IN_PROGRESS');
    cfn.on(CreateChangeSetCommand).rejects(cfnError('ValidationError', IN_PROGRESS));

    const result = await provider().deploy(GRAY, { imageUri: IMAGE_V2 });

    expect(result).toMatchObject({
      type: 'busy',
      lane: 'dev/shop/gray',
      stack: NAME,
      stackStatus: 'UPDATE_IN_PROGRESS',
    });
    expect(result.type === 'busy' && result.message).toContain('UPDATE_IN_PROGRESS');
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(0);
  });

  it('ExecuteChangeSet refused because the change set went OBSOLETE: busy, and the change set is deleted', async () => {
    stackStatuses('UPDATE_COMPLETE', 'UPDATE_IN_PROGRESS');
    cfn.on(CreateChangeSetCommand).resolves({ Id: CS_ID, StackId: ID });
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE' });
    cfn
      .on(ExecuteChangeSetCommand)
      .rejects(
        cfnError(
          'InvalidChangeSetStatus',
          `ChangeSet [${CS_ID}] cannot be executed in its current execution status of [OBSOLETE]`,
        ),
      );
    cfn.on(DeleteChangeSetCommand).resolves({});

    const result = await provider().deploy(GRAY, { imageUri: IMAGE_V2 });

    expect(result).toMatchObject({ type: 'busy', stack: NAME, stackStatus: 'UPDATE_IN_PROGRESS' });
    expect(result.type === 'busy' && result.cause).toContain('OBSOLETE');
    expect(cfn.commandCalls(DeleteChangeSetCommand)[0]!.args[0].input).toEqual({ ChangeSetName: CS_ID, StackName: ID });
  });

  it('a change set that CloudFormation failed because the stack is busy: busy, not failed', async () => {
    stackStatuses('UPDATE_COMPLETE', 'UPDATE_ROLLBACK_IN_PROGRESS');
    cfn.on(CreateChangeSetCommand).resolves({ Id: CS_ID, StackId: ID });
    cfn
      .on(DescribeChangeSetCommand)
      .resolves({ Status: 'FAILED', ExecutionStatus: 'UNAVAILABLE', StatusReason: IN_PROGRESS });
    cfn.on(DeleteChangeSetCommand).resolves({});

    const result = await provider().deploy(GRAY, { imageUri: IMAGE_V2 });

    expect(result).toMatchObject({ type: 'busy', stackStatus: 'UPDATE_ROLLBACK_IN_PROGRESS' });
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
  });

  it("a new lane created meanwhile by another deploy: busy, and the other deploy's stack is left alone", async () => {
    let call = 0;
    cfn.on(DescribeStacksCommand).callsFake(() => {
      if (call++ === 0) throw cfnError('ValidationError', `Stack with id ${NAME} does not exist`);
      return { Stacks: [stack('CREATE_IN_PROGRESS')] };
    });
    cfn.on(CreateChangeSetCommand).rejects(cfnError('AlreadyExistsException', `Stack [${NAME}] already exists`));

    const result = await provider().deploy(GRAY, { imageUri: IMAGE_V2 });

    expect(result).toMatchObject({ type: 'busy', stackStatus: 'CREATE_IN_PROGRESS' });
    expect(cfn.calls().map((c) => (c.args[0] as object).constructor.name)).not.toContain('DeleteStackCommand');
  });
});

describe('Ctrl-C (an aborted signal)', () => {
  it('while the stack updates: stops waiting and says what CloudFormation still does and how to watch it', async () => {
    stackStatuses('UPDATE_COMPLETE', 'UPDATE_IN_PROGRESS');
    cfn.on(CreateChangeSetCommand).resolves({ Id: CS_ID, StackId: ID });
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE' });
    cfn.on(ExecuteChangeSetCommand).resolves({});
    const controller = new AbortController();
    let sleeps = 0;
    clock.onSleep = () => {
      if (++sleeps === 2) controller.abort();
    };

    const error = await provider()
      .deploy(GRAY, { imageUri: IMAGE_V2 }, { signal: controller.signal })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'AWS_INTERRUPTED', fault: 'user' });
    const message = (error as Error).message;
    expect(message).toContain(`${NAME} (now UPDATE_IN_PROGRESS)`);
    expect(message).toContain(`aws cloudformation describe-stack-events --stack-name ${NAME} --region eu-west-1`);
    expect(message).toContain('https://eu-west-1.console.aws.amazon.com/cloudformation/home?region=eu-west-1');
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(0);
    const reported = events.find((e) => e.code === 'STACK_WAIT_INTERRUPTED');
    expect(reported?.data).toMatchObject({
      stack: NAME,
      stackId: ID,
      status: 'UPDATE_IN_PROGRESS',
      stillRunning: 'execute',
    });
    expect(sleeps).toBe(2);
  });

  it('while the change set is computed: deletes it, nothing deployed, never executes', async () => {
    stackStatuses('UPDATE_COMPLETE');
    cfn.on(CreateChangeSetCommand).resolves({ Id: CS_ID, StackId: ID });
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_IN_PROGRESS', ExecutionStatus: 'UNAVAILABLE' });
    cfn.on(DeleteChangeSetCommand).resolves({});
    const controller = new AbortController();
    clock.onSleep = () => controller.abort();

    await expect(provider().deploy(GRAY, { imageUri: IMAGE_V2 }, { signal: controller.signal })).rejects.toMatchObject({
      code: 'AWS_INTERRUPTED',
      message: expect.stringContaining('nothing was deployed'),
    });
    expect(cfn.commandCalls(DeleteChangeSetCommand)[0]!.args[0].input).toEqual({ ChangeSetName: CS_ID, StackName: ID });
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
  });

  it('while a lane is deleted: the deletion goes on, and the answer says so', async () => {
    stackStatuses('UPDATE_COMPLETE', 'DELETE_IN_PROGRESS');
    cfn.on(DeleteStackCommand).resolves({});
    const controller = new AbortController();
    clock.onSleep = () => controller.abort();

    await expect(provider().delete(GRAY, { signal: controller.signal })).rejects.toMatchObject({
      code: 'AWS_INTERRUPTED',
      message: expect.stringContaining(`CloudFormation goes on with the deletion of ${NAME} (now DELETE_IN_PROGRESS)`),
    });
  });

  it('an already aborted signal sends nothing', async () => {
    await expect(
      provider().deploy(GRAY, { imageUri: IMAGE_V2 }, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ code: 'AWS_INTERRUPTED', message: expect.stringContaining('nothing changed') });
    expect(cfn.calls()).toHaveLength(0);
  });
});
