import { type NginxEngine, parseGatewayConfig, startNginxEngine } from '@lanes/gateway';
import { startTestGateway } from './gateway.js';

/** A gateway under test, whichever engine runs it: where it listens, how to reload and stop it. */
export interface RunningGateway {
  url: string;
  reload(raw: unknown): Promise<void>;
  close(): Promise<void>;
}

/** Starts a gateway from a raw configuration (as in a gateway.json); one per engine. */
export interface GatewayEngineFactory {
  engine: 'node' | 'nginx';
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
export const nginxEngine: GatewayEngineFactory = {
  engine: 'nginx',
  async start(raw) {
    const engine: NginxEngine = await startNginxEngine({ config: parseGatewayConfig(raw) });
    return {
      url: engine.url,
      reload: (next) => engine.reload(parseGatewayConfig(next)),
      close: () => engine.close(),
    };
  },
};
