// Shared fixtures of the AWS deploy tests (not shipped: excluded in tsconfig.json and package.json "files"). Nothing
// here mocks a client on import: each test file mocks CloudFormation itself and passes its mock in.
import {
  CloudFormationClient,
  CloudFormationServiceException,
  CreateChangeSetCommand,
  type CreateChangeSetCommandInput,
  DescribeChangeSetCommand,
  type DescribeChangeSetCommandOutput,
  DescribeStackEventsCommand,
  ExecuteChangeSetCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import type { LaneKey, LanesEvent, Project, ServiceModel } from '@lanes/core';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { AwsLaneProvider, type AwsLaneProviderOptions } from './aws-lane-provider.js';
import type { Clock } from './clock.js';

export const GRAY: LaneKey = { env: 'dev', service: 'shop', lane: 'gray' };
export const IMAGE_V1 = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:v1';
export const IMAGE_V2 = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:v2';
export const CS_ID = 'arn:aws:cloudformation:eu-west-1:123456789012:changeSet/lanes-x/3333';

/** The id CloudFormation gives stack `name` (`n` tells two stacks apart). */
export const stackArn = (name: string, n: string) => `arn:aws:cloudformation:eu-west-1:123456789012:stack/${name}/${n}`;

/** An app template with the revision `parameters` and the task definition container that takes the environment. */
export function revisionTemplate(parameters: Record<string, object>): string {
  return JSON.stringify({
    Parameters: parameters,
    Resources: {
      TaskDefinition: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          ContainerDefinitions: [
            { Name: 'app', Image: { Ref: 'ImageUri' }, Environment: [{ Name: 'LANES_LANE', Value: { Ref: 'Lane' } }] },
          ],
        },
      },
    },
  });
}

/** The service `shop` as `parseProject` fills it in (cwd `/p`), with `overrides`; `run` is merged key by key. */
export function shopService(
  overrides: Omit<Partial<ServiceModel>, 'run'> & { run?: Partial<ServiceModel['run']> } = {},
): ServiceModel {
  const { run, ...rest } = overrides;
  return {
    name: 'shop',
    route: { pathPrefix: '/', hosts: [] },
    run: { command: ['node', 'server.js'], cwd: '/p', env: {}, portEnv: 'PORT', ...run },
    healthCheck: { path: '/healthz', intervalMs: 1000, timeoutMs: 1000, healthyThreshold: 1, unhealthyThreshold: 2 },
    replicas: 1,
    startTimeoutMs: 15000,
    drainMs: 300,
    maxStartFailures: 3,
    whenLaneDown: 'fallback',
    passiveHealth: { consecutiveFailures: 3, ejectMs: 10_000 },
    crashLoop: {
      maxRestarts: 5,
      windowMs: 120_000,
      initialBackoffMs: 1000,
      maxBackoffMs: 30_000,
      onLoop: 'mark-unhealthy',
    },
    lanes: {},
    params: {},
    ...rest,
  };
}

/** Project `p` in `/p`, env `dev`, with the service `shop` unless `overrides` say otherwise; `gateway` is merged. */
export function shopProject(
  overrides: Omit<Partial<Project>, 'gateway'> & { gateway?: Partial<Project['gateway']> } = {},
): Project {
  const { gateway, ...rest } = overrides;
  return {
    dir: '/p',
    file: '/p/lanes.json',
    name: 'p',
    env: 'dev',
    stateDir: '/p/.lanes',
    gateway: { host: '127.0.0.1', port: 8080, adminPort: 9901, carriers: ['tracestate'], ...gateway },
    services: { shop: shopService() },
    ...rest,
  };
}

/** A clock whose `sleep` only moves `time` forward, then calls `onSleep` (a test may set it). */
export interface FakeClock extends Clock {
  time: number;
  onSleep: () => void;
}

export function fakeClock(start: number): FakeClock {
  const clock: FakeClock = {
    time: start,
    onSleep: () => undefined,
    now: () => clock.time,
    sleep: async (ms) => {
      clock.time += ms;
      clock.onSleep();
    },
  };
  return clock;
}

/** SDK clients in eu-west-1, for a test that mocks them at the SDK's edge. */
export const testClients = () => ({
  cloudformation: new CloudFormationClient({ region: 'eu-west-1' }),
  codepipeline: new CodePipelineClient({ region: 'eu-west-1' }),
});

/** A provider on `testClients()` that pushes its events into `events` (or drops them); `extra` overrides any option. */
export function providerFor(
  project: Project,
  templates: AwsLaneProviderOptions['templates'],
  clock: Clock,
  { events, ...extra }: Partial<AwsLaneProviderOptions> & { events?: LanesEvent[] } = {},
): AwsLaneProvider {
  return new AwsLaneProvider({
    project,
    io: { notify: events ? (event) => events.push(event) : () => undefined },
    clients: testClients(),
    templates,
    clock,
    ...extra,
  });
}

/** A stack as DescribeStacks answers it; Parameters and Tags from plain records, each only when given. */
export function stackOf(
  name: string,
  id: string,
  status: string,
  {
    params,
    tags,
    created = new Date(0),
    ...extra
  }: { params?: Record<string, string>; tags?: Record<string, string>; created?: Date } & Partial<Stack> = {},
): Stack {
  return {
    StackName: name,
    StackId: id,
    StackStatus: status as Stack['StackStatus'],
    CreationTime: created,
    ...(params
      ? {
          Parameters: Object.entries(params).map(([ParameterKey, ParameterValue]) => ({
            ParameterKey,
            ParameterValue,
          })),
        }
      : {}),
    ...(tags ? { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } : {}),
    ...extra,
  };
}

/** An error as CloudFormation's SDK client throws it for an answer `name`, `message`. */
export function cfnError(
  name: string,
  message: string,
  $metadata: CloudFormationServiceException['$metadata'] = { httpStatusCode: 400 },
): CloudFormationServiceException {
  return new CloudFormationServiceException({ name, $fault: 'client', $metadata, message });
}

/** What DescribeStacks throws for a stack that does not exist. */
export const stackMissing = (name: string, $metadata?: CloudFormationServiceException['$metadata']) =>
  cfnError('ValidationError', `Stack with id ${name} does not exist`, $metadata);

/**
 * Every change set goes through: CreateChangeSet answers `created(input)`, DescribeChangeSet finds it `ready` at once,
 * ExecuteChangeSet succeeds, and the stacks report no events.
 */
export function changeSetsSucceed(
  cfn: AwsClientStub<CloudFormationClient>,
  created: (input: CreateChangeSetCommandInput) => { Id: string; StackId: string },
  ready: Partial<DescribeChangeSetCommandOutput> = { Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE' },
): void {
  cfn.on(CreateChangeSetCommand).callsFake(created);
  cfn.on(DescribeChangeSetCommand).resolves(ready);
  cfn.on(ExecuteChangeSetCommand).resolves({});
  cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
}
