import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  type AdminTarget,
  CONFIG_APPLIED,
  type ConfigChange,
  closeAdminServer,
  createAdminServer,
  type ReplicaHealthReport,
} from './admin-server.js';
import { adminToken } from './admin-token.js';
import { ClientErrors, refuseConnect } from './client-errors.js';
import { loadGatewayConfig, parseGatewayConfig } from './config.js';
import type { GatewayConfig } from './config-types.js';
import { watchConfigFile } from './config-watcher.js';
import type { GatewayEventSink, ReloadSource } from './events.js';
import { guardedReload, noConfigFileError } from './guarded-reload.js';
import { HealthChecker } from './health-checker.js';
import { healthReport } from './health-report.js';
import { type LeakCount, LeakTracker } from './leaks/leak-tracker.js';
import { type LaneStatsSnapshot, MetricsRegistry } from './metrics.js';
import { ProxyHandler } from './proxy-handler.js';
import type { Replica } from './replica.js';
import { MAX_HEADER_FIELDS } from './request-target.js';
import { ReplicaRegistry, type RoutingTable } from './routing-table.js';
import { tunnelUpgrade } from './upgrade-tunnel.js';

export interface GatewayOptions {
  config: GatewayConfig;
  /** The file the config came from: enables `POST /admin/reload` and, with `watch`, reload on change. */
  configFile?: string;
  /** Reload when the config file changes. @default true when configFile is set */
  watch?: boolean;
  /** Serve the admin API. Worker processes leave it to the primary. @default true */
  admin?: boolean;
  onEvent?: GatewayEventSink;
}

/** Settings a running gateway cannot change without a restart. */
export function restartOnlyChanges(from: GatewayConfig, to: GatewayConfig): string[] {
  const changed: string[] = [];
  if (from.listen.host !== to.listen.host || from.listen.port !== to.listen.port) changed.push('listen');
  const { admin } = from;
  if (admin.host !== to.admin.host || admin.port !== to.admin.port || admin.tokenFile !== to.admin.tokenFile) {
    changed.push('admin');
  }
  if (from.limits.maxHeaderBytes !== to.limits.maxHeaderBytes) changed.push('limits.maxHeaderBytes');
  return changed;
}

