import {
  CloudFormationClient,
  CreateChangeSetCommand,
  type CreateChangeSetCommandInput,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  ListImportsCommand,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { CodePipelineClient, StartPipelineExecutionCommand } from '@aws-sdk/client-codepipeline';
import type { LanesEvent } from '@lanes/core';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { specializeTemplate } from '../synth/lane-revision.js';
import { CHANGE_SET_NAME } from './change-set.js';
import {
  stackOf as baseStackOf,
  CS_ID,
  cfnError,
  type FakeClock,
  fakeClock,
  GRAY,
  IMAGE_V1,
  IMAGE_V2,
  providerFor,
  revisionTemplate,
  shopProject,
  shopService,
  stackArn,
  stackMissing,
} from './test-fixtures.js';

const cfn = mockClient(CloudFormationClient);
const codepipeline = mockClient(CodePipelineClient);

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const NAME = 'app-shop--dev--gray';
const ID = stackArn(NAME, '1111');
const DEFAULT_NAME = 'app-shop--dev--default';
const DEFAULT_ID = stackArn(DEFAULT_NAME, '2222');
const NO_CHANGES =
  "The submitted information didn't contain changes. Submit different information to create a change set.";

const TEMPLATE = revisionTemplate({
  ServiceName: {},
  Env: {},
  Lane: {},
  ImageUri: {},
  DesiredCount: {},
  Environment: {},
  PreviousImageUri: {},
  PreviousEnvironment: {},
});
/** The port variable every revision carries (run.portEnv = the container port, 8080 by default). */
const PORT_ENV = '{"PORT":"8080"}';

const project = shopProject({
  gateway: { carriers: ['tracestate', 'baggage'] },
  // NotInTemplate shows that parameters the template does not declare are left out.
  services: { shop: shopService({ params: { DesiredCount: '2', NotInTemplate: 'x' } }) },
});

let events: LanesEvent[];
let clock: FakeClock;

const provider = (timeoutMs?: number) =>
  providerFor(
    project,
    {
      app: (name, _lane, environment) =>
        name === 'shop' ? specializeTemplate(TEMPLATE, environment, name) : 'unknown',
    },
    clock,
    {
      events,
      clients: { cloudformation: new CloudFormationClient({}), codepipeline: new CodePipelineClient({}) },
      pollMs: 5000,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    },
  );

/** A stack created a day before T0; with an image, the parameters of a lane named by the end of the stack name. */
const stackOf = (name: string, id: string, status: string, image?: string, extra: Partial<Stack> = {}): Stack =>
  baseStackOf(name, id, status, {
    created: new Date(T0 - 86_400_000),
    params: image ? { ServiceName: 'shop', Env: 'dev', Lane: name.split('-').at(-1)!, ImageUri: image } : {},
    ...extra,
  });

function ev(stack: string, id: string, n: number, logicalId: string, type: string, status: string, reason?: string) {
  return {
    StackName: stack,
    StackId: id,
    EventId: `${stack}-e${n}`,
    LogicalResourceId: logicalId,
    ResourceType: type,
    ResourceStatus: status,
    ResourceStatusReason: reason,
    Timestamp: new Date(T0 + n * 1000),
  } as StackEvent;
}

/**
 * Scripts one stack, looked up by id: each DescribeStacks moves it to the next step, whose events then appear.
 * DescribeStackEvents answers as CloudFormation does: newest first, two per page.
 */
function scriptStack(
  name: string,
  id: string,
  steps: { status: string; events?: StackEvent[] }[],
  history: StackEvent[] = [],
) {
  let step = -1;
  const visible = [...history];
  cfn.on(DescribeStacksCommand, { StackName: id }).callsFake(() => {
    if (step < steps.length - 1) {
      step++;
      visible.push(...(steps[step]!.events ?? []));
    }
    return { Stacks: [stackOf(name, id, steps[step]!.status)] };
  });
  cfn.on(DescribeStackEventsCommand, { StackName: id }).callsFake((input: { NextToken?: string }) => {
    const newestFirst = [...visible].reverse();
    const offset = Number(input.NextToken ?? 0);
    const next = offset + 2 < newestFirst.length ? String(offset + 2) : undefined;
    return { StackEvents: newestFirst.slice(offset, offset + 2), NextToken: next };
  });
}

function changeSetReady(stackId: string) {
  cfn.on(CreateChangeSetCommand).resolves({ Id: CS_ID, StackId: stackId });
  cfn
    .on(DescribeChangeSetCommand)
    .resolvesOnce({ Status: 'CREATE_IN_PROGRESS', ExecutionStatus: 'UNAVAILABLE' })
    .resolves({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE', Changes: [] });
  cfn.on(ExecuteChangeSetCommand).resolves({});
}

const stackEventMessages = () => events.filter((e) => e.code === 'STACK_EVENT').map((e) => e.message);
const commandNames = () => cfn.calls().map((call) => (call.args[0] as object).constructor.name);
const paramsOf = (input: Pick<CreateChangeSetCommandInput, 'Parameters'>) =>
  Object.fromEntries((input.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]));
const tagsOf = (input: Pick<CreateChangeSetCommandInput, 'Tags'>) =>
  Object.fromEntries((input.Tags ?? []).map((t) => [t.Key, t.Value]));

beforeEach(() => {
  cfn.reset();
  codepipeline.reset();
  events = [];
  clock = fakeClock(T0);
});

describe('deploy', () => {
  it('updates an existing lane through a change set and streams the new stack events in order', async () => {
    const old = ev(NAME, ID, -100, NAME, 'AWS::CloudFormation::Stack', 'UPDATE_COMPLETE');
    cfn.on(DescribeStacksCommand, { StackName: NAME }).resolves({
      Stacks: [
        stackOf(NAME, ID, 'UPDATE_COMPLETE', IMAGE_V1, {
          Tags: [
            { Key: 'team', Value: 'checkout' },
            { Key: 'lanes:image', Value: IMAGE_V1 },
            { Key: 'lanes:label', Value: 'v1' },
          ],
        }),
      ],
    });
    changeSetReady(ID);
    scriptStack(
      NAME,
      ID,
      [
        {
          status: 'UPDATE_IN_PROGRESS',
          events: [
            ev(NAME, ID, 1, NAME, 'AWS::CloudFormation::Stack', 'UPDATE_IN_PROGRESS', 'User Initiated'),
            ev(NAME, ID, 2, 'TaskDefinition', 'AWS::ECS::TaskDefinition', 'UPDATE_IN_PROGRESS'),
            ev(NAME, ID, 3, 'TaskDefinition', 'AWS::ECS::TaskDefinition', 'UPDATE_COMPLETE'),
          ],
        },
        {
          status: 'UPDATE_COMPLETE',
          events: [
            ev(NAME, ID, 4, 'Service', 'AWS::ECS::Service', 'UPDATE_COMPLETE'),
            ev(NAME, ID, 5, NAME, 'AWS::CloudFormation::Stack', 'UPDATE_COMPLETE'),
          ],
        },
      ],
      [old],
    );

    const result = await provider().deploy(GRAY, { imageUri: IMAGE_V2, label: 'v2' });

    expect(result).toMatchObject({
      type: 'deployed',
      lane: 'dev/shop/gray',
      stack: NAME,
      image: IMAGE_V2,
      previousImage: IMAGE_V1,
      changeSetType: 'UPDATE',
      recreated: false,
      status: 'UPDATE_COMPLETE',
    });
    const [create] = cfn.commandCalls(CreateChangeSetCommand);
    const input = create!.args[0].input;
    expect(input).toMatchObject({
      StackName: NAME,
      ChangeSetType: 'UPDATE',
      TemplateBody: specializeTemplate(TEMPLATE, { PORT: '8080' }, 'x'),
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
    });
    expect(input.ChangeSetName).toMatch(CHANGE_SET_NAME);
    expect(input.ChangeSetName).toMatch(/^lanes-20250101T120000000Z-[0-9a-f]{8}$/);
    expect(paramsOf(input)).toEqual({
      DesiredCount: '2',
      ServiceName: 'shop',
      Env: 'dev',
      Lane: 'gray',
      ImageUri: IMAGE_V2,
      Environment: PORT_ENV,
      PreviousImageUri: IMAGE_V1,
      PreviousEnvironment: '{}',
    });
    expect(tagsOf(input)).toEqual({
      team: 'checkout',
      'lanes:image': IMAGE_V2,
      'lanes:label': 'v2',
      'lanes:previous-image': IMAGE_V1,
      'lanes:previous-label': 'v1',
    });
    expect(cfn.commandCalls(DescribeChangeSetCommand, { ChangeSetName: CS_ID, StackName: NAME })).toHaveLength(2);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)[0]!.args[0].input).toEqual({
      ChangeSetName: CS_ID,
      StackName: NAME,
      ClientRequestToken: input.ChangeSetName,
    });
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(0);
    expect(stackEventMessages()).toEqual([
      `${NAME} (AWS::CloudFormation::Stack) UPDATE_IN_PROGRESS: User Initiated`,
      'TaskDefinition (AWS::ECS::TaskDefinition) UPDATE_IN_PROGRESS',
      'TaskDefinition (AWS::ECS::TaskDefinition) UPDATE_COMPLETE',
      'Service (AWS::ECS::Service) UPDATE_COMPLETE',
      `${NAME} (AWS::CloudFormation::Stack) UPDATE_COMPLETE`,
    ]);
    expect(events.every((e) => e.code !== 'STACK_EVENT' || e.lane === 'dev/shop/gray')).toBe(true);
  });

  it('creates the stack of a new lane (ChangeSetType CREATE) without a previous image', async () => {
    cfn.on(DescribeStacksCommand, { StackName: NAME }).rejects(stackMissing(NAME));
    changeSetReady(ID);
    scriptStack(NAME, ID, [
      {
        status: 'CREATE_IN_PROGRESS',
        events: [ev(NAME, ID, 1, NAME, 'AWS::CloudFormation::Stack', 'REVIEW_IN_PROGRESS')],
      },
      { status: 'CREATE_COMPLETE', events: [ev(NAME, ID, 2, NAME, 'AWS::CloudFormation::Stack', 'CREATE_COMPLETE')] },
    ]);

    const result = await provider().deploy(GRAY, { imageUri: IMAGE_V1 });

    expect(result).toMatchObject({ type: 'deployed', changeSetType: 'CREATE', previousImage: undefined });
    const input = cfn.commandCalls(CreateChangeSetCommand)[0]!.args[0].input;
    expect(input.ChangeSetType).toBe('CREATE');
    expect(tagsOf(input)).toEqual({ 'lanes:image': IMAGE_V1 });
    expect(commandNames().slice(0, 2)).toEqual(['DescribeStacksCommand', 'CreateChangeSetCommand']);
    expect(stackEventMessages()).toHaveLength(2);
  });

  it('reports no-change for an empty change set and deletes it', async () => {
    cfn
      .on(DescribeStacksCommand, { StackName: NAME })
      .resolves({ Stacks: [stackOf(NAME, ID, 'UPDATE_COMPLETE', IMAGE_V1)] });
    cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
    cfn.on(CreateChangeSetCommand).resolves({ Id: CS_ID, StackId: ID });
    cfn
      .on(DescribeChangeSetCommand)
      .resolves({ Status: 'FAILED', ExecutionStatus: 'UNAVAILABLE', StatusReason: NO_CHANGES });

    const result = await provider().deploy(GRAY, { imageUri: IMAGE_V1 });

    expect(result).toMatchObject({ type: 'no-change', lane: 'dev/shop/gray', image: IMAGE_V1 });
    expect(cfn.commandCalls(DeleteChangeSetCommand)[0]!.args[0].input).toEqual({ ChangeSetName: CS_ID, StackName: ID });
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
    expect(events.map((e) => e.code)).toContain('CHANGE_SET_EMPTY');
  });

  it('refuses at once, naming the lane, when the stack is busy', async () => {
    cfn
      .on(DescribeStacksCommand, { StackName: NAME })
      .resolves({ Stacks: [stackOf(NAME, ID, 'UPDATE_IN_PROGRESS', IMAGE_V1)] });

    const result = await provider().deploy(GRAY, { imageUri: IMAGE_V2 });

    expect(result).toMatchObject({
      type: 'busy',
      lane: 'dev/shop/gray',
      stack: NAME,
      stackStatus: 'UPDATE_IN_PROGRESS',
    });
    expect(result.type === 'busy' && result.message).toContain('dev/shop/gray');
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
    expect(cfn.calls()).toHaveLength(1);
  });

  it('deletes a ROLLBACK_COMPLETE stack and creates it again', async () => {
    const NEW_ID = `${ID}-new`;
    cfn
      .on(DescribeStacksCommand, { StackName: NAME })
      .resolves({ Stacks: [stackOf(NAME, ID, 'ROLLBACK_COMPLETE', IMAGE_V1)] });
    scriptStack(NAME, ID, [
      {
        status: 'DELETE_IN_PROGRESS',
        events: [ev(NAME, ID, 1, NAME, 'AWS::CloudFormation::Stack', 'DELETE_IN_PROGRESS')],
      },
      { status: 'DELETE_COMPLETE', events: [ev(NAME, ID, 2, NAME, 'AWS::CloudFormation::Stack', 'DELETE_COMPLETE')] },
    ]);
    cfn.on(DeleteStackCommand).resolves({});
    changeSetReady(NEW_ID);
    scriptStack(NAME, NEW_ID, [{ status: 'CREATE_COMPLETE' }]);

    const result = await provider().deploy(GRAY, { imageUri: IMAGE_V2 });

    expect(result).toMatchObject({ type: 'deployed', changeSetType: 'CREATE', recreated: true, stackId: NEW_ID });
    expect(cfn.commandCalls(DeleteStackCommand)[0]!.args[0].input.StackName).toBe(ID);
    const order = commandNames().filter((n) => ['DeleteStackCommand', 'CreateChangeSetCommand'].includes(n));
    expect(order).toEqual(['DeleteStackCommand', 'CreateChangeSetCommand']);
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]!.args[0].input.ChangeSetType).toBe('CREATE');
    expect(events.find((e) => e.code === 'STACK_RECREATING')?.level).toBe('warn');
  });

  it('reports the first failing resource when the update fails and is rolled back', async () => {
    cfn
      .on(DescribeStacksCommand, { StackName: NAME })
      .resolves({ Stacks: [stackOf(NAME, ID, 'UPDATE_COMPLETE', IMAGE_V1)] });
    changeSetReady(ID);
    const cause = 'ECS Deployment Circuit Breaker was triggered';
    scriptStack(NAME, ID, [
      {
        status: 'UPDATE_IN_PROGRESS',
        events: [ev(NAME, ID, 1, 'TaskDefinition', 'AWS::ECS::TaskDefinition', 'UPDATE_COMPLETE')],
      },
      {
        status: 'UPDATE_ROLLBACK_IN_PROGRESS',
        events: [
          ev(
            NAME,
            ID,
            2,
            'ListenerRule',
            'AWS::ElasticLoadBalancingV2::ListenerRule',
            'UPDATE_FAILED',
            'Resource update cancelled',
          ),
          ev(NAME, ID, 3, 'Service', 'AWS::ECS::Service', 'UPDATE_FAILED', cause),
          ev(NAME, ID, 4, 'Other', 'AWS::ECS::Service', 'UPDATE_FAILED', 'a later failure'),
          ev(
            NAME,
            ID,
            5,
            NAME,
            'AWS::CloudFormation::Stack',
            'UPDATE_ROLLBACK_IN_PROGRESS',
            'The following resource(s) failed to update: [Service]',
          ),
        ],
      },
      {
        status: 'UPDATE_ROLLBACK_COMPLETE',
        events: [ev(NAME, ID, 6, NAME, 'AWS::CloudFormation::Stack', 'UPDATE_ROLLBACK_COMPLETE')],
      },
    ]);

    const result = await provider().deploy(GRAY, { imageUri: IMAGE_V2 });

    expect(result).toMatchObject({
      type: 'failed',
      phase: 'execute',
      status: 'UPDATE_ROLLBACK_COMPLETE',
      rolledBack: true,
      resource: { logicalId: 'Service', type: 'AWS::ECS::Service', status: 'UPDATE_FAILED', reason: cause },
    });
    expect(result.type === 'failed' && result.message).toContain(cause);
    expect(events.filter((e) => e.level === 'warn').map((e) => e.data?.logicalId)).toEqual([
      'ListenerRule',
      'Service',
      'Other',
    ]);
  });

  it('reports a refused change set of a new lane and removes the empty stack it left', async () => {
    cfn.on(DescribeStacksCommand, { StackName: NAME }).rejects(stackMissing(NAME));
    cfn.on(CreateChangeSetCommand).resolves({ Id: CS_ID, StackId: ID });
    const reason = 'Parameters: [DesiredCount] must have values';
    cfn
      .on(DescribeChangeSetCommand)
      .resolves({ Status: 'FAILED', ExecutionStatus: 'UNAVAILABLE', StatusReason: reason });
    cfn.on(DeleteStackCommand).resolves({});
    scriptStack(NAME, ID, [{ status: 'DELETE_COMPLETE' }]);

    const result = await provider().deploy(GRAY, { imageUri: IMAGE_V1 });

    expect(result).toMatchObject({ type: 'failed', phase: 'change-set', status: 'FAILED', reason, rolledBack: false });
    expect(cfn.commandCalls(DeleteChangeSetCommand)[0]!.args[0].input).toEqual({ ChangeSetName: CS_ID, StackName: ID });
    expect(cfn.commandCalls(DeleteStackCommand)[0]!.args[0].input.StackName).toBe(ID);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
  });

  it('gives up after the timeout with a clear error, without real waiting', async () => {
    cfn
      .on(DescribeStacksCommand, { StackName: NAME })
      .resolves({ Stacks: [stackOf(NAME, ID, 'UPDATE_COMPLETE', IMAGE_V1)] });
    changeSetReady(ID);
    scriptStack(NAME, ID, [{ status: 'UPDATE_IN_PROGRESS' }]);

    await expect(provider(60_000).deploy(GRAY, { imageUri: IMAGE_V2 })).rejects.toMatchObject({
      code: 'AWS_TIMEOUT',
      message: expect.stringContaining(`${NAME} is still UPDATE_IN_PROGRESS after 60s`),
    });
    expect(clock.time - T0).toBeGreaterThanOrEqual(60_000);
    expect(clock.time - T0).toBeLessThan(70_000);
  });

  it('rejects a lane name AWS would refuse before calling AWS', async () => {
    await expect(provider().deploy({ ...GRAY, lane: 'Gray' }, { imageUri: IMAGE_V2 })).rejects.toMatchObject({
      code: 'LANES_NAME_INVALID',
    });
    expect(cfn.calls()).toHaveLength(0);
  });
});

