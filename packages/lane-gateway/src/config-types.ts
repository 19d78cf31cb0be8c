import type { LaneCarrier, TraceContextLevel } from '@lanes/trace-context';

/** Where a listener binds. Port 0 picks a free port. */
export interface ListenAddress {
  /** @default '127.0.0.1' */
  host: string;
  port: number;
}

/** Where the admin API listens, and the token that changing state through it needs. */
export interface AdminConfig extends ListenAddress {
  /**
   * File holding the bearer token for mutating admin requests (created with mode 0600 if missing; an absolute path
   * after parsing, relative ones resolved against the config file's folder). Without it, the admin API only reads.
   */
  tokenFile?: string;
}

/** What the gateway does with a request whose lane has no healthy replica. */
export const LANE_DOWN_POLICIES = ['fallback', 'reject'] as const;
export type LaneDownPolicy = (typeof LANE_DOWN_POLICIES)[number];

/** How untagged requests keep landing in the same lane under a weighted split. */
export type Stickiness = { header: string } | { cookie: string };

export interface HealthCheckConfig {
  /** @default '/healthz' */
  path: string;
  /** @default 2000 */
  intervalMs: number;
  /** @default 1000 */
  timeoutMs: number;
  /** Consecutive passes before an unhealthy replica gets traffic again. @default 2 */
  healthyThreshold: number;
  /** Consecutive failures before a replica is taken out. @default 2 */
  unhealthyThreshold: number;
}

export interface PassiveHealthConfig {
  /** Consecutive proxy failures (connection refused or reset, timeout; a 5xx answer is not one) that eject a replica. @default 3 */
  consecutiveFailures: number;
  /** How long an ejected replica stays out before it is tried again. @default 10000 */
  ejectMs: number;
}

export interface LaneConfig {
  /** Upstream base URLs (http://host:port), one per replica. May be empty while a lane starts. */
  replicas: string[];
  /**
   * Share of untagged requests sent to this lane (percentage canary). Weights of a service's lanes are relative.
   * @default 100 for `default`, 0 for other lanes
   */
  weight: number;
}

export interface ServiceMatch {
  /** Host header values (without port), lowercase. Empty: any host. */
  hosts: string[];
  /** Path prefix; the longest matching prefix across services wins. @default '/' */
  pathPrefix: string;
}

export interface ServiceConfig {
  match: ServiceMatch;
  /** @default 'fallback' */
  whenLaneDown: LaneDownPolicy;
  /** Absent: an untagged request without a sticky key is split at random by weight. */
  stickiness?: Stickiness;
  healthCheck: HealthCheckConfig;
  passiveHealth: PassiveHealthConfig;
  /** Must contain `default`. */
  lanes: Record<string, LaneConfig>;
}

export interface TimeoutsConfig {
  /** Time for a client to send the request headers. @default 10000 */
  headersMs: number;
  /** Idle keep-alive time of a client connection. @default 5000 */
  idleMs: number;
  /** Longest silence while a client sends its request body; then 408 and the upstream request is aborted. @default 30000 */
  clientBodyMs: number;
  /** Time to connect to an upstream replica. @default 2000 */
  upstreamConnectMs: number;
  /** Time for an upstream to start answering (headers). @default 30000 */
  upstreamHeadersMs: number;
  /** Longest silence on an upstream response body. @default 60000 */
  upstreamBodyMs: number;
}

export interface TraceContextConfig {
  /**
   * W3C Trace Context level whose rules read and write `tracestate` and `traceparent`: 2 (Level 2 keys such as
   * `foo@` or `tenant@long-system-id`, a repeated key keeps its left-most member) or 1 (Level 1 keys only; a header
   * with a repeated key or a Level 2 key is ignored whole). @default 2
   */
  level: TraceContextLevel;
}

export interface LimitsConfig {
  /** Largest request header block; larger gets 431. @default 16384 */
  maxHeaderBytes: number;
}

/** Lane-leak detection: remembers each traced chain's lane, counts hops that arrive without it. */
export interface LeaksConfig {
  /** @default true */
  enabled: boolean;
  /** Most traces remembered at once (per process); the least recently seen is forgotten first. @default 100000 */
  maxTraces: number;
  /** A trace with no hop for this long is forgotten. @default 300000 */
  ttlMs: number;
}

/** Signed lane tokens let a client outside the trusted networks into one lane until the token expires. */
export interface LaneTokensConfig {
  /** File holding the HMAC-SHA-256 key (hex), mode 0600; created on first use. Relative to the config file. */
  keyFile: string;
  /** Longest lifetime a token may have left; one that outlives it is refused. @default 86400000 (one day) */
  maxTtlMs: number;
}

/** Who may choose a lane with a lane tag; everyone else's tag is removed and the request is untagged. */
export interface AdmissionConfig {
  /** CIDR ranges (IPv4 and IPv6) whose clients may choose any lane. @default loopback and private ranges */
  trusted: string[];
  /**
   * Proxies in front of the gateway: with N > 0 and a trusted peer, the client is the Nth address from the right of
   * `X-Forwarded-For`. 0 trusts the socket peer only and never reads the header. @default 0
   */
  trustedHops: number;
  /** Absent: tokens are not accepted. */
  tokens?: LaneTokensConfig;
  /** Lanes anyone may ask for. @default ['default'] */
  openLanes: string[];
}

/** Which data plane runs the routing table: the embedded Node proxy, or nginx from the rendered config. */
export const GATEWAY_ENGINES = ['node', 'nginx'] as const;
export type GatewayEngine = (typeof GATEWAY_ENGINES)[number];

/** How the nginx engine reads the lane: njs per request, or the native module (native/, built with gcc). */
export const NGINX_LANE_PARSERS = ['njs', 'native'] as const;
export type NginxLaneParser = (typeof NGINX_LANE_PARSERS)[number];

/** Settings only the nginx engine reads. */
export interface NginxEngineConfig {
  /**
   * `native` builds native/ against the installed nginx (nginx-dev, gcc, make; cached) and needs no njs call per
   * request; `njs` runs njs/lanes.js. @default 'njs'
   */
  laneParser: NginxLaneParser;
}

/** The whole gateway configuration after validation, with every default filled in. */
export interface GatewayConfig {
  /** Data plane (docs/gateway.md, "Choosing an engine"). @default 'node' */
  engine: GatewayEngine;
  /** The nginx engine's own settings (docs/gateway.md, "Choosing an engine"). */
  nginx: NginxEngineConfig;
  listen: ListenAddress;
  admin: AdminConfig;
  /** Lane carriers, in precedence order. @default ['tracestate', 'baggage'] */
  carriers: LaneCarrier[];
  /** Honour tracestate only next to a valid traceparent (strict W3C). @default false */
  requireTraceparent: boolean;
  traceContext: TraceContextConfig;
  /** One JSON line per request on the event stream. @default true */
  accessLog: boolean;
  timeouts: TimeoutsConfig;
  limits: LimitsConfig;
  leaks: LeaksConfig;
  admission: AdmissionConfig;
  services: Record<string, ServiceConfig>;
}
