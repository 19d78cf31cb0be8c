import { fileURLToPath } from 'node:url';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ListChangeSetsCommand,
  type Stack,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  type AppTemplates,
  AWS_STACK_TAGS,
  AwsLaneProvider,
  laneParameters,
  MAX_TEMPLATE_BODY_BYTES,
  synthesizeAppTemplates,
} from '@lanes/aws';
import { awsNames, type LaneKey, type LanesEvent, loadProject, type Project } from '@lanes/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MotoServer, motoClientConfig, startMotoServer } from './support/moto-server.js';

/**
 * The AWS provider against moto_server (moto's AWS API emulator, started here on a free loopback port): the real
 * SDK v3 clients over HTTP, CloudFormation's change set call sequence, and assertions on what the emulator then
 * holds (DescribeStacks status, parameters and tags, stack events), not on mocks.
 *
 * What moto 5.2.1 cannot do, and how this test deals with it (the product's templates are never bent to suit it):
 * - A stack made by a CREATE change set gets no exports to import from (moto builds it without the region's
 *   exports), so the product's app templates, which Fn::ImportValue the infra and boot stacks' outputs, fail to
 *   execute ("No export named infra-environment-dev-VpcId found"); moto also cannot run the infra template at all
 *   (it has no AWS::ServiceDiscovery::PrivateDnsNamespace and no Fn::Cidr, which the subnets use). The provider
 *   is therefore given a minimal template of this test's own (`laneTemplate`): the product's app template
 *   Parameters block, exactly, so the provider sends exactly the parameters it would, and one SSM parameter holding
 *   the image, so a new image is a real resource change.
 * - moto answers an UPDATE change set whose TemplateBody is byte-identical to the stack's, with unchanged
 *   parameters, with UpdateStack's error ("No updates are to be performed.") from CreateChangeSet, where
 *   CloudFormation creates the change set and fails it ("The submitted information didn't contain changes...").
 *   moto gives CloudFormation's answer when the same template arrives in other bytes, so `laneTemplate` renders
 *   the same JSON with alternating indentation on each call.
 * - moto ignores the Tags of an UPDATE change set (it keeps the stack's tags from its creation), so a rollback's
 *   `lanes:previous-image` is recorded the way a CloudFormation deploy action with a template configuration does
 *   it: UpdateStack with Tags (moto applies those).
 * - moto completes every stack operation within the request, so a stack is never in progress on its own. The busy
 *   case holds a stack in CREATE_IN_PROGRESS with a custom resource whose Lambda never answers (moto cannot run
 *   Lambda without Docker), and this test then answers for it through moto's cfn-response endpoint.
 * - moto only ever fails a change set for having no changes, and runs no rollbacks, so a refused change set, a
 *   failed execution and ROLLBACK_COMPLETE stay with aws-sdk-client-mock
 *   (packages/lanes-aws/src/deploy/aws-lane-provider.test.ts), as does StartPipelineExecution, which moto lacks.
 */

const SHOP = fileURLToPath(new URL('../examples/shop/', import.meta.url));
const IMAGE = (tag: string) => `123456789012.dkr.ecr.us-east-1.amazonaws.com/cart:${tag}`;

let moto: MotoServer;
let cloudformation: CloudFormationClient;
let codepipeline: CodePipelineClient;
let s3: S3Client;
let project: Project;
/** The Parameters blocks of the product's app templates (default lane, other lanes), as the provider gets them. */
let productParameters: { default: unknown; lane: unknown };
const events: LanesEvent[] = [];
let renders = 0;

/** See the header: the product's Parameters, one resource that changes with the image, in alternating bytes. */
function laneTemplate(lane: string, padding = 0): string {
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'lanes moto test: the Parameters of the product app template, one resource holding the image',
    ...(padding > 0 ? { Metadata: { Padding: 'x'.repeat(padding) } } : {}),
    Parameters: lane === 'default' ? productParameters.default : productParameters.lane,
    Resources: { Image: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: { Ref: 'ImageUri' } } } },
  };
  renders += 1;
  return JSON.stringify(template, null, renders % 2 === 0 ? 2 : 1);
}

