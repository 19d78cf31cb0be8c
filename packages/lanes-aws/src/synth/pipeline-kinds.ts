import { AWS_NAME_FORMS as names } from '@lanes/core';
import type { aws_codepipeline as cp } from 'aws-cdk-lib';

/**
 * Which of the seed's three pipelines: `infra-{env}`, `boot-{env}` (variable SERVICE) or `{service}--{env}` (variables
 * LANE and BRANCH; its service is fixed).
 */
export type PipelineKind = 'infra' | 'boot' | 'app';

/** Folders of the infra repo that the pipelines read. */
export const INFRA_REPO_PATHS = {
  templates: 'ci/templates',
  config: 'ci/config',
  buildspec: 'ci/buildspec.yaml',
} as const;

/** What differs between the three pipelines; everything else they share (see `PipelineStack`). */
export interface PipelineDefinition {
  /** `infra-{env}`, `boot-{env}` or `{service}--{env}` (`AWS_NAME_FORMS`). */
  name: string;
  /** The stack the deploy stage changes, from the run's variables. */
  stackName: string;
  /** What a run may choose (`StartPipelineExecution` variables). */
  variables: cp.CfnPipeline.VariableDeclarationProperty[];
  /**
   * What a run may not choose: fixed environment variables of the build action. The app pipeline of one service
   * must never build its code into another service's stacks, so its SERVICE is pinned here, not a variable.
   */
  pinned: Record<string, string>;
  /** PARALLEL lets lanes deploy side by side; the shared layers queue. */
  executionMode: 'PARALLEL' | 'QUEUED';
  /** The infra and boot layers create IAM roles; app stacks create none. */
  capabilities: Record<string, string>;
  /** Why the pipeline role names stacks by a wildcard (the cdk-nag suppression's reason). */
  stackWildcardReason: string;
}

const wildcardReason = (prefix: string) =>
  `The pipeline manages every stack of its layer (stack/${prefix}-*), whose names come from the run's variables; artifact objects are addressed by key.`;

/** The boot run's `SERVICE` variable and the app run's `LANE` variable, where stack names take them. */
const SERVICE_VARIABLE = '#{variables.SERVICE}';
const LANE_VARIABLE = '#{variables.LANE}';

/** The app pipeline's run variables; `startPipeline` (deploy/pipeline.ts) sends exactly these. */
export const APP_PIPELINE_VARIABLES = ['LANE', 'BRANCH'] as const;

/** The definition of one pipeline; `service` is the app pipeline's `ServiceName` parameter. */
export function pipelineDefinition(kind: PipelineKind, env: string, service: string | undefined): PipelineDefinition {
  switch (kind) {
    case 'infra':
      return {
        name: names.infraPipeline(env),
        stackName: names.infraStack(env),
        variables: [],
        pinned: { ENV: env },
        executionMode: 'QUEUED',
        capabilities: { Capabilities: 'CAPABILITY_IAM' },
        stackWildcardReason: wildcardReason('infra-environment'),
      };
    case 'boot':
      return {
        name: names.bootPipeline(env),
        stackName: names.bootStack(env, SERVICE_VARIABLE),
        variables: [{ name: 'SERVICE', description: 'Service whose boot stack to deploy' }],
        pinned: { ENV: env },
        executionMode: 'QUEUED',
        capabilities: { Capabilities: 'CAPABILITY_IAM' },
        stackWildcardReason: wildcardReason('boot'),
      };
    case 'app': {
      if (service === undefined) throw new Error('the app pipeline needs its service');
      return {
        name: names.appPipeline(env, service),
        stackName: names.appStack(env, service, LANE_VARIABLE),
        variables: [
          { name: 'LANE', defaultValue: 'default', description: 'Lane to deploy (lowercase DNS label)' },
          { name: 'BRANCH', defaultValue: 'main', description: 'Branch of the app repo to build' },
        ],
        pinned: { ENV: env, SERVICE: service },
        executionMode: 'PARALLEL',
        capabilities: {},
        stackWildcardReason: wildcardReason('app'),
      };
    }
  }
}
