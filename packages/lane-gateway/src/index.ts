export {
  type AdminServerOptions,
  type AdminTarget,
  CONFIG_APPLIED,
  type ConfigChange,
  type ReplicaHealthReport,
} from './admin-server.js';
export { readAdminToken, readOrCreateAdminToken } from './admin-token.js';
export { CidrList, cidrProblem } from './admission/cidr-list.js';
export { LANE_TOKEN_BAGGAGE_KEY, LANE_TOKEN_HEADER } from './admission/lane-admission.js';
export { checkLaneToken, MAX_LANE_TOKEN_LENGTH, signLaneToken, type TokenCheck } from './admission/lane-token.js';
export { STRIP_REASONS, type StripReason } from './admission/strip-reasons.js';
export { loadOrCreateTokenKey, TokenKeyError } from './admission/token-key.js';
export { loadGatewayConfig, parseGatewayConfig, readNginxEngineConfig, readTraceContext } from './config.js';
export { ADMISSION_FIELDS, readAdmissionBasics } from './config-admission.js';
export { CONFIG_DEFAULTS } from './config-defaults.js';
export { readHealthTimings, readPassiveHealth } from './config-service.js';
export type {
  AdminConfig,
  AdmissionConfig,
  GatewayConfig,
  HealthCheckConfig,
  LaneConfig,
  LaneDownPolicy,
  LaneTokensConfig,
  LeaksConfig,
  LimitsConfig,
  ListenAddress,
  PassiveHealthConfig,
  ServiceConfig,
  ServiceMatch,
  Stickiness,
  TimeoutsConfig,
  TraceContextConfig,
} from './config-types.js';
export {
  GATEWAY_ENGINES,
  type GatewayEngine,
  LANE_DOWN_POLICIES,
  NGINX_LANE_PARSERS,
  type NginxEngineConfig,
  type NginxLaneParser,
} from './config-types.js';
export {
  type ConfigIssue,
  type ErrorFault,
  GATEWAY_ERROR_CODES,
  GatewayConfigError,
  GatewayError,
  type GatewayErrorCode,
} from './errors.js';
export type {
  AccessEvent,
  EngineExitedEvent,
  EngineRestartedEvent,
  GatewayErrorEvent,
  GatewayEvent,
  GatewayEventSink,
  LaneChoice,
  LaneLeakEvent,
  ListeningEvent,
  ReloadedEvent,
  ReloadFailedEvent,
  ReloadSource,
  ReplicaHealthEvent,
} from './events.js';
export { LANE_CHOICES } from './events.js';
export { Gateway, type GatewayOptions, startGateway } from './gateway.js';
export { GATEWAY_ERRORS } from './gateway-answer.js';
export { GatewayCluster, type GatewayClusterOptions } from './gateway-cluster.js';
export { runGatewayWorker } from './gateway-worker.js';
export { type LeakCount, mergeLeakCounts } from './leaks/leak-tracker.js';
export { readLeaksConfig } from './leaks/read-leaks-config.js';
export { renderLeakMetrics } from './leaks/render-leaks.js';
export { type LaneStatsSnapshot, mergeSnapshots, renderPrometheus } from './metrics.js';
export { judgeRestart, RESTART_DEFAULTS, type RestartPolicy, restartBackoffMs } from './nginx/engine-restarts.js';
export {
  buildNativeLaneModule,
  DEBIAN_NGINX_SOURCE,
  NATIVE_MODULE_DIR,
  type NativeModule,
  type NativeModuleOptions,
} from './nginx/native-module.js';
export {
  type NginxEngine,
  type NginxEngineOptions,
  type NginxExit,
  type NginxReload,
  NJS_LANES_FILE,
  startNginxEngine,
} from './nginx/nginx-engine.js';
export {
  type EngineReport,
  type NginxGateway,
  type NginxGatewayOptions,
  startNginxGateway,
} from './nginx/nginx-gateway.js';
export { NGINX_IGNORED } from './nginx/nginx-support.js';
export {
  DEBIAN_NJS_MODULE,
  NGINX_METRICS_LOG_FORMAT,
  type NginxRenderOptions,
  type RenderedNginxConfig,
  renderNginxConfig,
} from './nginx/render-config.js';
