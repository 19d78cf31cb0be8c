import { CfnParameter, aws_codebuild as codebuild, aws_codepipeline as cp, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { suppress } from './nag.js';
import { buildStage, deployStage, sourceAction } from './pipeline-actions.js';
import { artifactStore } from './pipeline-artifacts.js';
import { artifactStatements } from './pipeline-iam.js';
import { INFRA_REPO_PATHS, type PipelineKind, pipelineDefinition } from './pipeline-kinds.js';
import { buildRole, deployRole, pipelineRole } from './pipeline-roles.js';
import { ENV_PARAMETER, SERVICE_PARAMETER, templateStackProps } from './stack-props.js';

export { pipelineStackStatements } from './pipeline-iam.js';
export { INFRA_REPO_PATHS, type PipelineKind } from './pipeline-kinds.js';

/**
 * One of the seed's pipelines as its own stack: a V2 CodePipeline with the infra repo (templates, `ci/`, `params/`)
 * and, for the app pipeline, the app repo (code, Dockerfile) as sources; a CodeBuild project that builds and pushes
 * the image and writes `cfn-params.json`; a change set on the layer's stack, then its execution.
 */
export class PipelineStack extends Stack {
  constructor(scope: Construct, id: string, kind: PipelineKind) {
    super(scope, id, templateStackProps(`Lanes ${kind} pipeline`));
    const env = new CfnParameter(this, 'Env', ENV_PARAMETER).valueAsString;
    const connection = new CfnParameter(this, 'ConnectionArn', {
      type: 'String',
      description: 'CodeConnections (CodeStar) connection to the Git host',
    }).valueAsString;
    const infraRepo = new CfnParameter(this, 'InfraRepository', { type: 'String', description: 'owner/name' });
    const infraBranch = new CfnParameter(this, 'InfraBranch', { type: 'String', default: 'main' });
    const service = kind === 'app' ? new CfnParameter(this, 'ServiceName', SERVICE_PARAMETER).valueAsString : undefined;
    const definition = pipelineDefinition(kind, env, service);

    const { key, bucket } = artifactStore(this);
    const artifacts = artifactStatements(bucket.attrArn, key.attrArn, connection);
    const deployer = deployRole(this, kind, env);
    const builder = buildRole(this, kind, artifacts, definition.name, env);
    const project = new codebuild.CfnProject(this, 'Build', {
      name: definition.name,
      serviceRole: builder.attrArn,
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
    const role = pipelineRole(this, kind, definition, {
      artifacts,
      projectArn: project.attrArn,
      deployRoleArn: deployer.attrArn,
      env,
      service,
    });

    const sources = [
      sourceAction(connection, 'InfraSource', infraRepo.valueAsString, infraBranch.valueAsString, 'InfraOut', false),
    ];
    if (kind === 'app') {
      const appRepo = new CfnParameter(this, 'AppRepository', { type: 'String', description: 'owner/name' });
      const appBranch = new CfnParameter(this, 'AppBranch', { type: 'String', default: 'main' });
      sources.push(
        sourceAction(connection, 'AppSource', appRepo.valueAsString, appBranch.valueAsString, 'AppOut', true),
      );
    }
    new cp.CfnPipeline(this, 'Pipeline', {
      name: definition.name,
      pipelineType: 'V2',
      executionMode: definition.executionMode,
      roleArn: role.attrArn,
      artifactStore: { type: 'S3', location: bucket.ref, encryptionKey: { id: key.attrArn, type: 'KMS' } },
      ...(definition.variables.length > 0 ? { variables: definition.variables } : {}),
      stages: [
        { name: 'Source', actions: sources },
        buildStage(project.ref, kind, definition, sources),
        deployStage(definition, deployer.attrArn),
      ],
    });
  }
}
