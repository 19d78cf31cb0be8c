import {
  Aws,
  CfnParameter,
  aws_codebuild as codebuild,
  aws_codepipeline as cp,
  aws_iam as iam,
  aws_kms as kms,
  Stack,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { suppress } from './nag.js';
import { ENV_PATTERN, SERVICE_PATTERN, templateStackProps } from './stack-props.js';

/** Which of the seed's three pipelines: `infra-{env}`, `boot-{env}` (SERVICE) or `{service}-{env}` (SERVICE, LANE, BRANCH). */
export type PipelineKind = 'infra' | 'boot' | 'app';

/** Folders of the infra repo that the pipelines read. */
export const INFRA_REPO_PATHS = {
  templates: 'ci/templates',
  config: 'ci/config',
  buildspec: 'ci/buildspec.yaml',
} as const;

const DOC_VERSION = '2012-10-17';
type Statement = Record<string, unknown>;
const doc = (...statements: Statement[]) => ({ Version: DOC_VERSION, Statement: statements });
const trust = (service: string) => doc({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' });
const stackArn = (pattern: string) =>
  `arn:${Aws.PARTITION}:cloudformation:${Aws.REGION}:${Aws.ACCOUNT_ID}:stack/${pattern}/*`;

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
function deployStatements(kind: PipelineKind, env: string): Statement[] {
  const arn = (service: string, resource: string) =>
    `arn:${Aws.PARTITION}:${service}:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
  const passTaskRoles = {
    Effect: 'Allow',
    Action: 'iam:PassRole',
    Resource: `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/lanes/${env}/*`,
    Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
  };
  if (kind === 'app') {
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
      passTaskRoles,
    ];
  }
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
      Resource: `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/lanes/${env}/*`,
    });
  }
  return common;
}

/**
 * One of the seed's pipelines as its own stack: a V2 CodePipeline with the infra repo (templates, `ci/`, `params/`)
 * and, for the app pipeline, the app repo (code, Dockerfile) as sources; a CodeBuild project that builds and pushes
 * the image and writes `cfn-params.json`; a change set on the layer's stack, then its execution.
 */
export class PipelineStack extends Stack {
  constructor(scope: Construct, id: string, kind: PipelineKind) {
    super(scope, id, templateStackProps(`Lanes ${kind} pipeline`));
    const env = new CfnParameter(this, 'Env', { type: 'String', allowedPattern: ENV_PATTERN }).valueAsString;
    const connection = new CfnParameter(this, 'ConnectionArn', {
      type: 'String',
      description: 'CodeConnections (CodeStar) connection to the Git host',
    }).valueAsString;
    const infraRepo = new CfnParameter(this, 'InfraRepository', { type: 'String', description: 'owner/name' });
    const infraBranch = new CfnParameter(this, 'InfraBranch', { type: 'String', default: 'main' });
    const service =
      kind === 'app'
        ? new CfnParameter(this, 'ServiceName', { type: 'String', allowedPattern: SERVICE_PATTERN }).valueAsString
        : undefined;

    const key = new kms.CfnKey(this, 'ArtifactKey', {
      enableKeyRotation: true,
      description: 'Lanes pipeline artifacts',
      keyPolicy: doc({
        Effect: 'Allow',
        Principal: { AWS: `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:root` },
        Action: 'kms:*',
        Resource: '*',
      }),
    });
    const bucket = new s3.CfnBucket(this, 'ArtifactBucket', {
      bucketEncryption: {
        serverSideEncryptionConfiguration: [
          { serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.attrArn } },
        ],
      },
      publicAccessBlockConfiguration: {
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      lifecycleConfiguration: { rules: [{ status: 'Enabled', expirationInDays: 30 }] },
    });
    suppress(bucket, 'AwsSolutions-S1', 'Pipeline artifacts expire after 30 days; CloudTrail records who read them.');
    new s3.CfnBucketPolicy(this, 'ArtifactBucketPolicy', {
      bucket: bucket.ref,
      policyDocument: doc({
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [bucket.attrArn, `${bucket.attrArn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    });
    const artifactAccess: Statement[] = [
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:GetBucketLocation'],
        Resource: [bucket.attrArn, `${bucket.attrArn}/*`],
      },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'], Resource: key.attrArn },
      {
        Effect: 'Allow',
        Action: ['codestar-connections:UseConnection', 'codeconnections:UseConnection'],
        Resource: connection,
      },
    ];

    const pipelineName = kind === 'app' ? `${service}-${env}` : `${kind}-${env}`;
    const deployRole = new iam.CfnRole(this, 'DeployRole', {
      assumeRolePolicyDocument: trust('cloudformation.amazonaws.com'),
      description: `CloudFormation deploys the ${kind} layer with this role`,
      policies: [{ policyName: 'deploy', policyDocument: doc(...deployStatements(kind, env)) }],
    });
    suppress(
      deployRole,
      'AwsSolutions-IAM5',
      kind === 'app'
        ? 'RegisterTaskDefinition, elasticloadbalancing:Describe* and Cloud Map service creation have no resource-level permissions; the rest is scoped to the env cluster, alarms app-* and roles /lanes/{env}/.'
        : 'The infra and boot layers create VPCs, ALBs and namespaces whose ARNs do not exist before the deploy; only the platform team runs these pipelines.',
    );

    const buildRole = new iam.CfnRole(this, 'BuildRole', {
      assumeRolePolicyDocument: trust('codebuild.amazonaws.com'),
      policies: [
        {
          policyName: 'build',
          policyDocument: doc(
            ...artifactAccess,
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
              Resource: `arn:${Aws.PARTITION}:ecr:${Aws.REGION}:${Aws.ACCOUNT_ID}:repository/*-${env}`,
            },
          ),
        },
      ],
    });
    suppress(
      buildRole,
      'AwsSolutions-IAM5',
      'ECR login, export lookup and ALB rule/quota checks have no resource-level permissions; pushes go to the env repositories only; artifact objects are addressed by key.',
    );
    const project = new codebuild.CfnProject(this, 'Build', {
      name: pipelineName,
      serviceRole: buildRole.attrArn,
      encryptionKey: key.attrArn,
      source: { type: 'CODEPIPELINE', buildSpec: INFRA_REPO_PATHS.buildspec },
      artifacts: { type: 'CODEPIPELINE' },
      environment: {
        type: 'LINUX_CONTAINER',
        computeType: 'BUILD_GENERAL1_SMALL',
        image: 'aws/codebuild/standard:7.0',
        privilegedMode: true,
        environmentVariables: [{ name: 'ENV', value: env }],
      },
      logsConfig: { cloudWatchLogs: { status: 'ENABLED' } },
    });
    suppress(project, 'AwsSolutions-CB3', 'Privileged mode runs the Docker daemon that builds the service image.');

    const pipelineRole = new iam.CfnRole(this, 'PipelineRole', {
      assumeRolePolicyDocument: trust('codepipeline.amazonaws.com'),
      policies: [
        {
          policyName: 'pipeline',
          policyDocument: doc(
            ...artifactAccess,
            {
              Effect: 'Allow',
              Action: ['codebuild:StartBuild', 'codebuild:BatchGetBuilds'],
              Resource: project.attrArn,
            },
            ...pipelineStackStatements(kind),
            {
              Effect: 'Allow',
              Action: 'iam:PassRole',
              Resource: deployRole.attrArn,
              Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
            },
          ),
        },
      ],
    });
    suppress(
      pipelineRole,
      'AwsSolutions-IAM5',
      `The pipeline manages every stack of its layer (stack/${kind === 'app' ? 'app' : kind === 'boot' ? 'boot' : 'infra-environment'}-*), whose names come from the run's variables; artifact objects are addressed by key.`,
    );

    const source = (name: string, repo: string, branch: string, artifact: string, cloneRef: boolean) => ({
      name,
      actionTypeId: { category: 'Source', owner: 'AWS', provider: 'CodeStarSourceConnection', version: '1' },
      configuration: {
        ConnectionArn: connection,
        FullRepositoryId: repo,
        BranchName: branch,
        DetectChanges: false,
        ...(cloneRef ? { OutputArtifactFormat: 'CODEBUILD_CLONE_REF' } : {}),
      },
      outputArtifacts: [{ name: artifact }],
      runOrder: 1,
    });
    const sources = [source('InfraSource', infraRepo.valueAsString, infraBranch.valueAsString, 'InfraOut', false)];
    const variables: cp.CfnPipeline.VariableDeclarationProperty[] = [];
    if (kind === 'app') {
      const appRepo = new CfnParameter(this, 'AppRepository', { type: 'String', description: 'owner/name' });
      const appBranch = new CfnParameter(this, 'AppBranch', { type: 'String', default: 'main' });
      sources.push(source('AppSource', appRepo.valueAsString, appBranch.valueAsString, 'AppOut', true));
      variables.push(
        { name: 'SERVICE', defaultValue: service ?? '', description: 'Service to deploy' },
        { name: 'LANE', defaultValue: 'default', description: 'Lane to deploy (lowercase DNS label)' },
        { name: 'BRANCH', defaultValue: 'main', description: 'Branch of the app repo to build' },
      );
    } else if (kind === 'boot') {
      variables.push({ name: 'SERVICE', description: 'Service whose boot stack to deploy' });
    }
    const buildVariables: { name: string; value: string; type: string }[] = [
      { name: 'LAYER', value: kind, type: 'PLAINTEXT' },
    ];
    for (const v of variables)
      buildVariables.push({ name: v.name, value: `#{variables.${v.name}}`, type: 'PLAINTEXT' });
    const stackName = {
      infra: `infra-environment-${env}`,
      boot: `boot-#{variables.SERVICE}-${env}`,
      app: `app-#{variables.SERVICE}-${env}-#{variables.LANE}`,
    }[kind];
    const deployAction = (name: string, runOrder: number, extra: Record<string, unknown>) => ({
      name,
      actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'CloudFormation', version: '1' },
      configuration: { StackName: stackName, ChangeSetName: 'lanes-#{codepipeline.PipelineExecutionId}', ...extra },
      runOrder,
    });

    new cp.CfnPipeline(this, 'Pipeline', {
      name: pipelineName,
      pipelineType: 'V2',
      executionMode: kind === 'app' ? 'PARALLEL' : 'QUEUED',
      roleArn: pipelineRole.attrArn,
      artifactStore: { type: 'S3', location: bucket.ref, encryptionKey: { id: key.attrArn, type: 'KMS' } },
      ...(variables.length > 0 ? { variables } : {}),
      stages: [
        { name: 'Source', actions: sources },
        {
          name: 'Build',
          actions: [
            {
              name: 'Build',
              namespace: 'BuildVariables',
              actionTypeId: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' },
              configuration: {
                ProjectName: project.ref,
                PrimarySource: 'InfraOut',
                EnvironmentVariables: JSON.stringify(buildVariables),
              },
              inputArtifacts: sources.map((s) => ({ name: s.outputArtifacts[0]?.name ?? '' })),
              outputArtifacts: [{ name: 'BuildOut' }],
              runOrder: 1,
            },
          ],
        },
        {
          name: 'Deploy',
          actions: [
            {
              ...deployAction('CreateChangeSet', 1, {
                ActionMode: 'CHANGE_SET_REPLACE',
                RoleArn: deployRole.attrArn,
                TemplatePath: `InfraOut::${INFRA_REPO_PATHS.templates}/#{BuildVariables.TEMPLATE}.template.json`,
                TemplateConfiguration: 'BuildOut::cfn-params.json',
                ...(kind === 'app' ? {} : { Capabilities: 'CAPABILITY_IAM' }),
              }),
              inputArtifacts: [{ name: 'InfraOut' }, { name: 'BuildOut' }],
            },
            deployAction('ExecuteChangeSet', 2, { ActionMode: 'CHANGE_SET_EXECUTE' }),
          ],
        },
      ],
    });
  }
}
