import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { loadGatewayConfig } from '../config.js';
import type { GatewayConfig } from '../config-types.js';
import { watchConfigFile } from '../config-watcher.js';
import { GatewayConfigError, GatewayError } from '../errors.js';
import type { GatewayEventSink, ReloadSource } from '../events.js';
import { renderPrometheus } from '../metrics.js';
import { type NginxEngine, startNginxEngine } from './nginx-engine.js';
import { NginxMetricsLog } from './nginx-metrics.js';

export interface NginxGatewayOptions {
  config: GatewayConfig;
  /** Enables reload from the file (on change and on `reloadFromFile`). */
  configFile?: string;
  workers?: number;
  onEvent?: GatewayEventSink;
}

/**
 * The nginx engine as `lanes gateway` runs it: the same events and reloads as the Node gateway; its admin address
 * serves `GET /metrics` only (per-lane counters read from nginx's access log, the Node engine's metric names).
 */
export interface NginxGateway {
  readonly url: string;
  readonly adminUrl: string;
  readonly engine: NginxEngine;
  reloadFromFile(source: ReloadSource): Promise<void>;
  /** Resolves if nginx exits without being asked to (killed, crashed): the gateway is down; never rejects. */
  readonly failed: Promise<GatewayError>;
  close(graceMs?: number): Promise<void>;
}

export async function startNginxGateway(options: NginxGatewayOptions): Promise<NginxGateway> {
  const engine = await startNginxEngine({
    config: options.config,
    ...(options.configFile ? { configFile: options.configFile } : {}),
    ...(options.workers ? { workers: options.workers } : {}),
  });
  const emit: GatewayEventSink = (event) => options.onEvent?.(event);
  const metrics = new NginxMetricsLog(join(engine.prefix, 'access.log'));
  const admin = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('the nginx engine serves GET /metrics only\n');
      return;
    }
    metrics.catchUp().then(
      () =>
        res
          .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
          .end(renderPrometheus(metrics.registry.snapshot(), [])),
      (error: Error) => res.writeHead(500).end(`${error.message}\n`),
    );
  });
  admin.listen(options.config.admin.port, options.config.admin.host);
  try {
    await once(admin, 'listening');
  } catch (error) {
    await engine.close(0);
    throw error;
  }
  const { port: adminPort } = admin.address() as AddressInfo;
  const adminHost = options.config.admin.host.includes(':')
    ? `[${options.config.admin.host}]`
    : options.config.admin.host;
  const adminUrl = `http://${adminHost}:${adminPort}`;
  emit({ event: 'listening', url: engine.url, adminUrl, workers: options.workers ?? 1 });
  for (const { path, why } of engine.rendered.ignored)
    emit({ event: 'error', message: `nginx engine ignores ${path}: ${why}` });
  // One reload at a time: a change during a reload is read again after it.
  let chain: Promise<void> = Promise.resolve();
  const reloadFromFile = (source: ReloadSource): Promise<void> => {
    const file = options.configFile;
    if (!file)
      return Promise.reject(new GatewayError('GATEWAY_NGINX_FAILED', 'no configuration file to reload from', 'user'));
    const run = async (): Promise<void> => {
      try {
        const config = await loadGatewayConfig(file);
        await engine.reload(config);
        emit({ event: 'reloaded', source, services: Object.keys(config.services).length, ignored: [] });
      } catch (error) {
        const issues = error instanceof GatewayConfigError ? error.issues : [];
        emit({ event: 'reload-failed', source, message: (error as Error).message, issues });
        throw error;
      }
    };
    chain = chain.then(run, run);
    return chain;
  };
  let closing = false;
  const failed = new Promise<GatewayError>((resolve) => {
    void engine.exited.then(({ code, signal }) => {
      if (closing) return;
      const message = `nginx exited unexpectedly (code ${code}, signal ${signal}); the gateway no longer serves`;
      emit({ event: 'error', message });
      resolve(new GatewayError('GATEWAY_NGINX_FAILED', message, 'system'));
    });
  });
  const unwatch = options.configFile
    ? watchConfigFile(options.configFile, () => {
        reloadFromFile('file').catch(() => undefined);
      })
    : () => undefined;
  return {
    url: engine.url,
    adminUrl,
    engine,
    reloadFromFile,
    failed,
    close: async (graceMs) => {
      closing = true;
      unwatch();
      admin.close();
      admin.closeAllConnections();
      await engine.close(graceMs);
    },
  };
}
