import { aws_iam as iam } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { deployStatements } from './deploy-statements.js';
import { suppress } from './nag.js';
import { buildStatements, doc, pipelineStackStatements, type Statement, trust } from './pipeline-iam.js';
import type { PipelineDefinition, PipelineKind } from './pipeline-kinds.js';

/** The three roles of a pipeline stack, each with the cdk-nag finding it accepts and why. */

/** The role CloudFormation deploys the layer with (the pipeline passes it). */
export function deployRole(scope: Construct, kind: PipelineKind, env: string): iam.CfnRole {
  const role = new iam.CfnRole(scope, 'DeployRole', {
    assumeRolePolicyDocument: trust('cloudformation.amazonaws.com'),
    description: `CloudFormation deploys the ${kind} layer with this role`,
    policies: [{ policyName: 'deploy', policyDocument: doc(...deployStatements(kind, env)) }],
  });
  suppress(
    role,
    'AwsSolutions-IAM5',
    kind === 'app'
      ? 'Deregister/DescribeTaskDefinition, elasticloadbalancing:Describe* and ec2:DescribeVpcs have no resource-level permissions; task definitions, target groups, listener rules and Cloud Map services have generated names or ids; the rest is scoped to the env cluster, the app stacks alarms and roles /lanes/{env}/ (iam-proof.test.ts).'
      : 'The infra and boot layers create VPCs, ALBs and namespaces whose ARNs do not exist before the deploy; only the platform team runs these pipelines (iam-proof.test.ts).',
  );
  return role;
}

/** The CodeBuild project's role. */
export function buildRole(
  scope: Construct,
  kind: PipelineKind,
  artifacts: Statement[],
  pipelineName: string,
  env: string,
): iam.CfnRole {
  const role = new iam.CfnRole(scope, 'BuildRole', {
    assumeRolePolicyDocument: trust('codebuild.amazonaws.com'),
    policies: [{ policyName: 'build', policyDocument: doc(...artifacts, ...buildStatements(kind, pipelineName, env)) }],
  });
  suppress(
    role,
    'AwsSolutions-IAM5',
    kind === 'app'
      ? 'ECR login, export lookup and ALB rule/quota checks have no resource-level permissions; pushes go to the env repositories only; artifact objects are addressed by key.'
      : 'Artifact objects are addressed by key and the build log streams are created per build, inside its own log group.',
  );
  return role;
}

/** The pipeline's own role: artifacts, the build project, its layer's stacks, and passing the deploy role. */
export function pipelineRole(
  scope: Construct,
  kind: PipelineKind,
  definition: PipelineDefinition,
  refs: {
    artifacts: Statement[];
    projectArn: string;
    deployRoleArn: string;
    env: string;
    service?: string | undefined;
  },
): iam.CfnRole {
  const role = new iam.CfnRole(scope, 'PipelineRole', {
    assumeRolePolicyDocument: trust('codepipeline.amazonaws.com'),
    policies: [
      {
        policyName: 'pipeline',
        policyDocument: doc(
          ...refs.artifacts,
          { Effect: 'Allow', Action: ['codebuild:StartBuild', 'codebuild:BatchGetBuilds'], Resource: refs.projectArn },
          ...pipelineStackStatements(kind, refs.env, refs.service),
          {
            Effect: 'Allow',
            Action: 'iam:PassRole',
            Resource: refs.deployRoleArn,
            Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
          },
        ),
      },
    ],
  });
  suppress(role, 'AwsSolutions-IAM5', definition.stackWildcardReason);
  return role;
}