const templates: AppTemplates = { app: (_service, lane) => laneTemplate(lane) };

function provider(options: { templates?: AppTemplates; bucket?: string } = {}): AwsLaneProvider {
  return new AwsLaneProvider({
    project,
    io: { notify: (event) => events.push(event) },
    clients: { cloudformation, codepipeline },
    templates: options.templates ?? templates,
    ...(options.bucket
      ? {
          templateUpload: {
            bucket: options.bucket,
            uploader: { putObject: (input) => s3.send(new PutObjectCommand(input)) },
          },
        }
      : {}),
    pollMs: 20,
    timeoutMs: 60_000,
  });
}

function key(service: string, lane: string): LaneKey {
  return { env: project.env, service, lane };
}

async function describe1(nameOrId: string): Promise<Stack> {
  const out = await cloudformation.send(new DescribeStacksCommand({ StackName: nameOrId }));
  const stack = out.Stacks?.[0];
  if (!stack) throw new Error(`no stack ${nameOrId}`);
  return stack;
}

/**
 * The stack's parameters. moto shows a CommaDelimitedList's value as a Python list (`['1', '2']`) where
 * CloudFormation shows what was sent (`1,2`); such values are given back in CloudFormation's form.
 */
function params(stack: Stack): Record<string, string | undefined> {
  const plain = (value: string | undefined) =>
    value && /^\[.*\]$/.test(value) ? value.slice(1, -1).replace(/'|\s/g, '') : value;
  return Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey, plain(p.ParameterValue)]));
}

function tags(stack: Stack): Record<string, string | undefined> {
  return Object.fromEntries((stack.Tags ?? []).map((t) => [t.Key, t.Value]));
}

/** The parameters the provider must have sent: the library's lane parameters the template declares. */
function expectedParameters(service: string, lane: string, image: string): Record<string, string> {
  const declared = new Set(Object.keys(JSON.parse(laneTemplate(lane)).Parameters));
  return Object.fromEntries(
    Object.entries(laneParameters(project, service, lane, image)).filter(([name]) => declared.has(name)),
  );
}

async function stackEventStatuses(stackId: string): Promise<string[]> {
  const out = await cloudformation.send(new DescribeStackEventsCommand({ StackName: stackId }));
  return (out.StackEvents ?? [])
    .filter((e) => e.LogicalResourceId === e.StackName)
    .map((e) => e.ResourceStatus ?? '')
    .reverse();
}

async function changeSetsOf(stackId: string) {
  const out = await cloudformation.send(new ListChangeSetsCommand({ StackName: stackId }));
  return (out.Summaries ?? []).filter((s) => s.StackId === stackId);
}

function laneEvents(lane: LaneKey, code: string): LanesEvent[] {
  const name = `${lane.env}/${lane.service}/${lane.lane}`;
  return events.filter((e) => e.code === code && e.lane === name);
}

/** A setup failure (a missing tool, above all) fails every test, loudly: these checks are never skipped. */
let setupError: unknown;

beforeAll(async () => {
  try {
    moto = await startMotoServer();
    const config = motoClientConfig(moto);
    cloudformation = new CloudFormationClient(config);
    codepipeline = new CodePipelineClient(config);
    s3 = new S3Client({ ...config, forcePathStyle: true });
    project = await loadProject(SHOP);
    const product = await synthesizeAppTemplates(project);
    const parametersOf = (lane: string) =>
      (JSON.parse(product.app('cart', lane, {})) as { Parameters: unknown }).Parameters;
    productParameters = { default: parametersOf('default'), lane: parametersOf('gray') };
  } catch (error) {
    setupError = error;
  }
}, 120_000);

beforeEach(() => {
  if (setupError) throw setupError;
});

afterAll(async () => {
  cloudformation?.destroy();
  codepipeline?.destroy();
  s3?.destroy();
  await moto?.stop();
});

