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
   * (`ci/templates/app-default.template.json`) and one for every other lane (`app-lane.template.json`), with the
   * revision's `environment` written into the task definition's container (`specializeTemplate`), as
   * `ci/build.sh` does in the pipeline. CloudFormation cannot turn a parameter into container variables.
   */
  app(service: string, lane: string, environment: Record<string, string>): string;
  /**
   * The stack policy of the lane's stack, applied with SetStackPolicy when the stack is created and whenever it
   * differs from the stack's (change sets take no policy). @default none: the app templates need none today
   */
  stackPolicy?(service: string, lane: string): object | undefined;
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
  /** Aborts the operation's waits and calls (Ctrl-C); CloudFormation goes on with what it already started. */
  signal?: AbortSignal | undefined;
  /** What the operation has started on AWS so far, for the report when it is interrupted. */
  progress: OperationProgress;
}

/** What one operation has started on AWS, updated as it goes. */
export interface OperationProgress {
  /** The lane (`env/service/lane`) the operation works on now. */
  lane?: string;
  stack?: string;
  stackId?: string | undefined;
  /** A change set created and not executed yet: deleted again when the operation is interrupted. */
  pendingChangeSet?: { id: string; name: string; stackId: string } | undefined;
  /** What CloudFormation was asked to run (it goes on without us): an executed change set or a stack deletion. */
  running?: { action: 'execute' | 'delete'; changeSet?: string } | undefined;
}

/** The options every call to AWS gets: the operation's abort signal. */
export function callOptions(ctx: AwsContext): { abortSignal?: AbortSignal } {
  return ctx.signal ? { abortSignal: ctx.signal } : {};
}

/** Waits `ms` between two looks at CloudFormation, or less when the operation is aborted (then it throws). */
export async function pause(ctx: AwsContext, ms: number): Promise<void> {
  ctx.signal?.throwIfAborted();
  await ctx.clock.sleep(ms, ctx.signal);
  ctx.signal?.throwIfAborted();
}

/** The lane's stack name, after checking the key against the project: a name AWS refuses must never reach AWS. */
export function laneStackName(ctx: AwsContext, key: LaneKey): string {
  if (key.env !== ctx.project.env) {
    throw new LanesError(
      'AWS_ENV_MISMATCH',
      `lane ${laneKeyString(key)} is in env "${key.env}" but the project was opened for env "${ctx.project.env}"; open it with --env ${key.env}`,
      'user',
    );
  }
  const problem = serviceLaneProblem(ctx.project, key.service, key.lane);
  if (problem) throw new LanesError('LANES_NAME_INVALID', problem, 'user');
  return awsNames(key.env, key.service, key.lane).appStack;
}

/** The moment after which an operation that started at `started` gives up waiting. */
export function deadlineOf(ctx: AwsContext, started: number): number {
  return started + ctx.timeoutMs;
}
