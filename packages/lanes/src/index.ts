export { type AwsNames, awsNames } from './aws-names.js';
export { parseDuration } from './config/duration.js';
export { loadProject } from './config/load-project.js';
export { parseParamsFile } from './config/params-file.js';
export { admissionSettings } from './config/read-admission.js';
export { awsSettings } from './config/read-aws.js';
export {
  type ConfigIssue,
  type ErrorFault,
  LANES_ERROR_CODES,
  LanesConfigError,
  LanesError,
  type LanesErrorCode,
  type ProviderErrorCodes,
} from './errors.js';
export {
  EVENT_CODES,
  type EventLevel,
  type IoHost,
  type LanesEvent,
  type LanesEventCode,
  silentIoHost,
} from './io-host.js';
export { serviceLaneProblem } from './lane-checks.js';
export {
  EPHEMERAL_PORT_RANGE_FILE,
  type EphemeralRangeSource,
  readEphemeralPortRange,
} from './local/ephemeral-ports.js';
export { followLog, isProcessAlive, laneLogFiles, readLastLines } from './local/index.js';
export type {
  AdmissionSettings,
  AnalysisMetric,
  AwsSettings,
  DeclaredLane,
  GatewaySettings,
  HeaderMatchMode,
  HealthCheckSpec,
  Project,
  RevisionSpec,
  RunSpec,
  ServiceAnalysis,
  ServiceModel,
  ServiceRoute,
} from './model.js';
export {
  AWS_NAME_FORMS,
  AWS_NAME_LIMITS,
  envNameProblem,
  laneNameProblem,
  MAX_DNS_LABEL_LENGTH,
  MAX_ENV_LENGTH,
  MAX_SERVICE_LENGTH,
  maxLaneLength,
  NAME_SEPARATOR,
  parseAppStackName,
  serviceNameProblem,
} from './naming.js';
export { type OpenProjectOptions, openProject, type ProjectSession } from './open-project.js';
export { ALARMS, type Alarm, type AlarmCode, evaluateAlarms } from './ops/alarms.js';
export {
  type AnalysisOptions,
  type AnalysisResult,
  analyzeAndPromote,
  DEFAULT_ANALYSIS,
  judgeStep,
  type LaneNumbers,
  type StepReport,
  withMetrics,
} from './ops/canary-analysis.js';
export { type CanaryDriver, type CanaryRun, runCanarySteps, waitUnlessAborted } from './ops/canary-steps.js';
export type { OpsContext } from './ops/context.js';
export { type DeleteResult, deleteLane } from './ops/delete-lane.js';
export { type DeployOptions, type DeployResult, type DeployTarget, deployLane } from './ops/deploy.js';
export { type PlatformInfo, readPlatformInfo } from './ops/gateway-link.js';
export { type LaneLeak, parseLaneLeaks } from './ops/gateway-metrics.js';
export { renderGatewayConfig } from './ops/gateway-render.js';
export { collectLanes, type GcResult } from './ops/gc.js';
export { type IssuedLaneToken, issueLaneToken } from './ops/lane-token.js';
export { judgeMetric, type MetricReport, type Verdict } from './ops/metric-rules.js';
export type { LaneBusy } from './ops/operation.js';
export { type DownResult, stopPlatform } from './ops/platform-down.js';
export { DEFAULT_PORT_RANGE, warnIfPortRangeEphemeral } from './ops/port-range.js';
export { type ParsedExposition, parsePrometheusText } from './ops/prometheus-text.js';
export { type PromoteResult, promoteLane } from './ops/promote.js';
export { composeRevision, type RevisionOverrides } from './ops/revision.js';
export { type RollbackResult, rollbackLane } from './ops/rollback.js';
export { type RouteResult, routeService } from './ops/route.js';
export { collectStatus, type GatewayEngineStatus, type LaneStatus, type PlatformStatus } from './ops/status.js';
export { runPlatform, type UpOptions, type UpResult } from './ops/supervisor.js';
export {
  firstUnsupported,
  PROVIDER_FEATURES,
  type ProviderCapabilities,
  type ProviderFeature,
  unsupported,
} from './provider/capabilities.js';
export type {
  Aborted,
  Busy,
  Deployed,
  DeployRequest,
  Failed,
  LaneProvider,
  LogsRequest,
  NoChange,
  NotFound,
  OperationOptions,
  PlatformStatusResult,
  PromoteRequest,
  ProviderDeleteResult,
  ProviderDeployResult,
  ProviderLogsResult,
  ProviderPromoteResult,
  ProviderResult,
  ProviderRollbackResult,
  ProviderRouteResult,
  ProviderStatusResult,
  Refusal,
  Refused,
  StackLaneStatus,
  StacksStatusResult,
  StatusRequest,
  Unsupported,
} from './provider/lane-provider.js';
export { LOCAL_CAPABILITIES, LocalLaneProvider } from './provider/local-provider.js';
export {
  BUILTIN_PROVIDERS,
  type LaneProviderFactory,
  localProviderFactory,
  openLaneProvider,
  type ProviderLoader,
  type ProviderOpenOptions,
} from './provider/provider-registry.js';
export { checkAnalysisOptions, checkDeployRequest, MAX_REPLICAS } from './provider/request-checks.js';
export { type LaneKey, laneKeyString } from './state/types.js';
