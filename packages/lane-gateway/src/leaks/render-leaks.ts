import type { LeakCount } from './leak-tracker.js';

/** `lanes_gateway_lane_leaks_total` in Prometheus text format 0.0.4 (service and lane names need no escaping). */
export function renderLeakMetrics(leaks: readonly LeakCount[]): string {
  const out = [
    '# HELP lanes_gateway_lane_leaks_total Traces that left their lane, once per trace, by the hop where it happened.',
    '# TYPE lanes_gateway_lane_leaks_total counter',
  ];
  for (const l of leaks)
    out.push(`lanes_gateway_lane_leaks_total{from="${l.from}",to="${l.to}",lane="${l.lane}"} ${l.count}`);
  return `${out.join('\n')}\n`;
}
