import {
  type GatewayConfig,
  type GatewayEvent,
  type NginxEngine,
  type NginxGateway,
  type NginxGatewayOptions,
  type NginxLaneParser,
  parseGatewayConfig,
  startNginxEngine,
  startNginxGateway,
} from '@lanes/gateway';
import { startTestGateway, testConfig } from './gateway.js';
import { startUpstream, type Upstream } from './upstream.js';

/** A gateway under test, whichever engine runs it: where it listens, how to reload and stop it. */
export interface RunningGateway {
  url: string;
  reload(raw: unknown): Promise<void>;
  close(): Promise<void>;
}

/** Starts a gateway from a raw configuration (as in a gateway.json); one per engine. */
export interface GatewayEngineFactory {
  engine: 'node' | 'nginx' | 'nginx (native lane module)';
  start(raw: unknown): Promise<RunningGateway>;
}

export const nodeEngine: GatewayEngineFactory = {
  engine: 'node',
  async start(raw) {
    const gw = await startTestGateway(raw);
    return {
      url: gw.gateway.url,
      reload: async (next) => {
        gw.gateway.reload(parseGatewayConfig(next), 'api');
      },
      close: () => gw.close(),
    };
  },
};

/** The nginx engine as `lanes gateway --engine nginx` runs it: Debian's nginx and njs, a real master process. */
export const nginxEngine: GatewayEngineFactory = nginxFactory('nginx', 'njs');

/**
 * The nginx engine with `nginx.laneParser: "native"`: the lane read by native/ (built with gcc on first use, then
 * cached), no njs call per request.
 */
export const nginxNativeEngine: GatewayEngineFactory = nginxFactory('nginx (native lane module)', 'native');

function nginxFactory(engine: GatewayEngineFactory['engine'], laneParser: NginxLaneParser): GatewayEngineFactory {
  const withParser = (raw: unknown): GatewayConfig => {
    const config = parseGatewayConfig(raw);
    return { ...config, nginx: { ...config.nginx, laneParser } };
  };
  return {
    engine,
    async start(raw) {
      const nginx: NginxEngine = await startNginxEngine({ config: withParser(raw) });
      return {
        url: nginx.url,
        reload: async (next) => {
          await nginx.reload(withParser(next));
        },
        close: () => nginx.close(),
      };
    },
  };
}

/**
 * Two upstreams `a` and `b` as the default lane of service `shop` behind the nginx gateway (health checks every
 * 100 ms, one failure makes a replica unhealthy); every event goes to `events`.
 */
export async function nginxOverCheckedPair(
  events: GatewayEvent[],
  options: Omit<NginxGatewayOptions, 'config' | 'onEvent'> = {},
): Promise<{ gw: NginxGateway; upstreams: [Upstream, Upstream] }> {
  const upstreams = (await Promise.all([startUpstream('a'), startUpstream('b')])) as [Upstream, Upstream];
  const [a, b] = upstreams;
  const gw = await startNginxGateway({
    ...options,
    config: parseGatewayConfig(
      testConfig({
        shop: {
          healthCheck: { path: '/healthz', intervalMs: 100, timeoutMs: 500, unhealthyThreshold: 1 },
          lanes: { default: { replicas: [a.url, b.url] } },
        },
      }),
    ),
    onEvent: (event) => events.push(event),
  });
  return { gw, upstreams };
}
