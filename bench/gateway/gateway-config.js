// The gateway config for a benchmark run: one service with two lanes pointing at the shared upstreams, both
// listeners on port 0 (the gateway picks free ports and reports them), and no access log, like nginx here.

/**
 * @param {{ default: string, gray: string }} upstreamUrls
 * @param {Record<string, unknown>} [settings] top-level fields laid over these (a variant, gateway-variants.js)
 */
export function gatewayConfig(upstreamUrls, settings = {}) {
  return {
    listen: { host: '127.0.0.1', port: 0 },
    admin: { host: '127.0.0.1', port: 0 },
    carriers: ['tracestate', 'baggage'],
    accessLog: false,
    services: {
      bench: {
        lanes: {
          default: { replicas: [upstreamUrls.default] },
          gray: { replicas: [upstreamUrls.gray] },
        },
      },
    },
    ...settings,
  };
}
