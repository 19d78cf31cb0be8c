import { RESTART_DEFAULTS } from '@lanes/gateway';
import { LANE_CARRIERS } from '@lanes/trace-context';

/**
 * Every default of the project file, in one place so that the parser, lanes.schema.json (checked by schema.test.ts)
 * and docs/project-file.md agree. The `@default` tags of model.ts say the same.
 */
export const PROJECT_DEFAULTS = {
  file: 'lanes.json',
  env: 'dev',
  stateDir: '.lanes',
  gateway: { engine: 'node', host: '127.0.0.1', port: 8080, adminPort: 9901, carriers: LANE_CARRIERS },
  run: { cwd: '.', portEnv: 'PORT' },
  healthCheck: { path: '/healthz', intervalMs: 1_000, timeoutMs: 1_000, healthyThreshold: 1, unhealthyThreshold: 2 },
  // The platform's one restart policy (the nginx engine's too), plus what a service does on a crash loop.
  crashLoop: { ...RESTART_DEFAULTS, onLoop: 'mark-unhealthy' },
  replicas: 1,
  startTimeoutMs: 15_000,
  drainMs: 300,
  maxStartFailures: 3,
  whenLaneDown: 'fallback',
  laneWeight: 0,
  analysis: { metricsPath: '/metrics', maxIncrease: 0 },
  aws: { headerMatch: 'regex', albRulesQuota: 100 },
  admission: { tokens: { keyFile: 'lane-token.key', maxTtl: '1d' } },
} as const;

/** `aws.headerMatch`: ALB regex rules (one per lane and carrier) or the wildcard fallback. */
export const HEADER_MATCH_CHOICES = ['regex', 'wildcard'] as const;

/**
 * `aws.albRulesQuota`: the quota is adjustable, and no listener can hold more rules than ALB has priorities (1 to
 * 50000, https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateRule.html).
 */
export const ALB_RULES_QUOTA_RANGE = { min: 1, max: 50_000, what: 'a whole number of rules' } as const;

export const LANE_DOWN_CHOICES = ['fallback', 'reject'] as const;

/** `crashLoop.onLoop`: take the lane out of rotation (and alarm), or also roll it back to its previous revision. */
export const CRASH_LOOP_CHOICES = ['mark-unhealthy', 'rollback'] as const;

export const MAX_RESTARTS_RANGE = { min: 1, max: 1000, what: 'a whole number of restarts' } as const;

/** Durations are whole milliseconds up to an hour, as in the gateway's configuration. */
export const MS_RANGE = { min: 1, max: 3_600_000, what: 'a whole number of milliseconds' } as const;

export const PORT_RANGE = { min: 0, max: 65_535, what: 'an integer port' } as const;

/** More than 32 replicas of one lane on one machine is a mistake, not a plan. */
export const REPLICAS_RANGE = { min: 1, max: 32, what: 'a whole number of replicas' } as const;

export const START_FAILURES_RANGE = { min: 1, max: 100, what: 'a whole number of failed starts' } as const;

/** The fields each object of the project file may hold; the schema test compares them with lanes.schema.json. */
export const PROJECT_FIELDS = {
  top: ['$schema', 'project', 'stateDir', 'gateway', 'admission', 'aws', 'services'],
  admission: ['trusted', 'trustedHops', 'tokens', 'openLanes'],
  admissionTokens: ['keyFile', 'maxTtl'],
  gateway: ['engine', 'host', 'port', 'adminPort', 'carriers', 'leaks', 'traceContext', 'nginx', 'crashLoop'],
  gatewayCrashLoop: ['maxRestarts', 'windowMs', 'initialBackoffMs', 'maxBackoffMs'],
  aws: ['headerMatch', 'albRulesQuota'],
  service: [
    'route',
    'run',
    'healthCheck',
    'replicas',
    'startTimeoutMs',
    'drainMs',
    'maxStartFailures',
    'whenLaneDown',
    'passiveHealth',
    'crashLoop',
    'lanes',
    'analysis',
  ],
  route: ['pathPrefix', 'hosts'],
  run: ['command', 'cwd', 'env', 'portEnv'],
  healthCheck: ['path', 'intervalMs', 'timeoutMs', 'healthyThreshold', 'unhealthyThreshold'],
  passiveHealth: ['consecutiveFailures', 'ejectMs'],
  crashLoop: ['maxRestarts', 'windowMs', 'initialBackoffMs', 'maxBackoffMs', 'onLoop'],
  lane: ['run', 'weight', 'replicas', 'ttl'],
  analysis: ['metricsPath', 'metrics'],
  analysisMetric: ['name', 'per', 'max', 'maxRatio', 'maxIncrease'],
} as const;

/** What the parser requires, object by object; the rest has defaults. */
export const PROJECT_REQUIRED = {
  top: ['services'],
  service: ['run'],
  run: ['command'],
  analysis: ['metrics'],
  analysisMetric: ['name'],
} as const;

/** The smallest useful project file, shown when there is none. */
export const MINIMAL_PROJECT_EXAMPLE = '{ "services": { "web": { "run": { "command": ["node", "server.js"] } } } }';

/** The parameters of `params/{service}-{env}.json` that give the project file's defaults. */
export const SERVICE_PARAMS = { replicas: 'DesiredCount', healthCheckPath: 'HealthCheckPath' } as const;
