import { type Deployment, typesOfArn } from './deployment.js';
import { actionInfo } from './reference-data.js';
import type { Requirement } from './requirements.js';

/**
 * What the CodeBuild project's role and the pipeline's role must be allowed. The build's AWS calls are read from the
 * generated `ci/build.sh` itself; the rest are the permissions AWS documents for each pipeline action type.
 */

/** AWS CLI service names whose IAM prefix differs. */
const CLI_SERVICES: Record<string, string> = { elbv2: 'elasticloadbalancing' };
/** CLI commands that are not one API operation. `get-login-password` calls GetAuthorizationToken. */
const CLI_COMMANDS: Record<string, string> = { 'ecr get-login-password': 'ecr:GetAuthorizationToken' };

/** Every `aws <service> <command>` that `ci/build.sh` runs, as IAM actions. */
export function buildScriptActions(script: string): string[] {
  const actions = new Set<string>();
  for (const match of script.matchAll(/\baws ([a-z0-9-]+) ([a-z0-9-]+)/g)) {
    const [, service, command] = match as unknown as [string, string, string];
    const special = CLI_COMMANDS[`${service} ${command}`];
    const pascal = command.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
    actions.add(special ?? `${CLI_SERVICES[service] ?? service}:${pascal}`);
  }
  return [...actions].sort();
}

/**
 * The sample deployment's ARNs of the action's resource types (`*` when it has none); `stacks` are the stacks the
 * pipeline deploys, which no layer template holds as a resource.
 */
function placed(deployment: Deployment, action: string, layers: string[], stacks: string[] = []): string[] {
  const info = actionInfo(action);
  if (info.type === 'unknown') throw new Error(`${action} is not in the Service Authorization Reference`);
  if (info.resourceTypes.length === 0) return ['*'];
  const arns = deployment.resources
    .filter((r) => layers.includes(r.layer))
    .flatMap((r) => r.arns)
    .concat(stacks)
    .filter((arn) => typesOfArn(arn).some((t) => info.resourceTypes.includes(t)));
  if (arns.length === 0)
    throw new Error(`${action}: no resource of ${info.resourceTypes.join(', ')} in ${layers.join(', ')}`);
  return [...new Set(arns)];
}

export interface PipelineSample {
  deployment: Deployment;
  /** The pipeline stack's layer name in the deployment. */
  pipelineLayer: string;
  connectionArn: string;
  /** The CloudFormation stacks the deploy stage changes (from the pipeline's StackName and sample variables). */
  stackArns: string[];
}

function resourceOf(sample: PipelineSample, type: string): { arns: string[]; logicalId: string } {
  const found = sample.deployment.resources.find((r) => r.layer === sample.pipelineLayer && r.type === type);
  if (!found) throw new Error(`no ${type} in ${sample.pipelineLayer}`);
  return found;
}

function artifactRequirements(sample: PipelineSample, why: string, write: boolean): Requirement[] {
  const bucket = resourceOf(sample, 'AWS::S3::Bucket').arns[0] as string;
  const key = resourceOf(sample, 'AWS::KMS::Key').arns[0] as string;
  const object = `${bucket}/${sample.pipelineLayer}/BuildOut/abc123`;
  const objectActions = ['s3:GetObject', 's3:GetObjectVersion', ...(write ? ['s3:PutObject'] : [])];
  return [
    ...objectActions.map((action) => ({ action, resource: object, why })),
    { action: 's3:GetBucketLocation', resource: bucket, why },
    { action: 'kms:Decrypt', resource: key, why },
    ...(write ? [{ action: 'kms:GenerateDataKey', resource: key, why }] : []),
  ];
}

/**
 * The CodeBuild role: its logs and the artifacts; for an app build (`appLayers`, the layers whose resources the
 * build reads or pushes to) also the full clone of the app repo through the connection, every AWS call of
 * `ci/build.sh`, and the ECR push of `docker push`.
 * https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodestarConnectionSource.html
 */
