import {
  type GatewayConfig,
  type NginxEngine,
  type NginxLaneParser,
  parseGatewayConfig,
  startNginxEngine,
} from '@lanes/gateway';
import { startTestGateway } from './gateway.js';

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
        reload: (next) => nginx.reload(withParser(next)),
        close: () => nginx.close(),
      };
    },
  };
}
