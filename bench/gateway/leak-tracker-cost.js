// What the gateway's lane-leak tracker costs per request, in isolation (docs/benchmarks.md, "Lane-leak tracking"):
// CPU time of one observe() call for each kind of request, and heap per remembered trace.
// Run after `npx tsc -b`: node --expose-gc bench/gateway/leak-tracker-cost.js [traces]
import { randomBytes } from 'node:crypto';
import { parseGatewayConfig } from '../../packages/lane-gateway/dist/config.js';
import { LeakTracker } from '../../packages/lane-gateway/dist/leaks/leak-tracker.js';

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const traces = Number(process.argv[2] ?? 100_000);
const lanes = { default: { replicas: [] }, gray: { replicas: [] } };
const config = parseGatewayConfig({
  listen: { port: 0 },
  admin: { port: 0 },
  leaks: { maxTraces: traces },
  services: { a: { lanes } },
});
// A fresh header string per request, as the HTTP parser makes them (the trace id is a slice of it).
const header = () => `00-${randomBytes(16).toString('hex')}-00f067aa0ba902b7-01`;

const tracker = new LeakTracker(config, undefined);
globalThis.gc();
const before = process.memoryUsage().heapUsed;
for (let i = 0; i < traces; i++) tracker.observe(header(), 'gray', 'a');
globalThis.gc();
const perTrace = (process.memoryUsage().heapUsed - before) / tracker.tracked;

/** CPU nanoseconds (not wall time: the machine is shared) per observe() over prepared headers, best of 5 passes. */
function nsPerCall(/** @type {(string | undefined)[]} */ headers, /** @type {string | undefined} */ lane) {
  let best = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < 5; pass++) {
    const start = process.cpuUsage();
    for (const h of headers) tracker.observe(h, lane, 'a');
    const used = process.cpuUsage(start);
    best = Math.min(best, ((used.user + used.system) * 1e3) / headers.length);
  }
  return best;
}
const n = 200_000;
const fresh = Array.from({ length: n }, header);
const results = {
  'no traceparent': nsPerCall(new Array(n).fill(undefined), undefined),
  'traceparent, untagged, unknown trace (lookup)': nsPerCall(fresh, undefined),
  'traceparent, gray, known trace (hit)': nsPerCall(fresh.slice(0, traces), 'gray'),
  'traceparent, gray, new trace (insert + evict)': nsPerCall(Array.from({ length: n }, header), 'gray'),
};
console.log(`node ${process.version}; maxTraces ${traces}; ${Math.round(perTrace)} bytes of heap per remembered trace`);
for (const [what, ns] of Object.entries(results)) console.log(`${what}: ${Math.round(ns)} ns per request`);