function urlOf(server: Server): string {
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** A running lane gateway: the proxy listener, the admin listener, health checks and reloads. */
export class Gateway implements AdminTarget {
  private table: RoutingTable;
  private readonly metricsRegistry = new MetricsRegistry();
  private readonly replicas: ReplicaRegistry;
  private readonly checker = new HealthChecker();
  private readonly leakTracker: LeakTracker;
  private readonly proxy: Server;
  private adminServer: Server | undefined;
  private stopWatching: (() => void) | undefined;
  private readonly sockets = new Set<Socket>();
  private closing: Promise<void> | undefined;
  url = '';
  adminUrl = '';

  private constructor(private readonly options: GatewayOptions) {
    const emit = options.onEvent;
    this.replicas = new ReplicaRegistry((replica, healthy, via, reason) =>
      emit?.({ event: 'replica-health', replica: replica.url, healthy, via, reason }),
    );
    this.table = this.replicas.build(options.config, this.metricsRegistry).table;
    const { timeouts, limits } = options.config;
    const clientErrors = new ClientErrors();
    this.leakTracker = new LeakTracker(options.config, emit);
    const handler = new ProxyHandler(() => this.table, emit, clientErrors, this.leakTracker);
    this.proxy = createServer(
      {
        maxHeaderSize: limits.maxHeaderBytes,
        headersTimeout: timeouts.headersMs,
        requestTimeout: 0, // long streams are fine; slow headers and idle connections are what we bound
        keepAliveTimeout: timeouts.idleMs,
        connectionsCheckingInterval: Math.min(1000, timeouts.headersMs),
      },
      handler.handle,
    );
    // One field over the limit is kept, so that checkRequestTarget can tell "too many" from "exactly the limit".
    this.proxy.maxHeadersCount = MAX_HEADER_FIELDS + 1;
    this.proxy.on('upgrade', (req, socket, head) => tunnelUpgrade(this.table, req, socket, head));
    this.proxy.on('connect', (_req, socket) => refuseConnect(socket));
    this.proxy.on('clientError', clientErrors.onClientError);
    this.proxy.on('connection', (socket: Socket) => {
      socket.setNoDelay(true);
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: GatewayOptions): Promise<Gateway> {
    const gateway = new Gateway(options);
    await gateway.listen();
    return gateway;
  }

  private async listen(): Promise<void> {
    const { listen, admin } = this.options.config;
    // Read (or create) the token before binding anything, so a bad token file fails the start cleanly.
    const token = this.options.admin !== false ? await adminToken(admin) : undefined;
    this.proxy.listen(listen.port, listen.host);
    await once(this.proxy, 'listening');
    this.url = urlOf(this.proxy);
    if (this.options.admin !== false) {
      this.adminServer = createAdminServer(this, { token });
      this.adminServer.listen(admin.port, admin.host);
      await once(this.adminServer, 'listening');
      this.adminUrl = urlOf(this.adminServer);
      // First event of a standalone gateway, before any health check can report; a cluster's primary says it.
      this.options.onEvent?.({ event: 'listening', url: this.url, adminUrl: this.adminUrl, workers: 1 });
    }
    this.checker.update(this.table.checked);
    const file = this.options.configFile;
    if (file && this.options.watch !== false) {
      this.stopWatching = watchConfigFile(file, () => {
        this.reloadFromFile('file').catch(() => {
          // reloadFromFile already reported the failure as an event; the old configuration keeps serving.
        });
      });
    }
  }

  config(): GatewayConfig {
    return this.table.config;
  }

  /** Swaps in a new configuration; requests in flight finish on the replicas they started on. */
  reload(config: GatewayConfig, source: ReloadSource = 'api'): void {
    const ignored = restartOnlyChanges(this.table.config, config);
    const kept: GatewayConfig = { ...config, listen: this.table.config.listen, admin: this.table.config.admin };
    kept.limits = { ...config.limits, maxHeaderBytes: this.table.config.limits.maxHeaderBytes };
    const { table, retired } = this.replicas.build(kept, this.metricsRegistry);
    this.table = table;
    this.leakTracker.configure(kept);
    this.checker.update(table.checked);
    void closeReplicas(retired);
    this.options.onEvent?.({ event: 'reloaded', source, services: table.services.size, ignored });
  }

  async reloadFromFile(source: ReloadSource): Promise<ConfigChange> {
    const file = this.options.configFile;
    if (!file) throw noConfigFileError();
    await guardedReload(source, () => loadGatewayConfig(file), this.applyParsed, this.options.onEvent);
    return CONFIG_APPLIED;
  }

  async applyConfig(raw: unknown, source: ReloadSource): Promise<ConfigChange> {
    await guardedReload(source, async () => parseGatewayConfig(raw), this.applyParsed, this.options.onEvent);
    return CONFIG_APPLIED;
  }

  /** A reload answers once the replicas it keeps out of rotation were checked again (see `recheckUnusable`). */
  private readonly applyParsed = async (config: GatewayConfig, source: ReloadSource): Promise<void> => {
    this.reload(config, source);
    await this.checker.recheckUnusable();
  };

  async metrics(): Promise<LaneStatsSnapshot[]> {
    return this.metricsRegistry.snapshot();
  }

  async leaks(): Promise<LeakCount[]> {
    return this.leakTracker.snapshot();
  }

  async health(): Promise<ReplicaHealthReport[]> {
    return healthReport(this.table);
  }

  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes everything. */
  close(graceMs = 10_000): Promise<void> {
    this.closing ??= this.shutdown(graceMs);
    return this.closing;
  }

  private async shutdown(graceMs: number): Promise<void> {
    this.stopWatching?.();
    this.checker.stop();
    const closed = new Promise<void>((resolve) => this.proxy.close(() => resolve()));
    this.proxy.closeIdleConnections();
    const timer = setTimeout(() => {
      for (const socket of this.sockets) socket.destroy();
    }, graceMs);
    await closed;
    clearTimeout(timer);
    await closeAdminServer(this.adminServer);
    await closeReplicas(this.replicas.all());
  }
}

async function closeReplicas(replicas: readonly Replica[]): Promise<void> {
  await Promise.allSettled(replicas.map((replica) => replica.close()));
}

/** Starts a gateway and resolves once both listeners are bound. */
export function startGateway(options: GatewayOptions): Promise<Gateway> {
  return Gateway.start(options);
}
