/** What the gateway's Prometheus text says about one service lane. */
export interface LaneTraffic {
  requests: number;
  errors5xx: number;
  /** Cumulative histogram: upper bound in seconds → count of requests at most that long. */
  buckets: { le: number; count: number }[];
  /** Requests whose lane tag chose this lane (lane admission). */
  admitted?: number;
  /** Lane tags for this lane the gateway removed, by reason (only reasons with a count). */
  stripped?: Record<string, number>;
}

const SAMPLE = /^(lanes_gateway_[a-z_]+)\{([^}]*)\}\s+(\S+)$/;

function labelsOf(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const match of text.matchAll(/([a-z_]+)="([^"]*)"/g)) labels[match[1]!] = match[2]!;
  return labels;
}

/** Reads the gateway's per-lane counters out of its /metrics text; keyed `service/lane`. */
export function parseGatewayMetrics(text: string): Map<string, LaneTraffic> {
  const lanes = new Map<string, LaneTraffic>();
  const entry = (service: string, lane: string): LaneTraffic => {
    const key = `${service}/${lane}`;
    let traffic = lanes.get(key);
    if (!traffic) {
      traffic = { requests: 0, errors5xx: 0, buckets: [] };
      lanes.set(key, traffic);
    }
    return traffic;
  };
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const [, name, rawLabels, rawValue] = match;
    const labels = labelsOf(rawLabels!);
    const value = Number(rawValue);
    if (!labels.service || !labels.lane || !Number.isFinite(value)) continue;
    const traffic = entry(labels.service, labels.lane);
    if (name === 'lanes_gateway_requests_total') {
      traffic.requests += value;
      if (labels.code_class === '5xx') traffic.errors5xx += value;
    } else if (name === 'lanes_gateway_request_duration_seconds_bucket' && labels.le !== '+Inf') {
      traffic.buckets.push({ le: Number(labels.le), count: value });
    } else if (name === 'lanes_gateway_lane_admitted_total') {
      traffic.admitted = (traffic.admitted ?? 0) + value;
    } else if (name === 'lanes_gateway_lane_stripped_total' && labels.reason && value > 0) {
      traffic.stripped ??= {};
      traffic.stripped[labels.reason] = (traffic.stripped[labels.reason] ?? 0) + value;
    }
  }
  return lanes;
}

/** A quantile from a cumulative histogram, as the bucket's upper bound (Prometheus's histogram_quantile, roughly). */
export function quantileMs(traffic: LaneTraffic, q: number): number | undefined {
  if (traffic.requests === 0 || traffic.buckets.length === 0) return undefined;
  const rank = q * traffic.requests;
  const sorted = [...traffic.buckets].sort((a, b) => a.le - b.le);
  for (const bucket of sorted) if (bucket.count >= rank) return bucket.le * 1000;
  return undefined;
}

/** Traced chains that left `lane` at the hop from service `from` to service `to` (the gateway's leak detection). */
export interface LaneLeak {
  from: string;
  to: string;
  lane: string;
  count: number;
}

const LEAK_METRIC = 'lanes_gateway_lane_leaks_total';

/** Reads `lanes_gateway_lane_leaks_total` out of the gateway's /metrics text, most leaks first. */
export function parseLaneLeaks(text: string): LaneLeak[] {
  const leaks: LaneLeak[] = [];
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line);
    if (!match || match[1] !== LEAK_METRIC) continue;
    const { from, to, lane } = labelsOf(match[2]!);
    const count = Number(match[3]);
    if (from && to && lane && Number.isFinite(count) && count > 0) leaks.push({ from, to, lane, count });
  }
  return leaks.sort((a, b) => b.count - a.count);
}

/** Healthy replicas of one service lane, as the gateway's own health checks see them. */
export interface LaneHealth {
  service: string;
  lane: string;
  healthy: number;
}

/** What the running gateway says about every lane: traffic counters and healthy replicas (empty when it is down). */
export interface GatewayObservations {
  traffic: Map<string, LaneTraffic>;
  health: LaneHealth[];
  leaks: LaneLeak[];
}

/** Reads /metrics and /admin/health of the running gateway; a gateway that does not answer yields nothing. */
export async function observeGateway(get: (path: string) => Promise<string | undefined>): Promise<GatewayObservations> {
  const [metricsText, healthText] = await Promise.all([get('/metrics'), get('/admin/health')]);
  return {
    traffic: metricsText ? parseGatewayMetrics(metricsText) : new Map(),
    health: healthText ? (JSON.parse(healthText) as { lanes: LaneHealth[] }).lanes : [],
    leaks: metricsText ? parseLaneLeaks(metricsText) : [],
  };
}

/** Healthy replicas of a lane, or undefined when the gateway did not report it. */
export function healthyOf(observations: GatewayObservations, service: string, lane: string): number | undefined {
  return observations.health.find((h) => h.service === service && h.lane === lane)?.healthy;
}
