import type { ReplicaHealthReport } from './admin-server.js';
import type { RoutingTable } from './routing-table.js';

/** `GET /admin/health` of either engine: every lane of every service with the state of each replica. */
export function healthReport(table: RoutingTable): ReplicaHealthReport[] {
  const now = Date.now();
  const reports: ReplicaHealthReport[] = [];
  for (const route of table.services.values()) {
    for (const [lane, members] of route.lanes) {
      reports.push({
        service: route.name,
        lane,
        healthy: members.healthyCount(),
        total: members.replicas.length,
        replicas: members.replicas.map((r) => ({ url: r.url, state: r.state, ejected: r.ejectedUntil > now })),
      });
    }
  }
  return reports;
}