export function buildRoleRequirements(
  sample: PipelineSample,
  buildScript: string,
  appLayers: string[] | undefined,
): Requirement[] {
  const { partition, region, account } = sample.deployment.account;
  const project = resourceOf(sample, 'AWS::CodeBuild::Project').arns[0]?.replace(/^.*:project\//, '') ?? '';
  const logGroup = `arn:${partition}:logs:${region}:${account}:log-group:/aws/codebuild/${project}`;
  const why = (what: string) => `${sample.pipelineLayer} CodeBuild role: ${what}`;
  const out: Requirement[] = [
    { action: 'logs:CreateLogGroup', resource: logGroup, why: why('build logs') },
    { action: 'logs:CreateLogStream', resource: `${logGroup}:log-stream:0a1b2c3d`, why: why('build logs') },
    { action: 'logs:PutLogEvents', resource: `${logGroup}:log-stream:0a1b2c3d`, why: why('build logs') },
    ...artifactRequirements(sample, why('input and output artifacts'), true),
  ];
  // The infra and boot builds (appLayers undefined) make no AWS call; iam-proof.test.ts runs ci/build.sh to show it.
  if (appLayers === undefined) return out;
  const connectionService = sample.connectionArn.split(':')[2] ?? '';
  out.push({ action: `${connectionService}:UseConnection`, resource: sample.connectionArn, why: why('full clone') });
  for (const action of buildScriptActions(buildScript)) {
    for (const resource of placed(sample.deployment, action, appLayers, sample.stackArns))
      out.push({ action, resource, why: why('ci/build.sh') });
  }
  if (/docker push/.test(buildScript)) {
    for (const action of [
      'ecr:GetAuthorizationToken',
      'ecr:BatchCheckLayerAvailability',
      'ecr:InitiateLayerUpload',
      'ecr:UploadLayerPart',
      'ecr:CompleteLayerUpload',
      'ecr:PutImage',
    ]) {
      for (const resource of placed(sample.deployment, action, appLayers))
        out.push({ action, resource, why: why('docker push') });
    }
  }
  return out;
}

/**
 * The pipeline role: the two sources, the artifacts, the build project, the change set actions on the layer's
 * stacks, and passing the deploy role to CloudFormation.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeBuild.html
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodestarConnectionSource.html
 */
export function pipelineRoleRequirements(sample: PipelineSample): Requirement[] {
  const why = (what: string) => `${sample.pipelineLayer} pipeline role: ${what}`;
  const project = resourceOf(sample, 'AWS::CodeBuild::Project').arns[0] as string;
  const deployRole = sample.deployment.resources.find(
    (r) => r.layer === sample.pipelineLayer && r.logicalId === 'DeployRole',
  )?.arns[0];
  if (!deployRole) throw new Error(`${sample.pipelineLayer}: no DeployRole`);
  const connectionService = sample.connectionArn.split(':')[2] ?? '';
  const out: Requirement[] = [
    { action: `${connectionService}:UseConnection`, resource: sample.connectionArn, why: why('source actions') },
    ...artifactRequirements(sample, why('artifacts'), true),
    { action: 'codebuild:StartBuild', resource: project, why: why('CodeBuild action') },
    { action: 'codebuild:BatchGetBuilds', resource: project, why: why('CodeBuild action') },
    {
      action: 'iam:PassRole',
      resource: deployRole,
      context: { 'iam:PassedToService': 'cloudformation.amazonaws.com' },
      why: why('CloudFormation action RoleArn'),
    },
  ];
  for (const stack of sample.stackArns) {
    for (const action of [
      'cloudformation:DescribeStacks',
      'cloudformation:CreateChangeSet',
      'cloudformation:DescribeChangeSet',
      'cloudformation:DeleteChangeSet',
      'cloudformation:ExecuteChangeSet',
    ]) {
      out.push({ action, resource: stack, why: why('CloudFormation change set actions') });
    }
  }
  return out;
}
