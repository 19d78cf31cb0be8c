import {
  CloudFormationClient,
  CreateChangeSetCommand,
  type CreateChangeSetCommandInput,
  DeleteStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { awsNames } from '@lanes/core';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { specializeTemplate } from '../synth/lane-revision.js';
import {
  changeSetsSucceed,
  fakeClock,
  GRAY,
  IMAGE_V1,
  IMAGE_V2,
  providerFor,
  revisionTemplate,
  shopProject,
  shopService,
  stackArn,
  stackOf,
} from './test-fixtures.js';

// A lane's revision on AWS is its image and its run.env, as locally; promote moves both, rollback goes back to
// both, and neither depends on stack tags (a pipeline run replaces them).
const cfn = mockClient(CloudFormationClient);

const GRAY_NAME = awsNames('dev', 'shop', 'gray').appStack;
const GRAY_ID = stackArn(GRAY_NAME, '1111');
const DEFAULT_NAME = awsNames('dev', 'shop', 'default').appStack;
const DEFAULT_ID = stackArn(DEFAULT_NAME, '2222');

/** The parts of the app templates that matter here: the revision parameters and the task definition container. */
const TEMPLATE = revisionTemplate(
  Object.fromEntries(
    ['ServiceName', 'Env', 'Lane', 'ImageUri', 'Environment', 'PreviousImageUri', 'PreviousEnvironment'].map((p) => [
      p,
      { Type: 'String' },
    ]),
  ),
);

const project = shopProject({
  services: {
    shop: shopService({
      run: { env: { MODE: 'shop' } },
      lanes: { gray: { run: { env: { FEATURE: 'on' } }, weight: 0, replicas: undefined, ttlMs: undefined } },
      params: { ContainerPort: '3000' },
    }),
  },
});

const provider = (template: string = TEMPLATE) =>
  providerFor(
    project,
    { app: (_s, lane, environment) => specializeTemplate(template, environment, lane) },
    fakeClock(Date.UTC(2025, 0, 1)),
  );

/** The change set CloudFormation creates for the gray or the default lane's stack. */
const changeSetOf = (input: Pick<CreateChangeSetCommandInput, 'StackName'>) => ({
  Id: `cs-${input.StackName}`,
  StackId: input.StackName === DEFAULT_NAME ? DEFAULT_ID : GRAY_ID,
});

const createdFor = (stack: string) => {
  const input = cfn.commandCalls(CreateChangeSetCommand).find((c) => c.args[0].input.StackName === stack)!
    .args[0].input;
  const params = Object.fromEntries((input.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]));
  const template = JSON.parse(input.TemplateBody ?? '{}');
  const environment = Object.fromEntries(
    template.Resources.TaskDefinition.Properties.ContainerDefinitions[0].Environment.map(
      (e: { Name: string; Value: unknown }) => [e.Name, e.Value],
    ),
  );
  return { params, environment };
};

beforeEach(() => {
  cfn.reset();
});

describe("a lane's run.env reaches its task definition", () => {
  it('deploys the declared lane env, the service env and the port variable into the container', async () => {
    cfn
      .on(DescribeStacksCommand, { StackName: GRAY_NAME })
      .rejects(Object.assign(new Error(`Stack with id ${GRAY_NAME} does not exist`), { name: 'ValidationError' }));
    changeSetsSucceed(cfn, changeSetOf);
    cfn.on(DescribeStacksCommand, { StackName: GRAY_ID }).resolves({
      Stacks: [stackOf(GRAY_NAME, GRAY_ID, 'CREATE_COMPLETE', { params: {}, tags: {} })],
    });

    const result = await provider().deploy(GRAY, { imageUri: IMAGE_V1, env: { EXTRA: 'cli' } });

    expect(result).toMatchObject({
      type: 'deployed',
      environment: { FEATURE: 'on', MODE: 'shop', EXTRA: 'cli', PORT: '3000' },
    });
    const { params, environment } = createdFor(GRAY_NAME);
    expect(environment).toEqual({
      LANES_LANE: { Ref: 'Lane' },
      EXTRA: 'cli',
      FEATURE: 'on',
      MODE: 'shop',
      PORT: '3000',
    });
    expect(JSON.parse(params.Environment!)).toEqual({ EXTRA: 'cli', FEATURE: 'on', MODE: 'shop', PORT: '3000' });
    expect(params).toMatchObject({ ImageUri: IMAGE_V1, PreviousImageUri: '', PreviousEnvironment: '{}' });
  });

  it('promote moves the whole revision, image and environment, to the default lane', async () => {
    const grayEnv = '{"FEATURE":"on","MODE":"shop","PORT":"3000"}';
    cfn.on(DescribeStacksCommand, { StackName: GRAY_NAME }).resolves({
      Stacks: [
        stackOf(GRAY_NAME, GRAY_ID, 'UPDATE_COMPLETE', {
          params: { ImageUri: IMAGE_V2, Environment: grayEnv },
          tags: {},
        }),
      ],
    });
    cfn.on(DescribeStacksCommand, { StackName: DEFAULT_NAME }).resolves({
      Stacks: [
        stackOf(DEFAULT_NAME, DEFAULT_ID, 'UPDATE_COMPLETE', {
          params: { ImageUri: IMAGE_V1, Environment: '{"MODE":"shop"}' },
          tags: {},
        }),
      ],
    });
    cfn.on(DescribeStacksCommand, { StackName: DEFAULT_ID }).resolves({
      Stacks: [stackOf(DEFAULT_NAME, DEFAULT_ID, 'UPDATE_COMPLETE', { params: {}, tags: {} })],
    });
    let deleted = false;
    cfn.on(DeleteStackCommand).callsFake(() => {
      deleted = true;
      return {};
    });
    cfn.on(DescribeStacksCommand, { StackName: GRAY_ID }).callsFake(() => ({
      Stacks: [stackOf(GRAY_NAME, GRAY_ID, deleted ? 'DELETE_COMPLETE' : 'UPDATE_COMPLETE', { params: {}, tags: {} })],
    }));
    changeSetsSucceed(cfn, changeSetOf);

    const result = await provider().promote(GRAY);

    expect(result).toMatchObject({ type: 'promoted', image: IMAGE_V2 });
    const { params, environment } = createdFor(DEFAULT_NAME);
    expect(environment).toMatchObject({ FEATURE: 'on', MODE: 'shop', PORT: '3000' });
    expect(params).toMatchObject({
      ImageUri: IMAGE_V2,
      Environment: grayEnv,
      PreviousImageUri: IMAGE_V1,
      PreviousEnvironment: '{"MODE":"shop"}',
    });
  });
});

