// Heap per remembered trace of the gateway's lane-leak tracker (docs/gateway.md, "Lane leaks").
// Run after `npx tsc -b`: node --expose-gc bench/gateway/leak-memory.js [traces]
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
const tracker = new LeakTracker(config, undefined);
globalThis.gc();
const before = process.memoryUsage().heapUsed;
// A fresh header string per request, as the HTTP parser makes them (the trace id is a slice of it).
for (let i = 0; i < traces; i++)
  tracker.observe(`00-${randomBytes(16).toString('hex')}-00f067aa0ba902b7-01`, 'gray', 'a');
globalThis.gc();
const perTrace = (process.memoryUsage().heapUsed - before) / tracker.tracked;
console.log(
  `${tracker.tracked} traces remembered, ${Math.round(perTrace)} bytes of heap per trace (node ${process.version})`,
);
