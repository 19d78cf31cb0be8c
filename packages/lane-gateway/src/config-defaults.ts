import { DEFAULT_TRACE_CONTEXT_LEVEL, LANE_CARRIERS } from '@lanes/trace-context';

/** Every default documented in config-types.ts, in one place so the parser, the JSON Schema test and docs agree. */
export const CONFIG_DEFAULTS = {
  host: '127.0.0.1',
  engine: 'node',
  nginx: { laneParser: 'njs' as 'njs' | 'native' },
  carriers: LANE_CARRIERS,
  requireTraceparent: false,
  traceContext: { level: DEFAULT_TRACE_CONTEXT_LEVEL },
  accessLog: true,
  timeouts: {
    headersMs: 10_000,
    idleMs: 5_000,
    clientBodyMs: 30_000,
    upstreamConnectMs: 2_000,
    upstreamHeadersMs: 30_000,
    upstreamBodyMs: 60_000,
  },
  limits: { maxHeaderBytes: 16_384 },
  leaks: { enabled: true, maxTraces: 100_000, ttlMs: 300_000 },
  admission: {
    /** Loopback and private ranges (RFC 1918, RFC 4193): a gateway with no admission block trusts only those. */
    trusted: ['127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
    trustedHops: 0,
    openLanes: ['default'],
    maxTtlMs: 86_400_000,
  },
  match: { pathPrefix: '/' },
  whenLaneDown: 'fallback',
  healthCheck: { path: '/healthz', intervalMs: 2_000, timeoutMs: 1_000, healthyThreshold: 2, unhealthyThreshold: 2 },
  passiveHealth: { consecutiveFailures: 3, ejectMs: 10_000 },
  /** Untagged traffic goes to `default` until a canary is given a weight of its own. */
  defaultLaneWeight: 100,
  otherLaneWeight: 0,
} as const;

/** Durations are whole milliseconds up to an hour: longer than any sane timeout, well inside `setTimeout`'s range. */
export const MS_RANGE = { min: 1, max: 3_600_000, what: 'a whole number of milliseconds' } as const;

/** Below 1 KiB even a browser's ordinary headers fail; above 1 MiB the limit stops protecting memory. */
export const MAX_HEADER_BYTES_RANGE = { min: 1024, max: 1_048_576, what: 'a number of bytes' } as const;

export const THRESHOLD_RANGE = { min: 1, max: 1000, what: 'a whole number' } as const;

export const PORT_RANGE = { min: 0, max: 65535, what: 'an integer port' } as const;

/** A remembered trace costs about 270 bytes of heap (docs/gateway.md, "Lane leaks"): 1,000,000 is about 270 MB. */
export const MAX_TRACES_RANGE = { min: 1, max: 1_000_000, what: 'a whole number of traces' } as const;
/** The W3C Trace Context levels the gateway implements (TRACE_CONTEXT_LEVELS of @lanes/trace-context). */
export const TRACE_CONTEXT_LEVEL_RANGE = { min: 1, max: 2, what: 'a W3C Trace Context level' } as const;
/** Proxies in front of a gateway: more than a handful means a misreading of the setting. */
export const TRUSTED_HOPS_RANGE = { min: 0, max: 10, what: 'a whole number of proxies' } as const;

/** A token lifetime: at least a second, at most 30 days (a token cannot be revoked short of changing the key). */
export const TOKEN_TTL_MS_RANGE = { min: 1000, max: 2_592_000_000, what: 'a whole number of milliseconds' } as const;