describe('rollback survives a pipeline run', () => {
  it('finds the previous revision in the stack parameters after the pipeline replaced the stack tags', async () => {
    // What the app pipeline leaves: its template configuration's tags only (ci/build.sh), and the parameters it
    // carried forward from the stack before it (previous_revision in ci/build.sh).
    const piped = stackOf(GRAY_NAME, GRAY_ID, 'UPDATE_COMPLETE', {
      params: {
        ImageUri: IMAGE_V2,
        Environment: '{"FEATURE":"on","PORT":"3000"}',
        PreviousImageUri: IMAGE_V1,
        PreviousEnvironment: '{"FEATURE":"off","PORT":"3000"}',
      },
      tags: { 'lanes:service': 'shop', 'lanes:env': 'dev', 'lanes:lane': 'gray' },
    });
    cfn.on(DescribeStacksCommand, { StackName: GRAY_NAME }).resolves({ Stacks: [piped] });
    cfn.on(DescribeStacksCommand, { StackName: GRAY_ID }).resolves({ Stacks: [piped] });
    changeSetsSucceed(cfn, changeSetOf);

    const result = await provider().rollback(GRAY);

    expect(result).toMatchObject({ type: 'deployed', image: IMAGE_V1, previousImage: IMAGE_V2 });
    const { params, environment } = createdFor(GRAY_NAME);
    expect(environment).toMatchObject({ FEATURE: 'off', PORT: '3000' });
    expect(params).toMatchObject({
      ImageUri: IMAGE_V1,
      Environment: '{"FEATURE":"off","PORT":"3000"}',
      PreviousImageUri: IMAGE_V2,
      PreviousEnvironment: '{"FEATURE":"on","PORT":"3000"}',
    });
  });

  it('a redeploy of the running revision keeps the recorded previous one', async () => {
    const running = stackOf(GRAY_NAME, GRAY_ID, 'UPDATE_COMPLETE', {
      params: {
        ImageUri: IMAGE_V2,
        Environment: '{"FEATURE":"on","MODE":"shop","PORT":"3000"}',
        PreviousImageUri: IMAGE_V1,
        PreviousEnvironment: '{}',
      },
      tags: {},
    });
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [running] });
    changeSetsSucceed(cfn, changeSetOf);

    await provider().deploy(GRAY, { imageUri: IMAGE_V2 });

    expect(createdFor(GRAY_NAME).params).toMatchObject({ PreviousImageUri: IMAGE_V1, PreviousEnvironment: '{}' });
  });
});

describe("a deploy keeps the lane's share of untagged traffic", () => {
  const withWeight = JSON.stringify({
    ...JSON.parse(TEMPLATE),
    Parameters: { ...JSON.parse(TEMPLATE).Parameters, CanaryWeight: { Type: 'Number', Default: 0 } },
  });

  it('sends the running CanaryWeight with a new image (before: the template default, 0, took the canary away)', async () => {
    const routed = stackOf(GRAY_NAME, GRAY_ID, 'UPDATE_COMPLETE', {
      params: { ImageUri: IMAGE_V1, Environment: '{}', CanaryWeight: '25' },
      tags: {},
    });
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [routed] });
    changeSetsSucceed(cfn, changeSetOf);
    await provider(withWeight).deploy(GRAY, { imageUri: IMAGE_V2 });

    expect(createdFor(GRAY_NAME).params).toMatchObject({ ImageUri: IMAGE_V2, CanaryWeight: '25' });
  });
});
