export { type AwsCallSite, toLanesError } from './aws-errors.js';
export {
  AWS_CLIENT_DEFAULTS,
  type AwsSessionOptions,
  awsClientConfig,
  awsProviderOptions,
  createAwsClients,
  openAwsProvider,
  synthesizeAppTemplates,
} from './aws-session.js';
export * from './deploy/index.js';
export { AWS_ERROR_CODES, type AwsErrorCode } from './errors.js';
export { targetGroupFullName } from './provider/alb-metrics.js';
export { AWS_ANALYSIS_DEFAULTS, MIN_AWS_STEP_MS } from './provider/aws-canary-analysis.js';
export { AWS_CAPABILITIES } from './provider/aws-capabilities.js';
export { type AwsAdapterOptions, AwsProviderAdapter, awsLaneProviderFactory } from './provider/aws-provider-adapter.js';
export { canaryTarget } from './provider/aws-route.js';
export {
  type AlbHeaderCondition,
  type AlbRegexAssumptions,
  type AlbRequestHeaders,
  type AlbRule,
  albConditionMatches,
  albRegexMatch,
  albRoute,
  albWildcardMatch,
} from './synth/alb-rule-model.js';
export {
  bootExportName,
  bootServiceArnExportName,
  bootStackName,
  infraExportName,
  infraStackName,
} from './synth/exports.js';
export {
  ALB_RULE_LIMITS,
  type HeaderMatchOptions,
  type LaneRuleMatch,
  laneRegex,
  laneRuleMatches,
  rulesPerLane,
} from './synth/header-match.js';
export { type LaneRevision, laneEnvironment, specializeTemplate } from './synth/lane-revision.js';
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
