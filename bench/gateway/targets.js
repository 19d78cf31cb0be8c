// The list of things measured, in the order they run. Every target is started against the same two upstreams
// and stopped before the next one starts, so no two targets ever compete for the CPUs.
import { startBareProxy } from './bare-proxy-target.js';
import { startGateway } from './gateway-target.js';
import { GATEWAY_VARIANTS } from './gateway-variants.js';
import { startNginx } from './nginx-target.js';

/** @typedef {{ type: 'running', url: string, stop: () => Promise<void>, pid?: number, treePid?: number }} RunningTarget pid: the proxy process, when one process does all the proxying; treePid: a process whose tree does (an nginx master and its workers); both for CPU per request */
/** @typedef {RunningTarget | { type: 'skipped', reason: string }} StartOutcome */
/** @typedef {'none' | 'substring' | 'exact-member'} RoutingRule how a target picks the lane; see routing-check.js */

/**
 * @typedef {object} Target
 * @property {string} id stable key, used by --only and in the JSON results
 * @property {string} label shown in the table
 * @property {'direct' | 'nginx' | 'bare' | 'gateway'} kind
 * @property {number | null} workers null for the direct run (no proxy)
 * @property {RoutingRule} rule the routing the target is checked against before it is measured
 * @property {boolean} [traced] every request carries a traceparent with a fresh trace id (alternate-lanes.lua)
 * @property {string} [baseline] the target id a variant is compared with (gateway-variants.js)
 * @property {(upstreams: import('./upstreams.js').Upstreams) => Promise<StartOutcome>} start
 */

/** @type {Target[]} */
export const targets = [
  {
    id: 'direct',
    label: 'direct to upstream (no proxy)',
    kind: 'direct',
    workers: null,
    rule: 'none',
    start: async (upstreams) => ({ type: 'running', url: `${upstreams.urls.default}/`, stop: async () => {} }),
  },
  nginx(1),
  nginx(2),
  bare(1),
  bare(2),
  gateway(1),
  gateway(2),
  nginxEngine(1, false),
  nginxEngine(2, false),
  nginxEngine(1, true),
  nginxNative(1),
  nginxNative(2),
  ...GATEWAY_VARIANTS.map((variant) => ({
    ...gateway(1),
    id: `gateway-1-${variant.id}`,
    label: `lanes gateway, 1 worker, traced, ${variant.label}`,
    traced: true,
    baseline: `gateway-1-${GATEWAY_VARIANTS[0]?.id}`,
    /** @param {import('./upstreams.js').Upstreams} upstreams */
    start: (upstreams) => startGateway(1, upstreams.urls, variant.settings),
  })),
];

/**
 * @param {number} workers
 * @returns {Target}
 */
function nginx(workers) {
  return {
    id: `nginx-${workers}`,
    label: `nginx, ${workers} worker${workers > 1 ? 's' : ''}`,
    kind: 'nginx',
    workers,
    rule: 'exact-member',
    start: async (upstreams) => ({ type: 'running', ...(await startNginx(workers, upstreams.ports)) }),
  };
}

/**
 * The gateway's nginx engine (`lanes gateway --engine nginx`), compared with plain nginx of the same worker count:
 * same upstreams, same load. With `metrics`, the access log the engine's metrics read is on: its cost.
 * @param {number} workers
 * @param {boolean} metrics
 * @returns {Target}
 */
function nginxEngine(workers, metrics) {
  return {
    id: `nginx-engine-${workers}${metrics ? '-log' : ''}`,
    label: `lanes gateway --engine nginx, ${workers} worker${workers > 1 ? 's' : ''}${metrics ? ', metrics log' : ''}`,
    kind: 'nginx',
    workers,
    rule: 'exact-member',
    start: (upstreams) => startGateway(workers, upstreams.urls, { engine: 'nginx', accessLog: metrics }),
  };
}

/**
 * The nginx engine with `nginx.laneParser: "native"`: the lane read by the C module (packages/lane-gateway/native),
 * no njs call per request. The module is built (or taken from the cache) before the gateway starts, so its start
 * timeout never covers a gcc build.
 * @param {number} workers
 * @returns {Target}
 */
function nginxNative(workers) {
  return {
    id: `nginx-native-${workers}`,
    label: `lanes gateway --engine nginx, native lane module, ${workers} worker${workers > 1 ? 's' : ''}`,
    kind: 'nginx',
    workers,
    rule: 'exact-member',
    start: async (upstreams) => {
      const built = await buildNativeModule();
      if (built.type === 'skipped') return built;
      return startGateway(workers, upstreams.urls, {
        engine: 'nginx',
        accessLog: false,
        nginx: { laneParser: 'native' },
      });
    },
  };
}

/** @returns {Promise<{ type: 'built' } | { type: 'skipped', reason: string }>} */
async function buildNativeModule() {
  try {
    const { buildNativeLaneModule } = await import('@lanes/gateway');
    await buildNativeLaneModule();
    return { type: 'built' };
  } catch (error) {
    return { type: 'skipped', reason: `native lane module: ${error instanceof Error ? error.message : error}` };
  }
}

/**
 * @param {number} workers
 * @returns {Target}
 */
function bare(workers) {
  return {
    id: `bare-${workers}`,
    label: workers > 1 ? `bare proxy, ${workers} workers (cluster)` : 'bare proxy, 1 process',
    kind: 'bare',
    workers,
    // The brief allows the peer a plain substring check; it stays ~30 lines and is, if anything, cheaper.
    rule: 'substring',
    start: async (upstreams) => ({ type: 'running', ...(await startBareProxy(workers, upstreams.urls)) }),
  };
}

/**
 * @param {number} workers
 * @returns {Target}
 */
function gateway(workers) {
  return {
    id: `gateway-${workers}`,
    label: `lanes gateway, ${workers} worker${workers > 1 ? 's' : ''}`,
    kind: 'gateway',
    workers,
    rule: 'exact-member',
    start: (upstreams) => startGateway(workers, upstreams.urls),
  };
}
