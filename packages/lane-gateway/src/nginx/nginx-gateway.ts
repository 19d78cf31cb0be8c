import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  type AdminTarget,
  CONFIG_APPLIED,
  type ConfigChange,
  closeAdminServer,
  createAdminServer,
  type ReplicaHealthReport,
} from '../admin-server.js';
import { adminToken } from '../admin-token.js';
import { loadGatewayConfig, parseGatewayConfig } from '../config.js';
import type { GatewayConfig } from '../config-types.js';
import { watchConfigFile } from '../config-watcher.js';
import type { GatewayError } from '../errors.js';
import type { GatewayEventSink, ReloadSource } from '../events.js';
import { guardedReload, noConfigFileError } from '../guarded-reload.js';
import type { LaneStatsSnapshot } from '../metrics.js';
import { RESTART_DEFAULTS, type RestartPolicy } from './engine-restarts.js';
import { type EngineReport, superviseEngine } from './engine-supervisor.js';
import { type NginxEngine, startNginxEngine } from './nginx-engine.js';
import { NginxHealth } from './nginx-health.js';
import { NginxMetricsLog } from './nginx-metrics.js';

export type { EngineReport } from './engine-supervisor.js';

export interface NginxGatewayOptions {
  config: GatewayConfig;
  /** Enables reload from the file (on change and on `reloadFromFile`). */
  configFile?: string;
  workers?: number;
  onEvent?: GatewayEventSink;
  /** How nginx is restarted when it exits unasked. @default RESTART_DEFAULTS */
  restart?: Partial<RestartPolicy>;
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
  /**
   * Resolves once nginx exited unasked (killed, crashed) and the restart policy gives up: the gateway is down for
   * good. Never rejects. Exits before that are restarts, reported as `engine-exited` and `engine-restarted` events.
   */
  readonly failed: Promise<GatewayError>;
  /** The nginx process's state and restarts (also `GET /admin/engine`). */
  engineReport(): EngineReport;
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
  const serialized = <T>(run: () => Promise<T>): Promise<T> => {
    const next = chain.then(run, run);
    chain = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  };
  // A reload refused because nginx was down (a health verdict, a file change): applied once nginx is back.
  let missed = false;
  // A configuration accepted while nginx was down (PUT /admin/config, a file change): the restart applies it.
  let pending: { config: GatewayConfig; source: ReloadSource } | undefined;
  let closed = false;
  const reloadEngine = async (config: GatewayConfig): Promise<void> => {
    try {
      await engine.reload(config, health.down());
    } catch (error) {
      if (!engine.running) missed = true;
      throw error;
    }
  };
  const restart = (): Promise<void> =>
    serialized(async () => {
      await engine.restart();
      if (!missed) return;
      missed = false;
      const accepted = pending;
      pending = undefined;
      const file = options.configFile;
      // The health verdicts reached meanwhile are rendered with whichever configuration comes in.
      await (accepted
        ? guardedReload(accepted.source, async () => accepted.config, apply, emit)
        : file
          ? guardedReload('file', () => loadGatewayConfig(file), apply, emit)
          : engine.reload(current, health.down())
      ).catch((error: Error) => emit({ event: 'error', message: `nginx reload after a restart: ${error.message}` }));
    });
  const policy = { ...RESTART_DEFAULTS, ...options.restart };
  const supervision = superviseEngine(engine, policy, emit, restart);
  let healthQueued = false;
  const health = new NginxHealth(current, metrics.registry, (replica, healthy, via, reason) => {
    emit({ event: 'replica-health', replica: replica.url, healthy, via, reason });
    if (healthQueued) return;
    healthQueued = true;
    void serialized(async () => {
      healthQueued = false;
      await reloadEngine(current);
    }).catch((error: Error) =>
      emit({ event: 'error', message: `nginx reload after a health change: ${error.message}` }),
    );
  });
  const apply = async (config: GatewayConfig, source: ReloadSource): Promise<ConfigChange> => {
    await health.configure(config);
    try {
      await reloadEngine(config);
    } catch (error) {
      // nginx is down and will be restarted: the change is taken, and the restart applies it (it is checked with
      // `nginx -t` then; a refusal is reported as reload-failed and the configuration in force stays).
      if (engine.running || closed || supervision.report().state === 'failed') throw error;
      pending = { config, source };
      return { type: 'pending', message: 'nginx is restarting: the configuration is applied once it is back' };
    }
    current = config;
    emit({ event: 'reloaded', source, services: Object.keys(config.services).length, ignored: [] });
    return CONFIG_APPLIED;
  };
  // The file is read inside the queue: a read that began before a newer write must not be applied after it.
  const reloadFromFile = (source: ReloadSource): Promise<ConfigChange> => {
    const file = options.configFile;
    if (!file) throw noConfigFileError();
    return serialized(() => guardedReload(source, () => loadGatewayConfig(file), apply, emit));
  };
  const target: AdminTarget = {
    config: () => current,
    metrics: async (): Promise<LaneStatsSnapshot[]> => {
      await metrics.catchUp();
      return metrics.registry.snapshot();
    },
    health: async (): Promise<ReplicaHealthReport[]> => health.report(),
    leaks: async () => [],
    engineReport: () => supervision.report(),
    reloadFromFile,
    applyConfig: (raw, source) =>
      serialized(() => guardedReload(source, async () => parseGatewayConfig(raw), apply, emit)),
  };
  const admin = createAdminServer(target, { token });
  admin.listen(options.config.admin.port, options.config.admin.host);
  try {
    await once(admin, 'listening');
  } catch (error) {
    supervision.stop();
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
    failed: supervision.failed,
    engineReport: supervision.report,
    close: async (graceMs) => {
      closed = true;
      supervision.stop();
      unwatch();
      await closeAdminServer(admin);
      await health.stop();
      // A reload or restart in flight writes into nginx's folder (`nginx -t` creates its temp paths): let it end.
      await chain.catch(() => undefined);
      await engine.close(graceMs);
    },
  };
}
