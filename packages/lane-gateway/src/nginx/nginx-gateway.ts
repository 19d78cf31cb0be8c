import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type AdminTarget, closeAdminServer, createAdminServer, type ReplicaHealthReport } from '../admin-server.js';
import { adminToken } from '../admin-token.js';
import { loadGatewayConfig, parseGatewayConfig } from '../config.js';
import type { GatewayConfig } from '../config-types.js';
import { watchConfigFile } from '../config-watcher.js';
import { GatewayError } from '../errors.js';
import type { GatewayEventSink, ReloadSource } from '../events.js';
import { guardedReload, noConfigFileError } from '../guarded-reload.js';
import type { LaneStatsSnapshot } from '../metrics.js';
import { type NginxEngine, startNginxEngine } from './nginx-engine.js';
import { NginxHealth } from './nginx-health.js';
import { NginxMetricsLog } from './nginx-metrics.js';

export interface NginxGatewayOptions {
  config: GatewayConfig;
  /** Enables reload from the file (on change and on `reloadFromFile`). */
  configFile?: string;
  workers?: number;
  onEvent?: GatewayEventSink;
}

/**
 * The nginx engine as `lanes gateway` and `lanes up` run it: nginx serves the traffic; this process runs the active
 * health checks (rendering failed replicas `down`) and the Node engine's admin API (`/metrics` from nginx's access
 * log, `/admin/health`, `/admin/config`, `/admin/reload`), so the lanes commands work unchanged on either engine.
 */
export interface NginxGateway extends AdminTarget {
  readonly url: string;
  readonly adminUrl: string;
  readonly engine: NginxEngine;
  /** Resolves if nginx exits without being asked to (killed, crashed): the gateway is down; never rejects. */
  readonly failed: Promise<GatewayError>;
  close(graceMs?: number): Promise<void>;
}

export async function startNginxGateway(options: NginxGatewayOptions): Promise<NginxGateway> {
  const emit: GatewayEventSink = (event) => options.onEvent?.(event);
  // Read (or create) the token before starting anything, so a bad token file fails the start cleanly.
  const token = await adminToken(options.config.admin);
  const engine = await startNginxEngine({
    config: options.config,
    ...(options.configFile ? { configFile: options.configFile } : {}),
    ...(options.workers ? { workers: options.workers } : {}),
  });
  const metrics = new NginxMetricsLog(join(engine.prefix, 'access.log'));
  let current = options.config;
  // One nginx reload at a time: a change during a reload is applied after it.
  let chain: Promise<void> = Promise.resolve();
  const serialized = (run: () => Promise<void>): Promise<void> => {
    chain = chain.then(run, run);
    return chain;
  };
  let healthQueued = false;
  const health = new NginxHealth(current, metrics.registry, (replica, healthy, via, reason) => {
    emit({ event: 'replica-health', replica: replica.url, healthy, via, reason });
    if (healthQueued) return;
    healthQueued = true;
    void serialized(async () => {
      healthQueued = false;
      await engine.reload(current, health.down());
    }).catch((error: Error) =>
      emit({ event: 'error', message: `nginx reload after a health change: ${error.message}` }),
    );
  });
  const apply = async (config: GatewayConfig, source: ReloadSource): Promise<void> => {
    await health.configure(config);
    await engine.reload(config, health.down());
    current = config;
    emit({ event: 'reloaded', source, services: Object.keys(config.services).length, ignored: [] });
  };
  // The file is read inside the queue: a read that began before a newer write must not be applied after it.
  const reloadFromFile = async (source: ReloadSource): Promise<void> => {
    const file = options.configFile;
    if (!file) throw noConfigFileError();
    await serialized(() => guardedReload(source, () => loadGatewayConfig(file), apply, emit));
  };
  const target: AdminTarget = {
    config: () => current,
    metrics: async (): Promise<LaneStatsSnapshot[]> => {
      await metrics.catchUp();
      return metrics.registry.snapshot();
    },
    health: async (): Promise<ReplicaHealthReport[]> => health.report(),
    leaks: async () => [],
    reloadFromFile,
    applyConfig: (raw, source) =>
      serialized(() => guardedReload(source, async () => parseGatewayConfig(raw), apply, emit)),
  };
  const admin = createAdminServer(target, { token });
  admin.listen(options.config.admin.port, options.config.admin.host);
  try {
    await once(admin, 'listening');
  } catch (error) {
    await health.stop();
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
    ...target,
    url: engine.url,
    adminUrl,
    engine,
    failed,
    close: async (graceMs) => {
      closing = true;
      unwatch();
      await closeAdminServer(admin);
      await health.stop();
      await engine.close(graceMs);
    },
  };
}
