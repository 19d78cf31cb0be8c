import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AdminTarget,
  CONFIG_APPLIED,
  type ConfigChange,
  closeAdminServer,
  createAdminServer,
  type ReplicaHealthReport,
} from './admin-server.js';
import { adminToken } from './admin-token.js';
import { LaneAdmission } from './admission/lane-admission.js';
import { loadGatewayConfig, parseGatewayConfig } from './config.js';
import type { GatewayConfig } from './config-types.js';
import { watchConfigFile } from './config-watcher.js';
import { GatewayError } from './errors.js';
import type { GatewayEvent, GatewayEventSink, ReloadSource } from './events.js';
import { restartOnlyChanges } from './gateway.js';
import { guardedReload, noConfigFileError } from './guarded-reload.js';
import { type LeakCount, mergeLeakCounts } from './leaks/leak-tracker.js';
import { type LaneStatsSnapshot, mergeSnapshots } from './metrics.js';
import { isWorkerMessage, type PrimaryMessage, type WorkerMessage } from './worker-protocol.js';

export interface GatewayClusterOptions {
  config: GatewayConfig;
  configFile?: string;
  /** Worker processes sharing the proxy port. */
  workers: number;
  /** The script each worker runs; it must call `runGatewayWorker`. */
  workerScript: string;
  onEvent?: GatewayEventSink;
  /** Extra environment for the workers (for example how to render their access log). */
  workerEnv?: Record<string, string>;
  /** How long to wait for every worker to listen. @default 15000 */
  startTimeoutMs?: number;
}

const ANSWER_TIMEOUT_MS = 2000;

/**
 * A gateway spread over several processes (node:cluster): the workers share the proxy port and proxy; the primary
 * owns the admin API, the config file and reloads, and adds up the workers' metrics. A worker that dies is
 * replaced with the configuration in force.
 */
export class GatewayCluster implements AdminTarget {
  url = '';
  adminUrl = '';
  private current: GatewayConfig;
  private readonly workers = new Set<Worker>();
  private admin: Server | undefined;
  private stopWatching: (() => void) | undefined;
  private closing = false;
  private nextId = 1;
  private readonly pending = new Map<number, (message: WorkerMessage) => void>();
  /** Last reported health per replica, so N workers' identical transitions are reported once. */
  private readonly reportedHealth = new Map<string, boolean>();
  /** Worker events that arrive before the primary has said `listening`, which must come first. */
  private readonly early: GatewayEvent[] = [];
  private listening = false;

  private constructor(private readonly options: GatewayClusterOptions) {
    this.current = options.config;
  }

  static async start(options: GatewayClusterOptions): Promise<GatewayCluster> {
    if (!cluster.isPrimary) throw new Error('GatewayCluster.start must run in the primary process');
    const gateway = new GatewayCluster(options);
    await gateway.listen();
    return gateway;
  }

