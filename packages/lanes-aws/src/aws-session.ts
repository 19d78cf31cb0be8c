import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, type CloudFormationClientConfig } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { IoHost, Project } from '@lanes/core';
import { AwsLaneProvider, type AwsLaneProviderOptions } from './deploy/aws-lane-provider.js';
import type { AppTemplates } from './deploy/context.js';
import { specializeTemplate } from './synth/lane-revision.js';
import { synthesize } from './synth/synthesize.js';

/**
 * The app templates of a project, synthesized now from its files (the same ones `lanes synth` writes), with a
 * revision's environment written in as `ci/build.sh` does, so a deploy from the command line uses exactly what the
 * pipeline would.
 */
export async function synthesizeAppTemplates(project: Project): Promise<AppTemplates> {
  const outDir = await mkdtemp(join(tmpdir(), 'lanes-synth-'));
  try {
    await synthesize(project, { outDir });
    const read = (name: string) => readFile(join(outDir, 'ci', 'templates', name), 'utf8');
    const [defaultLane, otherLane] = await Promise.all([
      read('app-default.template.json'),
      read('app-lane.template.json'),
    ]);
    return {
      app: (service, lane, environment) =>
        specializeTemplate(lane === 'default' ? defaultLane : otherLane, environment, `lane ${service}/${lane}`),
    };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** How the provider's AWS clients reach AWS. */
export interface AwsSessionOptions {
  /** @default AWS_REGION or the profile's region, as the AWS CLI finds it */
  region?: string | undefined;
  /** Another endpoint for every client (a local emulator). @default AWS's regional endpoints */
  endpoint?: string | undefined;
  /** @default the SDK's default chain (env, profile, SSO, container/instance role) */
  credentials?: CloudFormationClientConfig['credentials'];
  /** Longest time one HTTP request may take before it is abandoned (and retried). @default 20_000 */
  requestTimeoutMs?: number | undefined;
  /** Longest time to open a connection. @default 5_000 */
  connectionTimeoutMs?: number | undefined;
  /** Attempts per call, the first one included, with exponential backoff and jitter in between. @default 4 */
  maxAttempts?: number | undefined;
}

/** The defaults of `AwsSessionOptions`, documented in docs/aws.md ("Timeouts and retries"). */
export const AWS_CLIENT_DEFAULTS = {
  requestTimeoutMs: 20_000,
  connectionTimeoutMs: 5_000,
  maxAttempts: 4,
} as const;

/**
 * The configuration every client gets: a request and a connection timeout (the SDK has none by default, so a
 * stalled endpoint would hang forever), and the SDK's `standard` retry mode (exponential backoff with jitter, for
 * throttling, 5xx and timeouts) with `maxAttempts` attempts.
 */
export function awsClientConfig(options: AwsSessionOptions = {}) {
  return {
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    retryMode: 'standard',
    maxAttempts: options.maxAttempts ?? AWS_CLIENT_DEFAULTS.maxAttempts,
    requestHandler: {
      requestTimeout: options.requestTimeoutMs ?? AWS_CLIENT_DEFAULTS.requestTimeoutMs,
      connectionTimeout: options.connectionTimeoutMs ?? AWS_CLIENT_DEFAULTS.connectionTimeoutMs,
      // Without it a request over requestTimeout only logs a warning and goes on waiting.
      throwOnRequestTimeout: true,
    },
  };
}

/** The clients of one session, all configured by `awsClientConfig`. */
export function createAwsClients(options: AwsSessionOptions = {}) {
  const config = awsClientConfig(options);
  return {
    cloudformation: new CloudFormationClient(config),
    codepipeline: new CodePipelineClient(config),
    cloudwatch: new CloudWatchClient(config),
    s3: new S3Client(config),
  };
}

/**
 * Everything an AWS provider for the project needs, with the SDK's default credential chain and region
 * (AWS_REGION, profile, ...), as the AWS CLI finds them, and the timeouts and retries of `awsClientConfig`.
 */
export async function awsProviderOptions(
  project: Project,
  io: IoHost,
  options?: string | AwsSessionOptions,
): Promise<AwsLaneProviderOptions & { clients: { cloudwatch: CloudWatchClient } }> {
  const settings = typeof options === 'string' ? { region: options } : (options ?? {});
  const { cloudformation, codepipeline, cloudwatch, s3 } = createAwsClients(settings);
  return {
    project,
    io,
    clients: { cloudformation, codepipeline, cloudwatch },
    templates: await synthesizeAppTemplates(project),
    // Templates over the inline limit go to the infra stack's template bucket (docs/aws.md, "Large templates").
    templateUpload: { uploader: { putObject: (input) => s3.send(new PutObjectCommand(input)) } },
  };
}

/** An AWS provider for the project (see `awsProviderOptions`). */
export async function openAwsProvider(
  project: Project,
  io: IoHost,
  options?: string | AwsSessionOptions,
): Promise<AwsLaneProvider> {
  return new AwsLaneProvider(await awsProviderOptions(project, io, options));
}
