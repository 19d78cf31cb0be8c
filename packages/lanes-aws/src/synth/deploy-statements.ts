import { awsNames } from '@lanes/core';
import { Aws } from 'aws-cdk-lib';
import { infraStackName } from './exports.js';
import { arn, laneRoles, namePattern, type Statement } from './pipeline-iam.js';
import type { PipelineKind } from './pipeline-kinds.js';

/** The deploy role's policy: what CloudFormation may do when it deploys each layer's stack. */

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
