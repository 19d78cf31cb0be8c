import { randomUUID } from 'node:crypto';
import { StartPipelineExecutionCommand } from '@aws-sdk/client-codepipeline';
import { awsNames, LanesError, serviceLaneProblem } from '@lanes/core';
import { type AwsContext, callOptions } from './context.js';
import { notify } from './deploy-events.js';
import type { PipelineStartResult } from './results.js';

export interface PipelineStartRequest {
  service: string;
  env: string;
  lane: string;
  /** The app repository's branch to build (the pipeline's `BRANCH` variable). */
  branch: string;
}

/** CodePipeline takes any non-empty variable value; a branch is checked for what git itself refuses. */
const BAD_BRANCH = /(^[-/.])|([/.]$)|\.\.|[\s~^:?*[\\]|@\{/;

/**
 * Starts a run of the app pipeline `{service}--{env}` with the variables `LANE` and `BRANCH` (a V2 pipeline in
 * PARALLEL mode, so lanes do not supersede one another; its service is fixed, not a variable). Returns the
 * execution id.
 */
export async function startPipeline(ctx: AwsContext, request: PipelineStartRequest): Promise<PipelineStartResult> {
  const { service, env, lane, branch } = request;
  const problem = serviceLaneProblem({ ...ctx.project, env }, service, lane);
  if (problem) throw new LanesError('LANES_NAME_INVALID', problem, 'user');
  if (branch === '' || BAD_BRANCH.test(branch)) {
    throw new LanesError('AWS_BRANCH_INVALID', `invalid branch name ${JSON.stringify(branch)}`, 'user');
  }
  const pipeline = awsNames(env, service, lane).appPipeline;
  const variables = [
    { name: 'LANE', value: lane },
    { name: 'BRANCH', value: branch },
  ];
  try {
    const out = await ctx.codepipeline.send(
      new StartPipelineExecutionCommand({ name: pipeline, variables, clientRequestToken: randomUUID() }),
      callOptions(ctx),
    );
    const executionId = out.pipelineExecutionId ?? '';
    notify(ctx, 'PIPELINE_STARTED', `pipeline ${pipeline} started for lane ${lane} from ${branch}: ${executionId}`, {
      lane: `${env}/${service}/${lane}`,
      data: { pipeline, executionId, variables },
    });
    return { type: 'started', pipeline, executionId };
  } catch (error) {
    if (error instanceof Error && error.name === 'PipelineNotFoundException') {
      return { type: 'not-found', pipeline, message: `there is no pipeline ${pipeline}; deploy the pipelines first` };
    }
    throw error;
  }
}
