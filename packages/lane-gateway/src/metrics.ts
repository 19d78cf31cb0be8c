import { STRIP_REASON_INDEX, STRIP_REASONS, type StripReason } from './admission/strip-reasons.js';

/** Histogram bucket upper bounds, in seconds: from a loopback hop (0.5 ms) to a slow upstream (10 s). */
export const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/** Counters of one service lane, in flat arrays so the hot path only adds to numbers. */
export class LaneStats {
  /** Requests by status class: index 0 for 1xx ... 4 for 5xx. */
  readonly byClass = new Float64Array(STATUS_CLASSES.length);
  /** Non-cumulative bucket counts; the last slot is +Inf. */
  readonly buckets = new Float64Array(LATENCY_BUCKETS.length + 1);
  durationSum = 0;
  count = 0;
  /** Requests whose lane tag chose this lane (trusted client, open lane or valid token). */
  admitted = 0;
  /** Lane tags for this lane removed by admission, by reason (index of STRIP_REASONS). */
  readonly stripped = new Float64Array(STRIP_REASONS.length);

  constructor(
    readonly service: string,
    readonly lane: string,
  ) {}

  // The `!` below index the fixed-size arrays above by construction, on the per-request path: no checks added there.
  record(status: number, seconds: number): void {
    const index = Math.min(Math.max(Math.floor(status / 100) - 1, 0), 4);
    this.byClass[index]! += 1;
    let bucket = 0;
    while (bucket < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[bucket]!) bucket++;
    this.buckets[bucket]! += 1;
    this.durationSum += seconds;
    this.count += 1;
  }

  strip(reason: StripReason): void {
    this.stripped[STRIP_REASON_INDEX[reason]]! += 1;
  }

  /** A plain snapshot, for `status` and for adding up across worker processes. */
  snapshot(): LaneStatsSnapshot {
    return {
      service: this.service,
      lane: this.lane,
      byClass: Array.from(this.byClass),
      buckets: Array.from(this.buckets),
      durationSum: this.durationSum,
      count: this.count,
      admitted: this.admitted,
      stripped: Array.from(this.stripped),
    };
  }
}

export interface LaneStatsSnapshot {
  service: string;
  lane: string;
  byClass: number[];
  buckets: number[];
  durationSum: number;
  count: number;
  admitted: number;
  /** By reason, in the order of STRIP_REASONS. */
  stripped: number[];
}

export interface HealthSnapshot {
  service: string;
  lane: string;
  healthy: number;
  total: number;
}

/** Keeps stats per service lane across reloads, so counters never go backwards while the process lives. */
export class MetricsRegistry {
  private readonly lanes = new Map<string, LaneStats>();

  lane(service: string, lane: string): LaneStats {
    const key = `${service}\u0000${lane}`;
    let stats = this.lanes.get(key);
    if (!stats) {
      stats = new LaneStats(service, lane);
      this.lanes.set(key, stats);
    }
    return stats;
  }

  snapshot(): LaneStatsSnapshot[] {
    return [...this.lanes.values()].map((stats) => stats.snapshot());
  }
}

/** Adds `from` to `into`, slot by slot (both snapshots of one LaneStats layout). */
function addInto(into: number[], from: readonly number[]): void {
  from.forEach((v, i) => {
    into[i] = (into[i] ?? 0) + v;
  });
}

/** Adds up the snapshots of several processes, lane by lane. */
export function mergeSnapshots(parts: readonly LaneStatsSnapshot[][]): LaneStatsSnapshot[] {
  const merged = new Map<string, LaneStatsSnapshot>();
  for (const part of parts) {
    for (const s of part) {
      const key = `${s.service}\u0000${s.lane}`;
      const into = merged.get(key);
      if (!into) {
        merged.set(key, { ...s, byClass: [...s.byClass], buckets: [...s.buckets], stripped: [...s.stripped] });
        continue;
      }
      addInto(into.byClass, s.byClass);
      addInto(into.buckets, s.buckets);
      addInto(into.stripped, s.stripped);
      into.durationSum += s.durationSum;
      into.count += s.count;
      into.admitted += s.admitted;
    }
  }
  return [...merged.values()];
}

function labels(service: string, lane: string, extra = ''): string {
  return `service="${service}",lane="${lane}"${extra}`;
}

/** Prometheus text exposition format 0.0.4. */
export function renderPrometheus(stats: readonly LaneStatsSnapshot[], health: readonly HealthSnapshot[]): string {
  const out: string[] = [];
  out.push('# HELP lanes_gateway_requests_total Requests proxied or answered, by service, lane and status class.');
  out.push('# TYPE lanes_gateway_requests_total counter');
  for (const s of stats) {
    STATUS_CLASSES.forEach((cls, i) => {
      out.push(`lanes_gateway_requests_total{${labels(s.service, s.lane, `,code_class="${cls}"`)}} ${s.byClass[i]}`);
    });
  }
  out.push('# HELP lanes_gateway_request_duration_seconds Time from request to the end of the response.');
  out.push('# TYPE lanes_gateway_request_duration_seconds histogram');
  for (const s of stats) {
    let cumulative = 0;
    LATENCY_BUCKETS.forEach((bound, i) => {
      cumulative += s.buckets[i] ?? 0;
      out.push(
        `lanes_gateway_request_duration_seconds_bucket{${labels(s.service, s.lane, `,le="${bound}"`)}} ${cumulative}`,
      );
    });
    out.push(`lanes_gateway_request_duration_seconds_bucket{${labels(s.service, s.lane, ',le="+Inf"')}} ${s.count}`);
    out.push(`lanes_gateway_request_duration_seconds_sum{${labels(s.service, s.lane)}} ${s.durationSum}`);
    out.push(`lanes_gateway_request_duration_seconds_count{${labels(s.service, s.lane)}} ${s.count}`);
  }
  out.push('# HELP lanes_gateway_lane_admitted_total Requests whose lane tag was honoured, by the lane it chose.');
  out.push('# TYPE lanes_gateway_lane_admitted_total counter');
  for (const s of stats) out.push(`lanes_gateway_lane_admitted_total{${labels(s.service, s.lane)}} ${s.admitted}`);
  out.push(
    '# HELP lanes_gateway_lane_stripped_total Lane tags removed by admission, by the lane asked for and reason.',
  );
  out.push('# TYPE lanes_gateway_lane_stripped_total counter');
  for (const s of stats) {
    STRIP_REASONS.forEach((reason, i) => {
      out.push(
        `lanes_gateway_lane_stripped_total{${labels(s.service, s.lane, `,reason="${reason}"`)}} ${s.stripped[i]}`,
      );
    });
  }
  out.push('# HELP lanes_gateway_replicas_healthy Replicas that pass their health check and are not ejected.');
  out.push('# TYPE lanes_gateway_replicas_healthy gauge');
  for (const h of health) out.push(`lanes_gateway_replicas_healthy{${labels(h.service, h.lane)}} ${h.healthy}`);
  out.push('# HELP lanes_gateway_replicas Replicas configured.');
  out.push('# TYPE lanes_gateway_replicas gauge');
  for (const h of health) out.push(`lanes_gateway_replicas{${labels(h.service, h.lane)}} ${h.total}`);
  return `${out.join('\n')}\n`;
}
