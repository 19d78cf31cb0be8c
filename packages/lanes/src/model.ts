import type { GatewayEngine, LeaksConfig, NginxEngineConfig, TraceContextConfig } from '@lanes/gateway';
import type { LaneCarrier } from '@lanes/trace-context';

/**
 * The one model both providers share. Loaded from the project file (`lanes.json`) and the seed's CloudFormation
 * parameter files (`params/*.json`), validated, with every default filled in and every path absolute.
 */
export interface Project {
  /** The project folder (where `lanes.json` is). */
  dir: string;
  /** Absolute path of the project file. */
  file: string;
  name: string;
  /** The environment this command works on (`dev` unless `--env` says otherwise). */
  env: string;
  /** Absolute path of the state folder (`<dir>/.lanes` by default): state.db, gateway.json, logs/. */
  stateDir: string;
  gateway: GatewaySettings;
  /**
   * The AWS provider's ALB settings. `parseProject` always fills them in; a project built by hand may leave them out,
   * and `awsSettings(project)` then gives the defaults.
   */
  aws?: AwsSettings | undefined;
  /**
   * Who may choose a lane. `parseProject` always fills it in; a project built by hand may leave it out, and
   * `admissionSettings(project)` then gives the defaults.
   */
  admission?: AdmissionSettings | undefined;
  services: Record<string, ServiceModel>;
}

/** The `admission` block of the project file (see docs/project-file.md), mapped into the gateway's own. */
export interface AdmissionSettings {
  /** @default loopback and private ranges: 127.0.0.0/8, ::1, 10/8, 172.16/12, 192.168/16, fc00::/7 */
  trusted: string[];
  /** @default 0 */
  trustedHops: number;
  /** Signed lane tokens (`lanes token`). */
  tokens: {
    /** Absolute. @default '<stateDir>/lane-token.key' */
    keyFile: string;
    /** @default one day */
    maxTtlMs: number;
  };
  /** @default ['default'] */
  openLanes: string[];
}

/** How ALB listener rules match a lane's member in a header (see docs/aws.md, "Header matching"). */
export type HeaderMatchMode = 'regex' | 'wildcard';

/** The `aws` block of the project file: how the AWS provider lays out each service's ALB. */
export interface AwsSettings {
  /**
   * `regex`: one listener rule per lane and carrier, with `RegexValues` that match the member exactly. `wildcard`:
   * the fallback with wildcard `Values` only, up to 3 rules per lane and carrier. @default 'regex'
   */
  headerMatch: HeaderMatchMode;
  /**
   * The account's "Rules per Application Load Balancer" quota (default rules excluded), which AWS raises on request;
   * synth checks every service's ALB against it. @default 100
   */
  albRulesQuota: number;
}

export interface GatewaySettings {
  /**
   * The data plane `lanes up` runs (docs/gateway.md, "Choosing an engine"). `parseProject` always fills it in; a
   * project built by hand may leave it out. @default 'node'
   */
  engine?: GatewayEngine | undefined;
  /** @default '127.0.0.1' */
  host: string;
  /** @default 8080 */
  port: number;
  /** @default 9901 */
  adminPort: number;
  /** @default ['tracestate', 'baggage'] */
  carriers: LaneCarrier[];
  /** The gateway's lane-leak detection settings, when the project file gives them (else the gateway's defaults). */
  leaks?: LeaksConfig | undefined;
  /** The gateway's W3C Trace Context level, when the project file gives it (else Level 2). */
  traceContext?: TraceContextConfig | undefined;
  /** The nginx engine's own settings, when the project file gives them (else the gateway's defaults). */
  nginx?: NginxEngineConfig | undefined;
  /**
   * How `lanes up` restarts the nginx engine's process when it exits unasked; `parseProject` always fills it in.
   * @default the services' crashLoop defaults, without onLoop
   */
  crashLoop?: GatewayCrashLoopSpec | undefined;
}

/** `gateway.crashLoop`: a service's crashLoop without onLoop (after the last restart, `lanes up` fails). */
export type GatewayCrashLoopSpec = Omit<CrashLoopSpec, 'onLoop'>;

/** How a revision runs locally: argv, working directory, environment. The port comes in `portEnv`. */
export interface RunSpec {
  command: string[];
  /** Absolute. */
  cwd: string;
  env: Record<string, string>;
  /** Name of the environment variable that carries the replica's port. @default 'PORT' */
  portEnv: string;
}

