import { emit } from '../io-host.js';
import { declaredService } from '../lane-checks.js';
import { stopReplica, waitHealthy } from '../local/index.js';
import type { ServiceModel } from '../model.js';
import type { ReplicaRecord } from '../state/types.js';
import { laneKeyString } from '../state/types.js';
import type { OpsContext } from './context.js';
import { adminGet, type PlatformInfo } from './gateway-link.js';
import type { Unrouted } from './ready-wait.js';
import { isReplicaAlive, servingReplicas } from './serving-replicas.js';

interface HealthReport {
  lanes: { service: string; lane: string; replicas?: { url: string; state: string }[] }[];
}

/** The gateway's verdict on each replica, keyed `service/lane/url`; empty when the gateway does not answer. */
async function gatewayVerdicts(platform: PlatformInfo | undefined): Promise<Map<string, string>> {
  const verdicts = new Map<string, string>();
  const text = platform && (await adminGet(platform, '/admin/health'));
  if (!text) return verdicts;
  try {
    for (const lane of (JSON.parse(text) as HealthReport).lanes) {
      for (const replica of lane.replicas ?? [])
        verdicts.set(`${lane.service}/${lane.lane}/${replica.url}`, replica.state);
    }
  } catch {
    // A gateway that answers something else tells us nothing: no replica is judged on it.
  }
  return verdicts;
}

/**
 * Replicas the gateway's active health checks hold unhealthy (their health endpoint fails), keyed
 * `service/lane/url`. Only a hint: the state belongs to an address, and a replacement may already listen there.
 */
export async function unhealthyInGateway(platform: PlatformInfo | undefined): Promise<Set<string>> {
  const failing = new Set<string>();
  for (const [key, state] of await gatewayVerdicts(platform)) if (state === 'unhealthy') failing.add(key);
  return failing;
}

/** A replica as the gateway's health report names it: `service/lane/url`. */
const gatewayKey = (r: ReplicaRecord): string => `${r.service}/${r.lane}/http://127.0.0.1:${r.port}`;

/**
 * How many replicas the gateway holds unhealthy, and how many it has not judged yet: `unknown` (the first check is
 * still in flight), or a live serving replica of `ctx`'s lanes that the gateway does not list at all (its config is
 * still being applied, e.g. a replacement). An unjudged replica takes traffic on trust or none at all, and a first
 * check that times out takes it out of rotation at once, so "routed" means judged healthy.
 */
export async function unroutedInGateway(ctx: OpsContext, platform: PlatformInfo | undefined): Promise<Unrouted> {
  const served = ctx.store
    .listLanes({ env: ctx.project.env })
    .filter((lane) => lane.status !== 'deleting')
    .flatMap((lane) => servingReplicas(ctx.store, lane).filter(isReplicaAlive).map(gatewayKey));
  return unroutedCounts(await gatewayVerdicts(platform), served);
}

/** {@link unroutedInGateway}'s counts from the gateway's verdicts and the keys of the replicas it should route to. */
export function unroutedCounts(verdicts: ReadonlyMap<string, string>, served: Iterable<string>): Unrouted {
  const counts = { unhealthy: 0, unchecked: 0 };
  for (const state of verdicts.values()) {
    if (state === 'unhealthy') counts.unhealthy++;
    else if (state === 'unknown') counts.unchecked++;
  }
  for (const key of served) if (!verdicts.has(key)) counts.unchecked++;
  return counts;
}

/** Serving replicas that are alive but whose health endpoint fails, by the gateway and then by our own checks. */
export async function sickReplicas(
  ctx: OpsContext,
  serving: readonly ReplicaRecord[],
  unhealthy: ReadonlySet<string>,
): Promise<ReplicaRecord[]> {
  const suspects = serving.filter((r) => isReplicaAlive(r) && unhealthy.has(gatewayKey(r)));
  const confirmed = await Promise.all(
    suspects.map(async (r) => ((await confirmUnhealthy(declaredService(ctx.project, r.service), r)) ? r : undefined)),
  );
  return confirmed.filter((r) => r !== undefined);
}

/** Stops a sick replica so the supervisor can replace it (the caller holds the lane's lock). */
export async function stopSickReplica(ctx: OpsContext, replica: ReplicaRecord): Promise<void> {
  const lane = laneKeyString(replica);
  emit(ctx.io, 'REPLICA_UNHEALTHY', `replica ${replica.id} of ${lane} fails its health check: replacing it`, {
    level: 'warn',
    lane,
    data: { replica: replica.id },
  });
  await stopReplica(replica.pid!, { graceMs: 1000 });
}

/**
 * Confirms the gateway's verdict with the supervisor's own checks of this very process for one check timeout: a
 * replica whose health endpoint keeps failing is replaced like one that died (and counts towards a crash loop).
 */
async function confirmUnhealthy(service: ServiceModel, replica: ReplicaRecord): Promise<boolean> {
  if (replica.pid === undefined) return false;
  const health = await waitHealthy({
    url: `http://127.0.0.1:${replica.port}`,
    path: service.healthCheck.path,
    timeoutMs: service.healthCheck.timeoutMs,
    intervalMs: Math.max(25, Math.floor(service.healthCheck.timeoutMs / 4)),
    pid: replica.pid,
  });
  return health.type === 'timeout';
}
