import type { aws_codepipeline as cp } from 'aws-cdk-lib';
import type { PipelineDefinition } from './pipeline-kinds.js';

/** The stages every pipeline shares: dual source, one CodeBuild build, a change set and its execution. */

export interface SourceAction {
  name: string;
  actionTypeId: { category: string; owner: string; provider: string; version: string };
  configuration: Record<string, unknown>;
  outputArtifacts: { name: string }[];
  runOrder: number;
}

/** A Git repository through CodeConnections; the app repo is a full clone so `ci/build.sh` can check out BRANCH. */
export function sourceAction(
  connection: string,
  name: string,
  repo: string,
  branch: string,
  artifact: string,
  cloneRef: boolean,
): SourceAction {
  return {
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
  };
}

/**
 * The build stage: `LAYER`, the pinned values and the run's variables reach `ci/build.sh`, which exports
 * `TEMPLATE`. Pinned values are plain values, so no run can change them.
 */
export function buildStage(
  project: string,
  layer: string,
  definition: PipelineDefinition,
  sources: SourceAction[],
): cp.CfnPipeline.StageDeclarationProperty {
  const buildVariables: { name: string; value: string; type: string }[] = [
    { name: 'LAYER', value: layer, type: 'PLAINTEXT' },
  ];
  for (const [name, value] of Object.entries(definition.pinned))
    buildVariables.push({ name, value, type: 'PLAINTEXT' });
  for (const v of definition.variables)
    buildVariables.push({ name: v.name, value: `#{variables.${v.name}}`, type: 'PLAINTEXT' });
  return {
    name: 'Build',
    actions: [
      {
        name: 'Build',
        namespace: 'BuildVariables',
        actionTypeId: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' },
        configuration: {
          ProjectName: project,
          PrimarySource: 'InfraOut',
          EnvironmentVariables: JSON.stringify(buildVariables),
        },
        inputArtifacts: sources.map((s) => ({ name: s.outputArtifacts[0]?.name ?? '' })),
        outputArtifacts: [{ name: 'BuildOut' }],
        runOrder: 1,
      },
    ],
  };
}

/** The deploy stage: a change set on the layer's stack from the template `ci/build.sh` chose, then its execution. */
export function deployStage(
  definition: PipelineDefinition,
  deployRoleArn: string,
): cp.CfnPipeline.StageDeclarationProperty {
  const deployAction = (name: string, runOrder: number, extra: Record<string, unknown>) => ({
    name,
    actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'CloudFormation', version: '1' },
    configuration: {
      StackName: definition.stackName,
      ChangeSetName: 'lanes-#{codepipeline.PipelineExecutionId}',
      ...extra,
    },
    runOrder,
  });
  return {
    name: 'Deploy',
    actions: [
      {
        ...deployAction('CreateChangeSet', 1, {
          ActionMode: 'CHANGE_SET_REPLACE',
          RoleArn: deployRoleArn,
          // ci/build.sh copies ci/templates/#{BuildVariables.TEMPLATE}.template.json here (an app lane's with its env).
          TemplatePath: 'BuildOut::template.json',
          TemplateConfiguration: 'BuildOut::cfn-params.json',
          ...definition.capabilities,
        }),
        inputArtifacts: [{ name: 'InfraOut' }, { name: 'BuildOut' }],
      },
      deployAction('ExecuteChangeSet', 2, { ActionMode: 'CHANGE_SET_EXECUTE' }),
    ],
  };
}