// Each case makes a few dozen HTTP calls to the emulator: generous on a busy 2-core machine.
describe('AwsLaneProvider against moto_server', { timeout: 90_000 }, () => {
  it('creates a lane, finds nothing to do on a redeploy, and updates it to a new image', async () => {
    const gray = key('cart', 'gray');
    const stackName = awsNames(project.env, 'cart', 'gray').appStack;
    const aws = provider();

    const created = await aws.deploy(gray, { imageUri: IMAGE('v1'), label: 'v1' });
    expect(created).toMatchObject({ type: 'deployed', stack: stackName, changeSetType: 'CREATE', image: IMAGE('v1') });
    if (created.type !== 'deployed') throw new Error(created.type);
    expect(created.previousImage).toBeUndefined();
    let stack = await describe1(stackName);
    expect(stack.StackId).toBe(created.stackId);
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    expect(params(stack)).toMatchObject(expectedParameters('cart', 'gray', IMAGE('v1')));
    expect(tags(stack)).toMatchObject({ [AWS_STACK_TAGS.image]: IMAGE('v1'), [AWS_STACK_TAGS.label]: 'v1' });
    const history = await stackEventStatuses(created.stackId);
    expect([history[0], history.at(-1)]).toEqual(['REVIEW_IN_PROGRESS', 'CREATE_COMPLETE']);
    expect(history).toContain('CREATE_IN_PROGRESS');
    // The provider reported the stack's events as they came, the final one included (moto records no resource
    // events for a change set's execution, only the stack's own).
    const reported = laneEvents(gray, 'STACK_EVENT').map((e) => `${e.data?.logicalId} ${e.data?.status}`);
    expect(reported).toContain(`${stackName} CREATE_COMPLETE`);
    expect(laneEvents(gray, 'CHANGE_SET_CREATED')).toHaveLength(1);

    const again = await aws.deploy(gray, { imageUri: IMAGE('v1'), label: 'v1' });
    expect(again).toMatchObject({ type: 'no-change', stack: stackName });
    stack = await describe1(stackName);
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    expect(params(stack).ImageUri).toBe(IMAGE('v1'));
    // The empty change set was deleted again; only the one that created the stack is left.
    expect((await changeSetsOf(created.stackId)).map((c) => c.ExecutionStatus)).toEqual(['EXECUTE_COMPLETE']);
    expect(laneEvents(gray, 'CHANGE_SET_EMPTY')).toHaveLength(1);

    const updated = await aws.deploy(gray, { imageUri: IMAGE('v2'), label: 'v2' });
    expect(updated).toMatchObject({
      type: 'deployed',
      changeSetType: 'UPDATE',
      stackId: created.stackId,
      image: IMAGE('v2'),
      previousImage: IMAGE('v1'),
    });
    stack = await describe1(stackName);
    expect(stack.StackStatus).toBe('UPDATE_COMPLETE');
    expect(params(stack)).toMatchObject(expectedParameters('cart', 'gray', IMAGE('v2')));
    expect((await stackEventStatuses(created.stackId)).slice(-2)).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE']);
    // What the update asked CloudFormation to record (moto keeps it on the change set, not on the stack).
    const changeSet = laneEvents(gray, 'CHANGE_SET_CREATED').at(-1)?.data?.changeSet as string;
    const ran = await cloudformation.send(
      new DescribeChangeSetCommand({ StackName: created.stackId, ChangeSetName: changeSet }),
    );
    expect(ran.ExecutionStatus).toBe('EXECUTE_COMPLETE');
    expect(ran.Parameters?.find((p) => p.ParameterKey === 'ImageUri')?.ParameterValue).toBe(IMAGE('v2'));

    const rows = await aws.status();
    expect(rows.find((r) => r.stack === stackName)).toMatchObject({ status: 'UPDATE_COMPLETE', image: IMAGE('v2') });
  });

  it('rolls a lane back to the image its stack records as previous, and says so when there is none', async () => {
    const lane = key('cart', 'rb');
    const stackName = awsNames(project.env, 'cart', 'rb').appStack;
    const aws = provider();
    const first = await aws.deploy(lane, { imageUri: IMAGE('v1') });
    expect(first.type).toBe('deployed');
    expect(await aws.rollback(lane)).toMatchObject({ type: 'no-previous' });
    expect(params(await describe1(stackName)).ImageUri).toBe(IMAGE('v1'));

    // A deploy of v2 outside this provider (see the header: moto drops an UPDATE change set's tags).
    await cloudformation.send(
      new UpdateStackCommand({
        StackName: stackName,
        UsePreviousTemplate: true,
        Parameters: Object.entries(expectedParameters('cart', 'rb', IMAGE('v2'))).map(([k, v]) => ({
          ParameterKey: k,
          ParameterValue: v,
        })),
        Tags: [
          { Key: AWS_STACK_TAGS.image, Value: IMAGE('v2') },
          { Key: AWS_STACK_TAGS.previousImage, Value: IMAGE('v1') },
        ],
      }),
    );
    expect(params(await describe1(stackName)).ImageUri).toBe(IMAGE('v2'));

    const back = await aws.rollback(lane);
    expect(back).toMatchObject({
      type: 'deployed',
      changeSetType: 'UPDATE',
      image: IMAGE('v1'),
      previousImage: IMAGE('v2'),
    });
    const stack = await describe1(stackName);
    expect(stack.StackStatus).toBe('UPDATE_COMPLETE');
    expect(params(stack).ImageUri).toBe(IMAGE('v1'));
  });

  it('answers busy for every operation on a lane whose stack is still in progress, and goes on once it is done', async () => {
    const lane = key('cart', 'held');
    const stackName = awsNames(project.env, 'cart', 'held').appStack;
    const aws = provider();
    // A function for the custom resource to call; moto cannot run it, so the resource waits for an answer.
    await cloudformation.send(
      new CreateStackCommand({
        StackName: 'moto-test-hold-function',
        TemplateBody: JSON.stringify(HOLD_FUNCTION),
        Capabilities: ['CAPABILITY_IAM'],
      }),
    );
    const functionArn = (await describe1('moto-test-hold-function')).Outputs?.[0]?.OutputValue;
    expect(functionArn).toMatch(/^arn:aws:lambda:/);
    const held = await cloudformation.send(
      new CreateStackCommand({
        StackName: stackName,
        TemplateBody: JSON.stringify({
          Resources: { Hold: { Type: 'Custom::Hold', Properties: { ServiceToken: functionArn } } },
        }),
      }),
    );
    const stackId = held.StackId ?? '';
    expect((await describe1(stackName)).StackStatus).toBe('CREATE_IN_PROGRESS');

    const busy = { type: 'busy', stack: stackName, stackStatus: 'CREATE_IN_PROGRESS' };
    expect(await aws.deploy(lane, { imageUri: IMAGE('v1') })).toMatchObject(busy);
    expect(await aws.rollback(lane)).toMatchObject(busy);
    expect(await aws.delete(lane)).toMatchObject(busy);
    expect(await aws.promote(lane)).toMatchObject(busy);
    expect((await describe1(stackName)).StackStatus).toBe('CREATE_IN_PROGRESS');
    expect(await changeSetsOf(stackId)).toEqual([]);
    expect((await aws.status()).find((r) => r.stack === stackName)).toBeUndefined(); // not a lane stack yet

    // The custom resource's answer, as its function would send it; the stack completes.
    const answer = await fetch(
      `${moto.endpoint}/cloudformation_us-east-1/cfnresponse?stack=${encodeURIComponent(stackId)}`,
      {
        method: 'PUT',
        body: JSON.stringify({ Status: 'SUCCESS', StackId: stackId, LogicalResourceId: 'Hold', Data: {} }),
      },
    );
    expect(answer.status).toBe(200);
    expect((await describe1(stackName)).StackStatus).toBe('CREATE_COMPLETE');

    const deployed = await aws.deploy(lane, { imageUri: IMAGE('v1') });
    expect(deployed).toMatchObject({ type: 'deployed', changeSetType: 'UPDATE', stackId });
    expect(params(await describe1(stackName)).ImageUri).toBe(IMAGE('v1'));
  });

  it('deletes a lane by stack id and waits until it is gone; the default lane and a missing lane are answered', async () => {
    const lane = key('cart', 'tmp');
    const stackName = awsNames(project.env, 'cart', 'tmp').appStack;
    const aws = provider();
    const deployed = await aws.deploy(lane, { imageUri: IMAGE('v1') });
    if (deployed.type !== 'deployed') throw new Error(deployed.type);

    expect(await aws.delete(lane)).toMatchObject({ type: 'deleted', stack: stackName });
    await expect(describe1(stackName)).rejects.toThrow(/does not exist/);
    expect((await describe1(deployed.stackId)).StackStatus).toBe('DELETE_COMPLETE');
    expect((await stackEventStatuses(deployed.stackId)).slice(-2)).toEqual(['DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);
    expect(await aws.delete(lane)).toMatchObject({ type: 'not-found', stack: stackName });
    expect(await aws.delete(key('cart', 'default'))).toMatchObject({ type: 'refused', reason: 'default-lane' });
  });

  it('promotes a lane: the default lane gets its image, then the lane is deleted', async () => {
    const blue = key('shop', 'blue');
    const names = {
      blue: awsNames(project.env, 'shop', 'blue'),
      main: awsNames(project.env, 'shop', 'default'),
    };
    const aws = provider();
    const deployed = await aws.deploy(blue, { imageUri: IMAGE('v3'), label: 'v3' });
    if (deployed.type !== 'deployed') throw new Error(deployed.type);

    expect(await aws.promote(blue)).toMatchObject({ type: 'promoted', image: IMAGE('v3'), defaultUpdate: 'deployed' });
    const main = await describe1(names.main.appStack);
    expect(main.StackStatus).toBe('CREATE_COMPLETE');
    expect(params(main)).toMatchObject(expectedParameters('shop', 'default', IMAGE('v3')));
    expect(params(main).Lane).toBeUndefined();
    await expect(describe1(names.blue.appStack)).rejects.toThrow(/does not exist/);
    expect((await describe1(deployed.stackId)).StackStatus).toBe('DELETE_COMPLETE');
    expect(await aws.promote(blue)).toMatchObject({ type: 'not-found' });
  });

  it('sends a template over the inline limit through S3 and deploys it by URL', async () => {
    const bucket = 'lanes-moto-test-templates';
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const big: AppTemplates = { app: (_service, lane) => laneTemplate(lane, MAX_TEMPLATE_BODY_BYTES) };
    const lane = key('cart', 'big');
    const stackName = awsNames(project.env, 'cart', 'big').appStack;

    const deployed = await provider({ templates: big, bucket }).deploy(lane, { imageUri: IMAGE('v1') });
    expect(deployed).toMatchObject({ type: 'deployed', changeSetType: 'CREATE' });
    expect((await describe1(stackName)).StackStatus).toBe('CREATE_COMPLETE');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (listed.Contents ?? []).map((o) => o.Key);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toContain(stackName);
    const url = laneEvents(lane, 'CHANGE_SET_CREATED').at(-1)?.data?.templateUrl;
    expect(url).toBe(`https://${bucket}.s3.us-east-1.amazonaws.com/${keys[0]}`);
  });
});

/** A Lambda function moto registers but cannot invoke (no Docker): the custom resource never gets its answer. */
const HOLD_FUNCTION = {
  Resources: {
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
      },
    },
    Function: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Runtime: 'python3.12',
        Handler: 'index.handler',
        Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
        Code: { ZipFile: 'def handler(event, context):\n    return None\n' },
      },
    },
  },
  Outputs: { FunctionArn: { Value: { 'Fn::GetAtt': ['Function', 'Arn'] } } },
};
