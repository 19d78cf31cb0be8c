import { awsNames } from '@lanes/core';
import { Aws } from 'aws-cdk-lib';
import { bootStackName, infraStackName } from './exports.js';
import type { PipelineKind } from './pipeline-kinds.js';

/** IAM policy documents of the pipeline stacks: what each role may do, kept apart from the roles themselves. */

export type Statement = Record<string, unknown>;

export const doc = (...statements: Statement[]) => ({ Version: '2012-10-17', Statement: statements });
export const trust = (service: string) =>
  doc({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' });
const stackArn = (pattern: string) =>
  `arn:${Aws.PARTITION}:cloudformation:${Aws.REGION}:${Aws.ACCOUNT_ID}:stack/${pattern}/*`;
const arn = (service: string, resource: string) =>
  `arn:${Aws.PARTITION}:${service}:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
const laneRoles = (env: string) => `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/lanes/${env}/*`;

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

/**
 * Creating the service-linked role of ECS or Elastic Load Balancing, which the first cluster, load balancer or
 * target group in an account does with the caller's permissions; only for that service.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create-service-linked-role.html#service-linked-role-permissions
 */
function serviceLinkedRole(serviceName: string): Statement {
  return {
    Effect: 'Allow',
    Action: 'iam:CreateServiceLinkedRole',
    Resource: `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/${serviceName}/*`,
    Condition: { StringEquals: { 'iam:AWSServiceName': serviceName } },
  };
}

/**
 * The services each shared layer's resource types call (their CloudFormation handler permissions; iam-proof.test.ts
 * checks them): infra creates the network, cluster and namespace; boot the ALB, security groups, log group, Cloud
 * Map service and repository.
 */
const LAYER_SERVICES = {
  infra: ['ec2:*', 'ecs:*', 'servicediscovery:*', 'route53:*'],
  boot: ['ec2:*', 'elasticloadbalancing:*', 'logs:*', 'ecr:*', 'servicediscovery:*'],
} as const;

/** What CloudFormation may do when it deploys each layer's stack (the pipeline passes this role to it). */
export function deployStatements(kind: PipelineKind, env: string): Statement[] {
  if (kind === 'app') return appDeployStatements(env);
  const statements: Statement[] = [{ Effect: 'Allow', Action: [...LAYER_SERVICES[kind]], Resource: '*' }];
  if (kind === 'infra') {
    statements.push(serviceLinkedRole('ecs.amazonaws.com'), templateBucketStatement(env));
  }
  if (kind === 'boot') {
    statements.push(serviceLinkedRole('elasticloadbalancing.amazonaws.com'), {
      Effect: 'Allow',
      Action: [
        'iam:CreateRole',
        'iam:DeleteRole',
        'iam:GetRole',
        'iam:UpdateRole',
        'iam:UpdateRoleDescription',
        'iam:UpdateAssumeRolePolicy',
        'iam:PutRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:GetRolePolicy',
        'iam:ListRolePolicies',
        'iam:AttachRolePolicy',
        'iam:DetachRolePolicy',
        'iam:ListAttachedRolePolicies',
        'iam:PutRolePermissionsBoundary',
        'iam:DeleteRolePermissionsBoundary',
        'iam:TagRole',
        'iam:UntagRole',
      ],
      Resource: laneRoles(env),
    });
  }
  return statements;
}

/**
 * The infra layer's template bucket (its name is generated from the stack name, lowercased:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html): what the bucket's and
 * the bucket policy's handlers call.
 */
function templateBucketStatement(env: string): Statement {
  const bucket = `arn:${Aws.PARTITION}:s3:::${infraStackName(env)}-*`;
  return {
    Effect: 'Allow',
    Action: [
      's3:CreateBucket',
      's3:DeleteBucket*',
      's3:ListBucket',
      's3:GetBucket*',
      's3:PutBucket*',
      's3:Get*Configuration',
      's3:Put*Configuration',
      's3:PutObjectAcl',
      's3:DeleteObject',
    ],
    Resource: [bucket, `${bucket}/*`],
  };
}

/**
 * The app layer creates no IAM and no shared resource: it registers the lane's task definition, manages its ECS
 * service (in the env's cluster), target group, listener rules (created on the boot stack's listener, which is where
 * ELB authorizes CreateRule), alarms (named after the app stack) and Cloud Map service, and tags them all.
 */
function appDeployStatements(env: string): Statement[] {
  const alarms = arn('cloudwatch', `alarm:${namePattern((s, e, l) => awsNames(e, s, l).appStack, { env })}-*`);
  return [
    {
      Effect: 'Allow',
      Action: ['ecs:RegisterTaskDefinition', 'ecs:TagResource', 'ecs:UntagResource', 'ecs:ListTagsForResource'],
      Resource: arn('ecs', 'task-definition/*'),
    },
    {
      Effect: 'Allow',
      Action: ['ecs:DeregisterTaskDefinition', 'ecs:DescribeTaskDefinition'],
      Resource: '*',
    },
    {
      Effect: 'Allow',
      Action: [
        'ecs:CreateService',
        'ecs:UpdateService',
        'ecs:DeleteService',
        'ecs:DescribeServices',
        'ecs:ListServiceDeployments',
        'ecs:DescribeServiceDeployments',
        'ecs:StopServiceDeployment',
        'ecs:TagResource',
        'ecs:UntagResource',
        'ecs:ListTagsForResource',
      ],
      Resource: [arn('ecs', `service/lanes-${env}/*`), arn('ecs', `service-deployment/lanes-${env}/*`)],
    },
    {
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:CreateTargetGroup',
        'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes',
        'elasticloadbalancing:RegisterTargets',
        'elasticloadbalancing:DeregisterTargets',
        'elasticloadbalancing:AddTags',
        'elasticloadbalancing:RemoveTags',
      ],
      Resource: arn('elasticloadbalancing', 'targetgroup/*'),
    },
    {
      Effect: 'Allow',
      Action: 'elasticloadbalancing:CreateRule',
      Resource: arn('elasticloadbalancing', 'listener/app/*'),
    },
    {
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:DeleteRule',
        'elasticloadbalancing:ModifyRule',
        'elasticloadbalancing:SetRulePriorities',
        'elasticloadbalancing:AddTags',
        'elasticloadbalancing:RemoveTags',
      ],
      Resource: arn('elasticloadbalancing', 'listener-rule/app/*'),
    },
    { Effect: 'Allow', Action: ['elasticloadbalancing:Describe*', 'ec2:DescribeVpcs'], Resource: '*' },
    serviceLinkedRole('elasticloadbalancing.amazonaws.com'),
    {
      Effect: 'Allow',
      Action: [
        'cloudwatch:PutMetricAlarm',
        'cloudwatch:DeleteAlarms',
        'cloudwatch:DescribeAlarms',
        'cloudwatch:TagResource',
        'cloudwatch:UntagResource',
        'cloudwatch:ListTagsForResource',
      ],
      Resource: alarms,
    },
    {
      Effect: 'Allow',
      Action: [
        'servicediscovery:CreateService',
        'servicediscovery:DeleteService',
        'servicediscovery:GetService',
        'servicediscovery:UpdateService',
        'servicediscovery:GetServiceAttributes',
        'servicediscovery:UpdateServiceAttributes',
        'servicediscovery:DeleteServiceAttributes',
        'servicediscovery:ListServices',
        'servicediscovery:GetNamespace',
        'servicediscovery:GetOperation',
        'servicediscovery:TagResource',
        'servicediscovery:UntagResource',
        'servicediscovery:ListTagsForResource',
      ],
      Resource: '*',
    },
    { Effect: 'Allow', Action: 'iam:GetRole', Resource: laneRoles(env) },
    {
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: laneRoles(env),
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    },
  ];
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
