import { Aws } from 'aws-cdk-lib';
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

/** The stacks each pipeline may act on; the app pipeline is also explicitly denied the other layers. */
export function pipelineStackStatements(kind: PipelineKind): Statement[] {
  const own = { infra: 'infra-environment-*', boot: 'boot-*', app: 'app-*' }[kind];
  const statements: Statement[] = [{ Effect: 'Allow', Action: 'cloudformation:*', Resource: stackArn(own) }];
  if (kind === 'app') {
    statements.push({
      Effect: 'Deny',
      Action: 'cloudformation:*',
      Resource: [stackArn('boot-*'), stackArn('infra-environment-*')],
    });
  }
  return statements;
}

/** What CloudFormation may do when it deploys each layer's stack (the pipeline passes this role to it). */
export function deployStatements(kind: PipelineKind, env: string): Statement[] {
  if (kind === 'app') return appDeployStatements(env);
  const common: Statement[] = [
    {
      Effect: 'Allow',
      Action: ['ec2:*', 'ecs:*', 'servicediscovery:*', 'route53:*', 'elasticloadbalancing:*', 'logs:*', 'ecr:*'],
      Resource: '*',
    },
  ];
  if (kind === 'boot') {
    common.push({
      Effect: 'Allow',
      Action: [
        'iam:CreateRole',
        'iam:DeleteRole',
        'iam:GetRole',
        'iam:UpdateRole',
        'iam:PutRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:GetRolePolicy',
        'iam:TagRole',
        'iam:UpdateAssumeRolePolicy',
      ],
      Resource: laneRoles(env),
    });
  }
  return common;
}

/** The app layer creates no IAM: it registers tasks, manages its ECS service, rules, alarms and Cloud Map service. */
function appDeployStatements(env: string): Statement[] {
  return [
    {
      Effect: 'Allow',
      Action: ['ecs:RegisterTaskDefinition', 'ecs:DeregisterTaskDefinition', 'ecs:DescribeTaskDefinition'],
      Resource: '*',
    },
    {
      Effect: 'Allow',
      Action: [
        'ecs:CreateService',
        'ecs:UpdateService',
        'ecs:DeleteService',
        'ecs:DescribeServices',
        'ecs:TagResource',
      ],
      Resource: arn('ecs', `service/lanes-${env}/*`),
    },
    {
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:CreateTargetGroup',
        'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes',
        'elasticloadbalancing:CreateRule',
        'elasticloadbalancing:DeleteRule',
        'elasticloadbalancing:ModifyRule',
        'elasticloadbalancing:SetRulePriorities',
        'elasticloadbalancing:AddTags',
      ],
      Resource: [arn('elasticloadbalancing', 'targetgroup/*'), arn('elasticloadbalancing', 'listener-rule/app/*')],
    },
    { Effect: 'Allow', Action: 'elasticloadbalancing:Describe*', Resource: '*' },
    {
      Effect: 'Allow',
      Action: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarms'],
      Resource: arn('cloudwatch', 'alarm:app-*'),
    },
    {
      Effect: 'Allow',
      Action: [
        'servicediscovery:CreateService',
        'servicediscovery:DeleteService',
        'servicediscovery:GetService',
        'servicediscovery:UpdateService',
        'servicediscovery:TagResource',
      ],
      Resource: '*',
    },
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

/** The build: its log group, ECR login and pushes to the env's repositories, the ALB checks of `ci/build.sh`. */
export function buildStatements(pipelineName: string, env: string): Statement[] {
  return [
    {
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:/aws/codebuild/${pipelineName}*`,
    },
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