describe('delete', () => {
  it('refuses to delete a lane whose exports other stacks import, naming them', async () => {
    const exportName = `${NAME}-ServiceArn`;
    cfn.on(DescribeStacksCommand, { StackName: NAME }).resolves({
      Stacks: [
        stackOf(NAME, ID, 'UPDATE_COMPLETE', IMAGE_V1, {
          Outputs: [{ OutputKey: 'ServiceArn', ExportName: exportName }],
        }),
      ],
    });
    cfn
      .on(ListImportsCommand, { ExportName: exportName })
      .resolvesOnce({ Imports: ['app-cart--dev--gray'], NextToken: 'more' })
      .resolves({ Imports: ['app-pay--dev--gray'] });

    const result = await provider().delete(GRAY);

    expect(result).toMatchObject({
      type: 'refused',
      reason: 'imported',
      importers: [{ exportName, stacks: ['app-cart--dev--gray', 'app-pay--dev--gray'] }],
    });
    expect(result.type === 'refused' && result.message).toContain('app-cart--dev--gray, app-pay--dev--gray');
    expect(cfn.commandCalls(ListImportsCommand)[1]!.args[0].input).toEqual({
      ExportName: exportName,
      NextToken: 'more',
    });
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('deletes a lane whose exports nobody imports, by stack id', async () => {
    const exportName = `${NAME}-ServiceArn`;
    cfn.on(DescribeStacksCommand, { StackName: NAME }).resolves({
      Stacks: [
        stackOf(NAME, ID, 'UPDATE_COMPLETE', IMAGE_V1, {
          Outputs: [{ OutputKey: 'ServiceArn', ExportName: exportName }],
        }),
      ],
    });
    cfn
      .on(ListImportsCommand)
      .rejects(cfnError('ValidationError', `Export '${exportName}' is not imported by any stack.`, {}));
    cfn.on(DeleteStackCommand).resolves({});
    scriptStack(NAME, ID, [{ status: 'DELETE_IN_PROGRESS' }, { status: 'DELETE_COMPLETE' }]);

    const result = await provider().delete(GRAY);

    expect(result).toMatchObject({ type: 'deleted', lane: 'dev/shop/gray', stack: NAME });
    expect(cfn.commandCalls(DeleteStackCommand)[0]!.args[0].input.StackName).toBe(ID);
    expect(events.map((e) => e.code)).toContain('LANE_DELETED');
  });

  it('refuses to delete the default lane without calling AWS', async () => {
    const result = await provider().delete({ ...GRAY, lane: 'default' });
    expect(result).toMatchObject({ type: 'refused', reason: 'default-lane' });
    expect(cfn.calls()).toHaveLength(0);
  });
});

describe('promote', () => {
  it('updates the default lane to the lane image, then deletes the lane stack', async () => {
    cfn.on(DescribeStacksCommand, { StackName: NAME }).resolves({
      Stacks: [stackOf(NAME, ID, 'UPDATE_COMPLETE', IMAGE_V2, { Tags: [{ Key: 'lanes:label', Value: 'v2' }] })],
    });
    cfn.on(DescribeStacksCommand, { StackName: DEFAULT_NAME }).resolves({
      Stacks: [stackOf(DEFAULT_NAME, DEFAULT_ID, 'UPDATE_COMPLETE', IMAGE_V1)],
    });
    changeSetReady(DEFAULT_ID);
    scriptStack(DEFAULT_NAME, DEFAULT_ID, [{ status: 'UPDATE_IN_PROGRESS' }, { status: 'UPDATE_COMPLETE' }]);
    cfn.on(DeleteStackCommand).resolves({});
    scriptStack(NAME, ID, [{ status: 'DELETE_IN_PROGRESS' }, { status: 'DELETE_COMPLETE' }]);

    const result = await provider().promote(GRAY);

    expect(result).toMatchObject({
      type: 'promoted',
      lane: 'dev/shop/gray',
      image: IMAGE_V2,
      defaultUpdate: 'deployed',
    });
    const create = cfn.commandCalls(CreateChangeSetCommand);
    expect(create).toHaveLength(1);
    expect(create[0]!.args[0].input.StackName).toBe(DEFAULT_NAME);
    // The default lane's parameters are the default template's (synth's laneParameters): no Lane, no rule slots.
    const params = paramsOf(create[0]!.args[0].input);
    expect(params).toMatchObject({ ServiceName: 'shop', ImageUri: IMAGE_V2 });
    expect(params).not.toHaveProperty('RulePriorities');
    expect(tagsOf(create[0]!.args[0].input)).toMatchObject({ 'lanes:label': 'v2', 'lanes:previous-image': IMAGE_V1 });
    expect(cfn.commandCalls(DeleteStackCommand)[0]!.args[0].input.StackName).toBe(ID);
    const order = commandNames().filter((n) => ['ExecuteChangeSetCommand', 'DeleteStackCommand'].includes(n));
    expect(order).toEqual(['ExecuteChangeSetCommand', 'DeleteStackCommand']);
  });

  it('does not touch the default lane when the lane cannot be deleted afterwards', async () => {
    cfn.on(DescribeStacksCommand, { StackName: NAME }).resolves({
      Stacks: [stackOf(NAME, ID, 'UPDATE_COMPLETE', IMAGE_V2, { Outputs: [{ ExportName: 'x' }] })],
    });
    cfn.on(ListImportsCommand).resolves({ Imports: ['app-cart--dev--gray'] });

    const result = await provider().promote(GRAY);

    expect(result).toMatchObject({ type: 'refused', reason: 'imported' });
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });
});

describe('rollback', () => {
  it('deploys the previous image recorded on the stack', async () => {
    cfn.on(DescribeStacksCommand, { StackName: NAME }).resolves({
      Stacks: [
        stackOf(NAME, ID, 'UPDATE_COMPLETE', IMAGE_V2, {
          Tags: [
            { Key: 'lanes:image', Value: IMAGE_V2 },
            { Key: 'lanes:previous-image', Value: IMAGE_V1 },
          ],
        }),
      ],
    });
    changeSetReady(ID);
    scriptStack(NAME, ID, [{ status: 'UPDATE_COMPLETE' }]);

    const result = await provider().rollback(GRAY);

    expect(result).toMatchObject({ type: 'deployed', image: IMAGE_V1, previousImage: IMAGE_V2 });
    const input = cfn.commandCalls(CreateChangeSetCommand)[0]!.args[0].input;
    expect(paramsOf(input).ImageUri).toBe(IMAGE_V1);
    expect(tagsOf(input)).toEqual({ 'lanes:image': IMAGE_V1, 'lanes:previous-image': IMAGE_V2 });
  });

  it('says so when the stack records no previous image', async () => {
    cfn
      .on(DescribeStacksCommand, { StackName: NAME })
      .resolves({ Stacks: [stackOf(NAME, ID, 'CREATE_COMPLETE', IMAGE_V1)] });
    const result = await provider().rollback(GRAY);
    expect(result.type).toBe('no-previous');
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });
});

describe('status', () => {
  it('lists the app stacks of the env across pages', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({
        Stacks: [
          stackOf(NAME, ID, 'UPDATE_IN_PROGRESS', IMAGE_V2, { LastUpdatedTime: new Date(T0) }),
          stackOf('boot-shop--dev', 'b', 'CREATE_COMPLETE'),
        ],
        NextToken: 'p2',
      })
      .resolvesOnce({
        Stacks: [
          stackOf(DEFAULT_NAME, DEFAULT_ID, 'UPDATE_COMPLETE', IMAGE_V1),
          {
            ...stackOf('app-shop--prod--gray', 'p', 'UPDATE_COMPLETE', IMAGE_V1),
            Parameters: [{ ParameterKey: 'Env', ParameterValue: 'prod' }],
          },
        ],
      });

    const rows = await provider().status('dev');

    expect(rows.map((r) => [r.lane, r.status, r.busy, r.image])).toEqual([
      ['dev/shop/default', 'UPDATE_COMPLETE', false, IMAGE_V1],
      ['dev/shop/gray', 'UPDATE_IN_PROGRESS', true, IMAGE_V2],
    ]);
    expect(rows[1]!.lastUpdated).toEqual(new Date(T0));
    expect(cfn.commandCalls(DescribeStacksCommand)[1]!.args[0].input).toEqual({ NextToken: 'p2' });
  });
});

describe('status reads service and lane from the stack name', () => {
  const withParameters = (stack: Stack, parameters: Record<string, string>): Stack => ({
    ...stack,
    Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
  });

  it('lists the default lane, whose template has no Lane parameter, and services whose names contain "-"', async () => {
    const stacks = [
      withParameters(stackOf('app-shop--dev--default', 'd', 'CREATE_COMPLETE'), {
        ServiceName: 'shop',
        Env: 'dev',
        ImageUri: IMAGE_V1,
      }),
      withParameters(stackOf('app-a--dev--dev-b', 'x', 'CREATE_COMPLETE'), {
        ServiceName: 'a',
        Env: 'dev',
        Lane: 'dev-b',
      }),
      withParameters(stackOf('app-a-dev--dev--b', 'y', 'CREATE_COMPLETE'), {
        ServiceName: 'a-dev',
        Env: 'dev',
        Lane: 'b',
      }),
    ];
    cfn.on(DescribeStacksCommand).resolves({ Stacks: stacks });

    const rows = await provider().status('dev');

    expect(rows.map((r) => [r.lane, r.service, r.name, r.stack])).toEqual([
      ['dev/a/dev-b', 'a', 'dev-b', 'app-a--dev--dev-b'],
      ['dev/a-dev/b', 'a-dev', 'b', 'app-a-dev--dev--b'],
      ['dev/shop/default', 'shop', 'default', 'app-shop--dev--default'],
    ]);
  });

  it('skips stacks whose parameters disagree with their name, and stacks of the old single-"-" form', async () => {
    const stacks = [
      withParameters(stackOf('app-shop--dev--gray', 'g', 'CREATE_COMPLETE'), {
        ServiceName: 'shop',
        Env: 'dev',
        Lane: 'blue',
      }),
      withParameters(stackOf('app-shop--dev--blue', 'b', 'CREATE_COMPLETE'), { ServiceName: 'cart', Env: 'dev' }),
      withParameters(stackOf('app-shop-dev-gray', 'o', 'CREATE_COMPLETE'), {
        ServiceName: 'shop',
        Env: 'dev',
        Lane: 'gray',
      }),
    ];
    cfn.on(DescribeStacksCommand).resolves({ Stacks: stacks });

    expect(await provider().status('dev')).toEqual([]);
  });
});

describe('startPipeline', () => {
  it('starts the service pipeline with LANE and BRANCH (its SERVICE is pinned) and returns the execution id', async () => {
    codepipeline.on(StartPipelineExecutionCommand).resolves({ pipelineExecutionId: 'exec-1' });

    const result = await provider().startPipeline({
      service: 'shop',
      env: 'dev',
      lane: 'gray',
      branch: 'release/1.2.3',
    });

    expect(result).toEqual({ type: 'started', pipeline: 'shop--dev', executionId: 'exec-1' });
    const input = codepipeline.commandCalls(StartPipelineExecutionCommand)[0]!.args[0].input;
    expect(input.name).toBe('shop--dev');
    expect(input.variables).toEqual([
      { name: 'LANE', value: 'gray' },
      { name: 'BRANCH', value: 'release/1.2.3' },
    ]);
    expect(input.clientRequestToken).toMatch(/^[a-zA-Z0-9-]+$/);
  });

  it('refuses a branch name git would refuse', async () => {
    await expect(
      provider().startPipeline({ service: 'shop', env: 'dev', lane: 'gray', branch: 'bad..name' }),
    ).rejects.toMatchObject({ code: 'AWS_BRANCH_INVALID' });
    expect(codepipeline.calls()).toHaveLength(0);
  });
});
