// Types for wrk-parse.js, which stays plain JavaScript so `node bench/gateway/run.js` runs it without a build.
// The root type-check (tsconfig.check.json) has no allowJs; this is what lets the TypeScript unit test import it.
// Keep in step with the JSDoc in wrk-parse.js.

export interface LatencyPercentiles {
  p50: number;
  p75: number;
  p90: number;
  p99: number;
}

export interface WrkResult {
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  latencyMs: LatencyPercentiles;
  latencySummaryMs: { avg: number; stdev: number; max: number };
  socketErrors: { connect: number; read: number; write: number; timeout: number };
  non2xx3xx: number;
}

export function parseWrkTime(text: string): number;
export function parseWrkOutput(output: string): WrkResult;
