import type { ReplicaHealthReport } from '../admin-server.js';
import type { GatewayConfig } from '../config-types.js';
import { HealthChecker } from '../health-checker.js';
import { healthReport } from '../health-report.js';
import type { MetricsRegistry } from '../metrics.js';
import type { HealthChange } from '../replica.js';
import { ReplicaRegistry, type RoutingTable } from '../routing-table.js';

/**
 * Active health checks for the nginx engine, run in this process with the Node engine's checker: open-source nginx
 * has none (`health_check` is in the commercial subscription: https://nginx.org/docs/http/ngx_http_upstream_hc_module.html), so the verdict reaches nginx as `down` servers in the
 * rendered configuration, applied by a reload whenever a replica turns unhealthy or healthy again.
 */
export class NginxHealth {
  private readonly replicas: ReplicaRegistry;
  private readonly checker = new HealthChecker();
  private table: RoutingTable;

  constructor(
    config: GatewayConfig,
    private readonly metrics: MetricsRegistry,
    onChange: HealthChange,
  ) {
    this.replicas = new ReplicaRegistry(onChange);
    this.table = this.replicas.build(config, metrics).table;
    this.checker.update(this.table.checked);
  }

  /**
   * Checks the replicas of a new configuration; resolves once those out of rotation were checked again, so the
   * configuration nginx gets next reflects them (a replacement on a crashed replica's address is back at once).
   */
  async configure(config: GatewayConfig): Promise<void> {
    const { table, retired } = this.replicas.build(config, this.metrics);
    this.table = table;
    this.checker.update(table.checked);
    void Promise.allSettled(retired.map((replica) => replica.close()));
    await this.checker.recheckUnusable();
  }

  /** Replica URLs to render `down`: those whose checks failed (passive ejection is nginx's own `max_fails`). */
  down(): Set<string> {
    return new Set(this.replicas.all().flatMap((r) => (r.state === 'unhealthy' ? [r.url] : [])));
  }

  report(): ReplicaHealthReport[] {
    return healthReport(this.table);
  }

  async stop(): Promise<void> {
    this.checker.stop();
    await Promise.allSettled(this.replicas.all().map((replica) => replica.close()));
  }
}
