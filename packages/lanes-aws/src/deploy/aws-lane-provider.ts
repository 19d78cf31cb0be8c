import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import type { IoHost, LaneKey, Project } from '@lanes/core';
import { endpointOf, toLanesError } from '../aws-errors.js';
import { type Clock, systemClock } from './clock.js';
import type { AppTemplates, AwsContext } from './context.js';
import { deleteStack } from './delete-stack.js';
import { type AwsDeployRequest, deployStack } from './deploy-stack.js';
import { interruptedError, isAbort } from './interrupted.js';
import { type PipelineStartRequest, startPipeline } from './pipeline.js';
import { promoteStack } from './promote-stack.js';
import type {
  AwsDeleteResult,
  AwsDeployResult,
  AwsLaneStatus,
  AwsPromoteResult,
  AwsRollbackResult,
  PipelineStartResult,
} from './results.js';
import { rollbackStack } from './rollback-stack.js';
import { listLaneStacks } from './stack-status.js';
import type { TemplateUploadOptions } from './template-upload.js';

export interface AwsLaneProviderOptions {
  project: Project;
  io: IoHost;
  clients: { cloudformation: CloudFormationClient; codepipeline: CodePipelineClient };
  templates: AppTemplates;
  /**
   * Uploads app templates over CloudFormation's 51,200-byte inline limit to S3 and deploys them by `TemplateURL`.
   * @default none: such a template fails to deploy with `AWS_TEMPLATE_TOO_LARGE`, before any change set
   */
  templateUpload?: TemplateUploadOptions;
  /** Time between two looks at a change set or stack. @default 5000 */
  pollMs?: number;
  /** Longest wait for one operation; CloudFormation goes on after it, the command stops. @default 3_600_000 (1 h) */
  timeoutMs?: number;
  /** @default the system clock */
  clock?: Clock;
}

/** Options of one provider call. */
export interface AwsOperationOptions {
  /**
   * Stops waiting (Ctrl-C): an unexecuted change set is deleted; what CloudFormation already runs goes on, and the
   * call rejects with `AWS_INTERRUPTED` saying where it stands and how to watch it. @default none
   */
  signal?: AbortSignal | undefined;
}

/**
 * The lanes model on AWS: each lane is the CloudFormation stack `app-{service}-{env}-{lane}`, changed only
 * through change sets, with stack events reported through the IoHost as they happen (`STACK_EVENT`). Expected
 * outcomes (busy, no change, failed, refused) are results; errors AWS answers that the user can fix (credentials,
 * region, access, quotas, an endpoint that does not answer) reject with a one-line `LanesError` of fault `user`;
 * anything else is a bug and rejects as it is.
 */
export class AwsLaneProvider {
  private readonly ctx: Omit<AwsContext, 'progress'>;

  constructor(options: AwsLaneProviderOptions) {
    this.ctx = {
      project: options.project,
      io: options.io,
      cloudformation: options.clients.cloudformation,
      codepipeline: options.clients.codepipeline,
      templates: options.templates,
      templateUpload: options.templateUpload,
      clock: options.clock ?? systemClock,
      pollMs: options.pollMs ?? 5000,
      timeoutMs: options.timeoutMs ?? 3_600_000,
    };
  }

  /** Deploys a revision (image, environment) to a lane (creating the lane's stack when there is none). */
  deploy(key: LaneKey, request: AwsDeployRequest, options: AwsOperationOptions = {}): Promise<AwsDeployResult> {
    return this.run(options, 'CloudFormation', (ctx) => deployStack(ctx, key, request));
  }

  /** Updates the default lane to the lane's revision (image and environment), then deletes the lane. */
  promote(key: LaneKey, options: AwsOperationOptions = {}): Promise<AwsPromoteResult> {
    return this.run(options, 'CloudFormation', (ctx) => promoteStack(ctx, key));
  }

  /** Deploys the revision the lane ran before its current one. */
  rollback(key: LaneKey, options: AwsOperationOptions = {}): Promise<AwsRollbackResult> {
    return this.run(options, 'CloudFormation', (ctx) => rollbackStack(ctx, key));
  }

  /** Deletes a lane's stack; refused while other stacks import its exports. */
  delete(key: LaneKey, options: AwsOperationOptions = {}): Promise<AwsDeleteResult> {
    return this.run(options, 'CloudFormation', (ctx) => deleteStack(ctx, key));
  }

  /** Every lane stack of the env. @default env: the project's env */
  status(env: string = this.ctx.project.env, options: AwsOperationOptions = {}): Promise<AwsLaneStatus[]> {
    return this.run(options, 'CloudFormation', (ctx) => listLaneStacks(ctx, env));
  }

  /** Starts the app pipeline `{service}-{env}` for a lane and branch. */
  startPipeline(request: PipelineStartRequest, options: AwsOperationOptions = {}): Promise<PipelineStartResult> {
    return this.run(options, 'CodePipeline', (ctx) => startPipeline(ctx, request));
  }

  /**
   * Runs one operation on CloudFormation with this provider's context (clients, clock, timeouts) and its own
   * progress record; maps AWS errors and interruptions for the user. For operations built on top of the provider
   * (route, canary analysis).
   */
  operate<T>(options: AwsOperationOptions, operation: (ctx: AwsContext) => Promise<T>): Promise<T> {
    return this.run(options, 'CloudFormation', operation);
  }

  /** Runs one operation with its own progress record; maps AWS errors and interruptions for the user. */
  private async run<T>(
    options: AwsOperationOptions,
    service: 'CloudFormation' | 'CodePipeline',
    operation: (ctx: AwsContext) => Promise<T>,
  ): Promise<T> {
    const ctx: AwsContext = { ...this.ctx, signal: options.signal, progress: {} };
    try {
      ctx.signal?.throwIfAborted();
      return await operation(ctx);
    } catch (error) {
      if (isAbort(ctx, error)) throw await interruptedError(ctx);
      const client = service === 'CloudFormation' ? ctx.cloudformation : ctx.codepipeline;
      throw toLanesError(error, { service, endpoint: await endpointOf(client, service) });
    }
  }
}