  private async listen(): Promise<void> {
    checkAdmission(this.current);
    const token = await adminToken(this.current.admin);
    cluster.setupPrimary({ exec: this.options.workerScript });
    const ready = Array.from({ length: this.options.workers }, () => this.fork());
    const timeout = this.options.startTimeoutMs ?? 15_000;
    let timer: NodeJS.Timeout | undefined;
    const urls = await Promise.race([
      Promise.all(ready),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new GatewayError('GATEWAY_WORKERS_TIMEOUT', `workers did not listen within ${timeout} ms`, 'system'),
            ),
          timeout,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    this.url = urls[0]!;
    const { admin } = this.current;
    this.admin = createAdminServer(this, { token });
    this.admin.listen(admin.port, admin.host);
    await once(this.admin, 'listening');
    const address = this.admin.address() as AddressInfo;
    this.adminUrl = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    this.options.onEvent?.({
      event: 'listening',
      url: this.url,
      adminUrl: this.adminUrl,
      workers: this.options.workers,
    });
    this.listening = true;
    for (const event of this.early.splice(0)) this.options.onEvent?.(event);
    const file = this.options.configFile;
    if (file) this.stopWatching = watchConfigFile(file, () => void this.reloadFromFile('file').catch(() => undefined));
  }

  /** Forks one worker, hands it the configuration and resolves with its URL once it listens. */
  private fork(): Promise<string> {
    const worker = cluster.fork(this.options.workerEnv);
    this.workers.add(worker);
    return new Promise((resolve, reject) => {
      worker.on('message', (message: unknown) => {
        if (!isWorkerMessage(message)) return;
        if (message.type === 'lanes-waiting')
          this.post(worker, { type: 'lanes-config', config: this.current, source: 'api' });
        else if (message.type === 'lanes-ready') resolve(message.url);
        else if (message.type === 'lanes-failed')
          reject(new GatewayError('GATEWAY_WORKER_FAILED', message.message, 'system'));
        else this.onWorkerMessage(message);
      });
      worker.once('exit', (code) => {
        this.workers.delete(worker);
        reject(new GatewayError('GATEWAY_WORKER_EXITED', `worker exited with code ${code} before listening`, 'system'));
        if (this.closing) return;
        this.options.onEvent?.({
          event: 'error',
          message: `worker ${worker.process.pid} exited (code ${code}); starting another`,
        });
        setTimeout(() => void this.fork().catch(() => undefined), 200).unref();
      });
    });
  }

  private onWorkerMessage(message: WorkerMessage): void {
    if (message.type === 'lanes-metrics' || message.type === 'lanes-health' || message.type === 'lanes-leaks') {
      this.pending.get(message.id)?.(message);
      return;
    }
    if (message.type !== 'lanes-event') return;
    const { event } = message;
    if (event.event === 'replica-health') {
      if (this.reportedHealth.get(event.replica) === event.healthy) return;
      this.reportedHealth.set(event.replica, event.healthy);
    }
    if (this.listening) this.options.onEvent?.(event);
    else this.early.push(event);
  }

  private post(worker: Worker, message: PrimaryMessage): void {
    if (worker.isConnected()) worker.send(message);
  }

  /** Asks every live worker and collects the answers that arrive in time. */
  private async ask(type: 'lanes-metrics' | 'lanes-health' | 'lanes-leaks', only?: number): Promise<WorkerMessage[]> {
    const targets = [...this.workers].filter((w) => w.isConnected()).slice(0, only);
    const answers = targets.map((worker) => {
      const id = this.nextId++;
      return new Promise<WorkerMessage | undefined>((resolve) => {
        const timer = setTimeout(() => {
          this.pending.delete(id);
          resolve(undefined);
        }, ANSWER_TIMEOUT_MS);
        this.pending.set(id, (message) => {
          clearTimeout(timer);
          this.pending.delete(id);
          resolve(message);
        });
        this.post(worker, { type, id });
      });
    });
    return (await Promise.all(answers)).filter((m): m is WorkerMessage => m !== undefined);
  }

  config(): GatewayConfig {
    return this.current;
  }

  async metrics(): Promise<LaneStatsSnapshot[]> {
    const answers = await this.ask('lanes-metrics');
    return mergeSnapshots(answers.map((m) => (m.type === 'lanes-metrics' ? m.stats : [])));
  }

  /**
   * Each worker remembers the traces it proxied, so a leak is seen when the hop before it went through the same
   * worker; the counts are added up here (docs/gateway.md, "Lane leaks").
   */
  async leaks(): Promise<LeakCount[]> {
    const answers = await this.ask('lanes-leaks');
    return mergeLeakCounts(answers.map((m) => (m.type === 'lanes-leaks' ? m.leaks : [])));
  }

  /** Health as the first worker sees it: every worker checks every replica, so any one is representative. */
  async health(): Promise<ReplicaHealthReport[]> {
    const [answer] = await this.ask('lanes-health', 1);
    return answer?.type === 'lanes-health' ? answer.report : [];
  }

  reload(config: GatewayConfig, source: ReloadSource = 'api'): void {
    checkAdmission(config);
    const ignored = restartOnlyChanges(this.current, config);
    this.current = { ...config, listen: this.current.listen, admin: this.current.admin };
    for (const worker of this.workers) this.post(worker, { type: 'lanes-config', config: this.current, source });
    const services = Object.keys(config.services).length;
    this.options.onEvent?.({ event: 'reloaded', source, services, ignored });
  }

  async reloadFromFile(source: ReloadSource): Promise<ConfigChange> {
    const file = this.options.configFile;
    if (!file) throw noConfigFileError();
    await guardedReload(
      source,
      () => loadGatewayConfig(file),
      (c, s) => this.reload(c, s),
      this.options.onEvent,
    );
    return CONFIG_APPLIED;
  }

  async applyConfig(raw: unknown, source: ReloadSource): Promise<ConfigChange> {
    await guardedReload(
      source,
      async () => parseGatewayConfig(raw),
      (c, s) => this.reload(c, s),
      this.options.onEvent,
    );
    return CONFIG_APPLIED;
  }

  /** Asks every worker to drain and stop, then closes the admin API. */
  async close(graceMs = 10_000): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.stopWatching?.();
    const exits = [...this.workers].map((worker) => once(worker, 'exit'));
    for (const worker of this.workers) this.post(worker, { type: 'lanes-stop' });
    const timer = setTimeout(() => {
      for (const worker of this.workers) worker.kill('SIGKILL');
    }, graceMs);
    await Promise.all(exits);
    clearTimeout(timer);
    await closeAdminServer(this.admin);
  }
}

/**
 * Reads (or creates) the lane-token key in the primary first: a bad key file is the user's to fix, reported once as
 * a config issue, rather than N workers failing to start or to reload.
 */
function checkAdmission(config: GatewayConfig): void {
  new LaneAdmission(config.admission, config.carriers, config.requireTraceparent);
}
