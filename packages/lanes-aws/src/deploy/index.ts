// The deploy half of @lanes/aws: what packages/lanes-aws/src/index.ts re-exports.
export { AwsLaneProvider, type AwsLaneProviderOptions, type AwsOperationOptions } from './aws-lane-provider.js';
export { type Clock, systemClock } from './clock.js';
export type { AppTemplates } from './context.js';
export { AWS_EVENT_CODES, type AwsEventCode } from './deploy-events.js';
export type { AwsDeployRequest } from './deploy-stack.js';
export type { PipelineStartRequest } from './pipeline.js';
export type {
  AwsDeleteResult,
  AwsDeployResult,
  AwsLaneBusy,
  AwsLaneFailed,
  AwsLaneNotFound,
  AwsLaneRefused,
  AwsLaneStatus,
  AwsPromoteResult,
  AwsRollbackResult,
  PipelineStartResult,
} from './results.js';
export type { FailedResource } from './stack-events.js';
export { TAGS as AWS_STACK_TAGS } from './stack-reader.js';
export {
  MAX_TEMPLATE_BODY_BYTES,
  type TemplateUploader,
  type TemplateUploadOptions,
} from './template-upload.js';
