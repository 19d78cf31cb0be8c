import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import {
  awsNames,
  type IoHost,
  type LaneKey,
  LanesError,
  laneKeyString,
  type Project,
  serviceLaneProblem,
} from '@lanes/core';
import type { Clock } from './clock.js';
import type { TemplateUploadOptions } from './template-upload.js';

/** The CloudFormation templates the provider deploys (synthesized elsewhere; the provider only sends them). */
export interface AppTemplates {
  /**
   * The body (JSON or YAML) of the app stack template of `service`'s `lane`: synth writes one for the default lane
   * (`ci/templates/app-default.template.json`) and one for every other lane (`app-lane.template.json`).
   */
  app(service: string, lane: string): string;
}

/** Everything the AWS operations share. */
export interface AwsContext {
  project: Project;
  io: IoHost;
  cloudformation: CloudFormationClient;
  codepipeline: CodePipelineClient;
  templates: AppTemplates;
  /** Where templates over 51,200 bytes go; without it, deploying one fails before any change set. */
  templateUpload?: TemplateUploadOptions | undefined;
  clock: Clock;
  /** Time between two looks at a change set or a stack. */
  pollMs: number;
  /** Longest time one operation waits for CloudFormation before giving up (CloudFormation goes on). */
  timeoutMs: number;
}

/** The lane's stack name, after checking the key against the project: a name AWS refuses must never reach AWS. */
export function laneStackName(ctx: AwsContext, key: LaneKey): string {
  if (key.env !== ctx.project.env) {
    throw new LanesError(
      'ENV_MISMATCH',
      `lane ${laneKeyString(key)} is in env "${key.env}" but the project was opened for env "${ctx.project.env}"; open it with --env ${key.env}`,
      'user',
    );
  }
  const problem = serviceLaneProblem(ctx.project, key.service, key.lane);
  if (problem) throw new LanesError('NAME_INVALID', problem, 'user');
  return awsNames(key.env, key.service, key.lane).appStack;
}

/** The moment after which an operation that started at `started` gives up waiting. */
export function deadlineOf(ctx: AwsContext, started: number): number {
  return started + ctx.timeoutMs;
}
