import { LaneAdmission } from './admission/lane-admission.js';
import type { GatewayConfig, HealthCheckConfig, ServiceConfig, TimeoutsConfig } from './config-types.js';
import { LaneReplicas } from './lane-replicas.js';
import { LaneSelector } from './lane-selector.js';
import type { LaneStats, MetricsRegistry } from './metrics.js';
import { type HealthChange, Replica } from './replica.js';
import { ServiceTable } from './service-table.js';

/** Everything the hot path needs about one service, built once per configuration. */
export interface ServiceRoute {
  name: string;
  config: ServiceConfig;
  selector: LaneSelector;
  lanes: ReadonlyMap<string, LaneReplicas>;
  stats: ReadonlyMap<string, LaneStats>;
}

/** A health-checked replica and the check settings of the first service that lists it. */
export interface CheckedReplica {
  replica: Replica;
  check: HealthCheckConfig;
}

/** An immutable snapshot of routing: a reload builds a new one and swaps it in one assignment. */
export class RoutingTable {
  readonly services: ServiceTable<ServiceRoute>;
  readonly checked: readonly CheckedReplica[];
  readonly admission: LaneAdmission;

  constructor(
    readonly config: GatewayConfig,
    replicas: ReplicaRegistry,
    metrics: MetricsRegistry,
  ) {
    // First: it reads the token key file, and a failure must leave the replica registry untouched.
    this.admission = new LaneAdmission(config.admission, config.carriers, config.requireTraceparent);
    const checked = new Map<string, CheckedReplica>();
    this.services = new ServiceTable(config.services, (name, service) => {
      const lanes = new Map<string, LaneReplicas>();
      const stats = new Map<string, LaneStats>();
      for (const [laneName, lane] of Object.entries(service.lanes)) {
        const members = lane.replicas.map((url) => {
          const replica = replicas.acquire(url, service, config.timeouts);
          if (!checked.has(url)) checked.set(url, { replica, check: service.healthCheck });
          return replica;
        });
        lanes.set(laneName, new LaneReplicas(name, laneName, members));
        stats.set(laneName, metrics.lane(name, laneName));
      }
      return {
        name,
        config: service,
        selector: new LaneSelector(service, config.carriers, config.requireTraceparent, config.traceContext.level),
        lanes,
        stats,
      };
    });
    this.checked = [...checked.values()];
  }
}

/** Replicas by URL, kept across reloads so pools and health state survive a config change. */
export class ReplicaRegistry {
  private current = new Map<string, Replica>();
  private building: Map<string, Replica> | undefined;

  constructor(private readonly onChange: HealthChange) {}

  /** Builds a routing table; replicas no longer listed are returned so the caller can close them after the swap. */
  build(config: GatewayConfig, metrics: MetricsRegistry): { table: RoutingTable; retired: Replica[] } {
    this.building = new Map();
    const table = new RoutingTable(config, this, metrics);
    const next = this.building;
    this.building = undefined;
    const retired = [...this.current.entries()].filter(([url]) => !next.has(url)).map(([, replica]) => replica);
    this.current = next;
    return { table, retired };
  }

  /** Called while building: the existing replica for a URL, or a new one. */
  acquire(url: string, service: ServiceConfig, timeouts: TimeoutsConfig): Replica {
    const building = this.building;
    if (!building) throw new Error('ReplicaRegistry.acquire called outside build()');
    let replica = building.get(url) ?? this.current.get(url);
    if (replica) replica.configure(service.passiveHealth);
    else replica = new Replica(url, timeouts, service.passiveHealth, this.onChange);
    building.set(url, replica);
    return replica;
  }

  all(): Replica[] {
    return [...this.current.values()];
  }
}