export interface HealthCheckSpec {
  /** @default '/healthz' (or the params file's HealthCheckPath) */
  path: string;
  /** @default 1000 */
  intervalMs: number;
  /** @default 1000 */
  timeoutMs: number;
  /** Passing checks in a row that bring an unhealthy replica back into rotation. @default 1 */
  healthyThreshold: number;
  /** Failing checks in a row that take a replica out of rotation. @default 2 */
  unhealthyThreshold: number;
}

/** The gateway's passive health: replicas failing requests at the connection level are skipped for a while. */
export interface PassiveHealthSpec {
  /** Connection failures in a row that eject a replica. @default 3 */
  consecutiveFailures: number;
  /** How long an ejected replica is skipped (a passing health check ends it sooner). @default 10000 */
  ejectMs: number;
}

/** What the supervisor does with a lane whose replicas keep dying (see docs/cli.md, "Crash loops"). */
export interface CrashLoopSpec {
  /** Restarts allowed within `windowMs`; the next death is a crash loop. @default 5 */
  maxRestarts: number;
  /** @default 120000 */
  windowMs: number;
  /** Wait before the second restart in the window, doubled for each further one. @default 1000 */
  initialBackoffMs: number;
  /** @default 30000 */
  maxBackoffMs: number;
  /** @default 'mark-unhealthy' */
  onLoop: 'mark-unhealthy' | 'rollback';
}

export interface ServiceRoute {
  /** @default '/' when there is one service, else `/{service}` */
  pathPrefix: string;
  /** @default [] (any host) */
  hosts: string[];
}

/** A lane declared in the project file: `lanes up` starts it next to `default`. */
export interface DeclaredLane {
  /** Overrides of the service's run spec for this lane. */
  run: Partial<RunSpec>;
  /** @default 0 */
  weight: number;
  /** @default the service's replicas */
  replicas: number | undefined;
  /** Time to live in ms; `gc` deletes the lane after it. @default undefined (no TTL) */
  ttlMs: number | undefined;
}

export interface ServiceModel {
  name: string;
  route: ServiceRoute;
  run: RunSpec;
  healthCheck: HealthCheckSpec;
  /** Desired replicas per lane. @default 1 (or the params file's DesiredCount) */
  replicas: number;
  /** Time a new replica has to pass its first health check. @default 15000 */
  startTimeoutMs: number;
  /**
   * Time between moving traffic off old replicas and stopping them, so requests already on their way finish (the
   * local twin of the ALB target group's deregistration delay). @default 300
   */
  drainMs: number;
  /** Consecutive failed starts that trip the circuit breaker. @default 3 */
  maxStartFailures: number;
  /** What to do with a tagged request whose lane has no healthy replica. @default 'fallback' */
  whenLaneDown: 'fallback' | 'reject';
  passiveHealth: PassiveHealthSpec;
  crashLoop: CrashLoopSpec;
  lanes: Record<string, DeclaredLane>;
  /** Application metrics that `promote --analyze` judges besides the gateway's numbers. @default undefined (none) */
  analysis?: ServiceAnalysis | undefined;
  /** The parameters of `params/{service}-{env}.json`, as given (strings), for the AWS provider. */
  params: Record<string, string>;
}

/** Counters each replica exposes in Prometheus text, and the rules a lane's values must keep during canary analysis. */
export interface ServiceAnalysis {
  /** Path of the Prometheus text on each replica's own port. @default '/metrics' */
  metricsPath: string;
  metrics: AnalysisMetric[];
}

/**
 * One counter and its rules. Its value for a step is its increase over the step (summed over labels and replicas),
 * divided by the increase of `per` when given. `max` and `maxRatio` may both be set; at least one is.
 */
export interface AnalysisMetric {
  /** A Prometheus metric name, as it appears on the sample lines (`app_errors_total`). */
  name: string;
  /** A counter to divide by (`requests_total`), which turns a count into a rate. */
  per: string | undefined;
  /** The lane's value must be at most this. */
  max: number | undefined;
  /** The lane's value must be at most the default lane's value times this (plus `maxIncrease`). */
  maxRatio: number | undefined;
  /** Added to the allowance of `maxRatio`, so a baseline of 0 does not forbid everything. @default 0 */
  maxIncrease: number;
}

/** What one revision runs: locally a command, on AWS an image. Immutable once recorded. */
export interface RevisionSpec {
  run: RunSpec;
  /** The container image for the AWS provider (the seed's ImageUri). */
  image: string | undefined;
  /** A human label (`v1.2.3`, a git sha). */
  label: string | undefined;
}
