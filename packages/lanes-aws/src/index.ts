export { awsProviderOptions, openAwsProvider, synthesizeAppTemplates } from './aws-session.js';
export * from './deploy/index.js';
export { targetGroupFullName } from './provider/alb-metrics.js';
export { AWS_ANALYSIS_DEFAULTS, MIN_AWS_STEP_MS } from './provider/aws-canary-analysis.js';
export { AWS_CAPABILITIES } from './provider/aws-capabilities.js';
export { type AwsAdapterOptions, AwsProviderAdapter, awsLaneProviderFactory } from './provider/aws-provider-adapter.js';
export { canaryTarget } from './provider/aws-route.js';
export {
  bootExportName,
  bootServiceArnExportName,
  bootStackName,
  infraExportName,
  infraStackName,
} from './synth/exports.js';
export {
  ALB_RULE_LIMITS,
  albConditionMatches,
  albWildcardMatch,
  type HeaderMatchOptions,
  type LaneRuleMatch,
  laneRuleMatches,
} from './synth/header-match.js';
export {
  checkPriorityCollisions,
  laneHash,
  lanePriorities,
  PRIORITY_BAND,
  PRIORITY_SLOTS,
} from './synth/priorities.js';
export { maxLanesPerLoadBalancer } from './synth/quotas.js';
export { validateTemplateFiles } from './synth/spec-validate.js';
export { laneParameters, matchOptions, type SynthOptions, type SynthResult, synthesize } from './synth/synthesize.js';
export type { SynthWarning } from './synth/template-size.js';
