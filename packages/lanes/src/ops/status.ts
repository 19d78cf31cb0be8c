import { laneKeyString } from '../state/types.js';
import { type Alarm, evaluateAlarms } from './alarms.js';
import type { OpsContext } from './context.js';
import { crashLoopStatus } from './crash-loop.js';
import { adminGet, readPlatformInfo } from './gateway-link.js';
import { healthyOf, type LaneTraffic, observeGateway, quantileMs } from './gateway-metrics.js';
import { isReplicaAlive, servingReplicas } from './serving-replicas.js';

export interface LaneStatus {
  lane: string;
  service: string;
  name: string;
  revision: number | undefined;
  label: string | undefined;
  replicas: { running: number; healthy: number | undefined; desired: number };
  weight: number;
  /** Share of untagged traffic this lane gets (its weight over the service's total). */
  share: number;
  /** Since the gateway started. */
  requests: number | undefined;
  errorRate: number | undefined;
  p50Ms: number | undefined;
  p99Ms: number | undefined;
  alarms: Alarm[];
  updatedAt: number;
  ttlMs: number | undefined;
  /** The operation holding the lane's lock, if any. */
  busy: string | undefined;
  /** The supervisor's crash-loop policy: restarts and back-off, out of rotation, or rolled back. */
  crashLoop: string | undefined;
}

export interface PlatformStatus {
  project: string;
  env: string;
  platform: { running: boolean; url: string | undefined; adminUrl: string | undefined };
  lanes: LaneStatus[];
}

/** Everything `lanes status` shows, from the state database and, when the platform runs, the gateway. */
export async function collectStatus(ctx: OpsContext): Promise<PlatformStatus> {
  const { project, store } = ctx;
  const platform = await readPlatformInfo(project);
  const observed = platform
    ? await observeGateway((path) => adminGet(platform, path))
    : { traffic: new Map<string, LaneTraffic>(), health: [] };
  const running = store.runningOperations();
  const lanes = store.listLanes({ env: project.env });
  const totals = new Map<string, number>();
  for (const lane of lanes) totals.set(lane.service, (totals.get(lane.service) ?? 0) + lane.weight);
  const rows = lanes.map((lane): LaneStatus => {
    const key = laneKeyString(lane);
    const revision = lane.currentRevision ?? undefined;
    const replicas = servingReplicas(store, lane).filter(isReplicaAlive);
    const laneTraffic = observed.traffic.get(`${lane.service}/${lane.lane}`);
    const holder = running.find((op) => op.laneKeys.some((k) => laneKeyString(k) === key));
    const crashLoop = crashLoopStatus(project, lane);
    return {
      lane: key,
      service: lane.service,
      name: lane.lane,
      revision,
      label: revision === undefined ? undefined : store.getRevision(lane, revision)?.spec.label,
      replicas: {
        running: replicas.length,
        healthy: platform ? (healthyOf(observed, lane.service, lane.lane) ?? 0) : undefined,
        desired: lane.desiredReplicas,
      },
      weight: lane.weight,
      share: (totals.get(lane.service) ?? 0) > 0 ? lane.weight / totals.get(lane.service)! : 0,
      requests: laneTraffic?.requests,
      errorRate: laneTraffic && laneTraffic.requests > 0 ? laneTraffic.errors5xx / laneTraffic.requests : undefined,
      p50Ms: laneTraffic ? quantileMs(laneTraffic, 0.5) : undefined,
      p99Ms: laneTraffic ? quantileMs(laneTraffic, 0.99) : undefined,
      alarms: [...evaluateAlarms(store.recentSamples(lane, 30)), ...crashLoop.alarms],
      updatedAt: lane.updatedAt,
      ttlMs: lane.ttlMs ?? undefined,
      busy: holder ? `${holder.kind} #${holder.id} (pid ${holder.holderPid})` : undefined,
      crashLoop: crashLoop.text,
    };
  });
  return {
    project: project.name,
    env: project.env,
    platform: { running: platform !== undefined, url: platform?.url, adminUrl: platform?.adminUrl },
    lanes: rows,
  };
}
