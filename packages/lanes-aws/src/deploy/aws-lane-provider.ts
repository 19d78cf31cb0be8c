import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import type { IoHost, LaneKey, Project } from '@lanes/core';
import { type Clock, systemClock } from './clock.js';
import type { AppTemplates, AwsContext } from './context.js';
import { deleteStack } from './delete-stack.js';
import { type AwsDeployRequest, deployStack } from './deploy-stack.js';
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
   * @default none: such a template fails to deploy with `TEMPLATE_TOO_LARGE`, before any change set
   */
  templateUpload?: TemplateUploadOptions;
  /** Time between two looks at a change set or stack. @default 5000 */
  pollMs?: number;
  /** Longest wait for one operation; CloudFormation goes on after it, the command stops. @default 3_600_000 (1 h) */
  timeoutMs?: number;
  /** @default the system clock */
  clock?: Clock;
}

/**
 * The lanes model on AWS: each lane is the CloudFormation stack `app-{service}-{env}-{lane}`, changed only
 * through change sets, with stack events reported through the IoHost as they happen (`STACK_EVENT`). Expected
 * outcomes (busy, no change, failed, refused) are results; only bugs and AWS errors throw.
 */
export class AwsLaneProvider {
  private readonly ctx: AwsContext;

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

  /** Deploys an image to a lane (creating the lane's stack when there is none). */
  deploy(key: LaneKey, request: AwsDeployRequest): Promise<AwsDeployResult> {
    return deployStack(this.ctx, key, request);
  }

  /** Updates the default lane to the lane's image, then deletes the lane. */
  promote(key: LaneKey): Promise<AwsPromoteResult> {
    return promoteStack(this.ctx, key);
  }

  /** Deploys the image the lane ran before its current one. */
  rollback(key: LaneKey): Promise<AwsRollbackResult> {
    return rollbackStack(this.ctx, key);
  }

  /** Deletes a lane's stack; refused while other stacks import its exports. */
  delete(key: LaneKey): Promise<AwsDeleteResult> {
    return deleteStack(this.ctx, key);
  }

  /** Every lane stack of the env. @default env: the project's env */
  status(env: string = this.ctx.project.env): Promise<AwsLaneStatus[]> {
    return listLaneStacks(this.ctx, env);
  }

  /** Starts the app pipeline `{service}-{env}` for a lane and branch. */
  startPipeline(request: PipelineStartRequest): Promise<PipelineStartResult> {
    return startPipeline(this.ctx, request);
  }
}
