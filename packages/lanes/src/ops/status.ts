import { laneKeyString, type OperationRecord } from '../state/types.js';
import { type Alarm, evaluateAlarms, PLATFORM_DOWN_ALARM } from './alarms.js';
import type { OpsContext } from './context.js';
import { crashLoopStatus } from './crash-loop.js';
import { adminGet, readPlatformInfo } from './gateway-link.js';
import { healthyOf, type LaneLeak, type LaneTraffic, observeGateway, quantileMs } from './gateway-metrics.js';
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
  /** Lane admission at the gateway since it started: tags honoured, and tags removed by reason. */
  admission: { admitted: number; stripped: Record<string, number> } | undefined;
  updatedAt: number;
  ttlMs: number | undefined;
  /** The operation holding the lane's lock, if its command still runs. */
  busy: string | undefined;
  /**
   * The operation holding the lane's lock when its command died (the lock is stale): the supervisor recovers it on
   * its next pass, or the next command on the lane does when the platform is down.
   */
  staleLock: string | undefined;
  /** The supervisor's crash-loop policy: restarts and back-off, out of rotation, or rolled back. */
  crashLoop: string | undefined;
}

/** The gateway's data-plane process (`GET /admin/engine`): nginx's state and restarts; the Node engine is in-process. */
export interface GatewayEngineStatus {
  engine: string;
  state: string;
  pid: number;
  restarts: number;
  lastExit?: { code: number | null; signal: string | null; at: number } | undefined;
}

export interface PlatformStatus {
  project: string;
  env: string;
  platform: {
    running: boolean;
    url: string | undefined;
    adminUrl: string | undefined;
    /** Undefined when the platform is down or the gateway does not say. */
    engine?: GatewayEngineStatus | undefined;
  };
  lanes: LaneStatus[];
  /** Lane leaks the gateway counted since it started (empty when it is down). */
  leaks: LaneLeak[];
}

function staleLockText(holder: OperationRecord, supervised: boolean): string {
  const next = supervised ? 'recovering' : 'the next command on the lane (or lanes up) recovers it';
  return `${holder.kind} #${holder.id} held by dead pid ${holder.holderPid}, ${next}`;
}

function parseEngine(text: string | undefined): GatewayEngineStatus | undefined {
  if (text === undefined) return undefined;
  try {
    const report = JSON.parse(text) as GatewayEngineStatus;
    return typeof report.state === 'string' && Number.isInteger(report.restarts) ? report : undefined;
  } catch {
    return undefined;
  }
}

/** Everything `lanes status` shows, from the state database and, when the platform runs, the gateway. */
export async function collectStatus(ctx: OpsContext): Promise<PlatformStatus> {
  const { project, store } = ctx;
  const platform = await readPlatformInfo(project);
  const observed = platform
    ? await observeGateway((path) => adminGet(platform, path))
    : { traffic: new Map<string, LaneTraffic>(), health: [], leaks: [] };
  const engine = platform ? parseEngine(await adminGet(platform, '/admin/engine')) : undefined;
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
    const stale = holder !== undefined && store.isStale(holder);
    const healthy = platform ? (healthyOf(observed, lane.service, lane.lane) ?? 0) : undefined;
    const crashLoop = crashLoopStatus(project, lane);
    return {
      lane: key,
      service: lane.service,
      name: lane.lane,
      revision,
      label: revision === undefined ? undefined : store.getRevision(lane, revision)?.spec.label,
      replicas: {
        running: replicas.length,
        healthy,
        desired: lane.desiredReplicas,
      },
      weight: lane.weight,
      share: (totals.get(lane.service) ?? 0) > 0 ? lane.weight / totals.get(lane.service)! : 0,
      requests: laneTraffic?.requests,
      errorRate: laneTraffic && laneTraffic.requests > 0 ? laneTraffic.errors5xx / laneTraffic.requests : undefined,
      p50Ms: laneTraffic ? quantileMs(laneTraffic, 0.5) : undefined,
      p99Ms: laneTraffic ? quantileMs(laneTraffic, 0.99) : undefined,
      alarms: platform
        ? [...evaluateAlarms(store.recentSamples(lane, 30), { healthy }), ...crashLoop.alarms]
        : [PLATFORM_DOWN_ALARM],
      admission: laneTraffic
        ? { admitted: laneTraffic.admitted ?? 0, stripped: laneTraffic.stripped ?? {} }
        : undefined,
      updatedAt: lane.updatedAt,
      ttlMs: lane.ttlMs ?? undefined,
      busy: holder && !stale ? `${holder.kind} #${holder.id} (pid ${holder.holderPid})` : undefined,
      staleLock: holder && stale ? staleLockText(holder, platform !== undefined) : undefined,
      crashLoop: crashLoop.text,
    };
  });
  return {
    project: project.name,
    env: project.env,
    platform: { running: platform !== undefined, url: platform?.url, adminUrl: platform?.adminUrl, engine },
    lanes: rows,
    leaks: observed.leaks,
  };
}
