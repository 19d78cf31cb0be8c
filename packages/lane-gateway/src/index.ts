export type { AdminServerOptions, AdminTarget, ReplicaHealthReport } from './admin-server.js';
export { readAdminToken, readOrCreateAdminToken } from './admin-token.js';
export { loadGatewayConfig, parseGatewayConfig } from './config.js';
export type {
  AdminConfig,
  GatewayConfig,
  HealthCheckConfig,
  LaneConfig,
  LaneDownPolicy,
  LeaksConfig,
  LimitsConfig,
  ListenAddress,
  PassiveHealthConfig,
  ServiceConfig,
  ServiceMatch,
  Stickiness,
  TimeoutsConfig,
} from './config-types.js';
export { LANE_DOWN_POLICIES } from './config-types.js';
export { type ConfigIssue, type ErrorFault, GatewayConfigError, GatewayError } from './errors.js';
export type {
  AccessEvent,
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
