import { awsNames } from '@lanes/core';
import { Aws } from 'aws-cdk-lib';
import { bootStackName, infraStackName } from './exports.js';
import type { PipelineKind } from './pipeline-kinds.js';

/**
 * IAM policy documents of the pipeline stacks: what each role may do, kept apart from the roles themselves (the deploy
 * role's in deploy-statements.ts).
 */

export type Statement = Record<string, unknown>;

export const doc = (...statements: Statement[]) => ({ Version: '2012-10-17', Statement: statements });
export const trust = (service: string) =>
  doc({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' });
const stackArn = (pattern: string) =>
  `arn:${Aws.PARTITION}:cloudformation:${Aws.REGION}:${Aws.ACCOUNT_ID}:stack/${pattern}/*`;
export const arn = (service: string, resource: string) =>
  `arn:${Aws.PARTITION}:${service}:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
export const laneRoles = (env: string) => `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/lanes/${env}/*`;

/**
 * The stacks each pipeline may act on, named by the name functions: its env's infra stack, its env's boot stacks,
 * or its own service's app stacks in its env. The app pipeline is also explicitly denied every boot and infra stack.
 */
export function pipelineStackStatements(kind: PipelineKind, env: string, service?: string): Statement[] {
  const own =
    kind === 'infra'
      ? infraStackName(env)
      : kind === 'boot'
        ? bootStackName('*', env)
        : namePattern((s, e, l) => awsNames(e, s, l).appStack, { env, service: service ?? '*' });
  const statements: Statement[] = [{ Effect: 'Allow', Action: 'cloudformation:*', Resource: stackArn(own) }];
  if (kind === 'app') {
    statements.push({
      Effect: 'Deny',
      Action: 'cloudformation:*',
      Resource: [stackArn(bootStackName('*', '*')), stackArn(infraStackName('*'))],
    });
  }
  return statements;
}

/**
 * A name pattern built by the name function itself (so a change of separator follows): sentinel names go in and
 * come out as the given service and env (which may be template parameters) or as `*`.
 */
export function namePattern(
  name: (service: string, env: string, lane: string) => string,
  given: { env: string; service?: string; lane?: string },
): string {
  const [service, envSentinel, lane] = ['svcxsentinel', 'envxs', 'lanexsentinel'];
  return name(service, envSentinel, lane)
    .replaceAll(service, given.service ?? '*')
    .replaceAll(lane, given.lane ?? '*')
    .replaceAll(envSentinel, given.env);
}

/** The artifact bucket and key, and the Git connection: both the build and the pipeline role use them. */
export function artifactStatements(bucketArn: string, keyArn: string, connection: string): Statement[] {
  return [
    {
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:GetBucketLocation'],
      Resource: [bucketArn, `${bucketArn}/*`],
    },
    { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'], Resource: keyArn },
    {
      Effect: 'Allow',
      Action: ['codestar-connections:UseConnection', 'codeconnections:UseConnection'],
      Resource: connection,
    },
  ];
}

/**
 * The build: its log group; for the app pipeline also what `ci/build.sh` calls for an app layer (ECR login and
 * pushes to the env's repositories, the export lookups and ALB checks). The infra and boot builds only copy their
 * template configuration, so their roles have no ECR, CloudFormation or ELB access.
 */
export function buildStatements(kind: PipelineKind, pipelineName: string, env: string): Statement[] {
  const logs: Statement = {
    Effect: 'Allow',
    Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:/aws/codebuild/${pipelineName}*`,
  };
  if (kind !== 'app') return [logs];
  return [
    logs,
    {
      Effect: 'Allow',
      Action: [
        'ecr:GetAuthorizationToken',
        'cloudformation:ListExports',
        // ci/build.sh reads the lane stack's parameters to carry the previous revision forward (rollback).
        'cloudformation:DescribeStacks',
        'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeAccountLimits',
      ],
      Resource: '*',
    },
    {
      Effect: 'Allow',
      Action: [
        'ecr:BatchCheckLayerAvailability',
        'ecr:CompleteLayerUpload',
        'ecr:InitiateLayerUpload',
        'ecr:PutImage',
        'ecr:UploadLayerPart',
        'ecr:BatchGetImage',
        'ecr:DescribeImages',
      ],
      // `{service}--{env}` (AWS_NAME_FORMS.repository): no service contains `--`, so this is the env's, no other's.
      Resource: `arn:${Aws.PARTITION}:ecr:${Aws.REGION}:${Aws.ACCOUNT_ID}:repository/*--${env}`,
    },
  ];
}
