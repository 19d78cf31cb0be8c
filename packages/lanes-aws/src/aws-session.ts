import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { IoHost, Project } from '@lanes/core';
import { AwsLaneProvider, type AwsLaneProviderOptions } from './deploy/aws-lane-provider.js';
import type { AppTemplates } from './deploy/context.js';
import { synthesize } from './synth/synthesize.js';

/**
 * The app templates of a project, synthesized now from its files (the same ones `lanes synth` writes), so a deploy
 * from the command line uses exactly what the pipeline would.
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
    return { app: (_service, lane) => (lane === 'default' ? defaultLane : otherLane) };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/**
 * Everything an AWS provider for the project needs, with the SDK's default credential chain and region
 * (AWS_REGION, profile, ...), as the AWS CLI finds them.
 */
export async function awsProviderOptions(
  project: Project,
  io: IoHost,
  region?: string,
): Promise<AwsLaneProviderOptions & { clients: { cloudwatch: CloudWatchClient } }> {
  const config = region ? { region } : {};
  const s3 = new S3Client(config);
  return {
    project,
    io,
    clients: {
      cloudformation: new CloudFormationClient(config),
      codepipeline: new CodePipelineClient(config),
      cloudwatch: new CloudWatchClient(config),
    },
    templates: await synthesizeAppTemplates(project),
    // Templates over the inline limit go to the infra stack's template bucket (docs/aws.md, "Large templates").
    templateUpload: { uploader: { putObject: (input) => s3.send(new PutObjectCommand(input)) } },
  };
}

/** An AWS provider for the project (see `awsProviderOptions`). */
export async function openAwsProvider(project: Project, io: IoHost, region?: string): Promise<AwsLaneProvider> {
  return new AwsLaneProvider(await awsProviderOptions(project, io, region));
}
