import { setTimeout as sleep } from 'node:timers/promises';
import { emit } from '../io-host.js';
import { declaredService } from '../lane-checks.js';
import type { RevisionSpec } from '../model.js';
import type { LaneKey, ReplicaRecord } from '../state/types.js';
import { LIVE_REPLICA_STATES, laneKeyString } from '../state/types.js';
import { type OpsContext, STEPS } from './context.js';
import { syncGateway } from './gateway-sync.js';
import { launchReplica, retireReplicas } from './replica-ops.js';

export type ReplaceOutcome =
  | { type: 'replaced'; replicas: ReplicaRecord[] }
  | { type: 'tripped'; reason: string; logTail: string[]; failures: number };

/**
 * Starts `desired` replicas of the revision at once (ECS's maximumPercent 200: old ones keep serving meanwhile).
 * A replica that fails is started again until the service's `maxStartFailures` is reached; then the circuit breaker
 * trips and every new replica is stopped.
 */
export async function startRevision(
  ctx: OpsContext,
  operationId: number,
  key: LaneKey,
  revision: number,
  spec: RevisionSpec,
  desired: number,
): Promise<ReplaceOutcome> {
  const maxFailures = declaredService(ctx.project, key.service).maxStartFailures;
  let failures = 0;
  let tripped: { reason: string; logTail: string[] } | undefined;
  const healthy: ReplicaRecord[] = [];
  const slot = async (): Promise<void> => {
    while (!tripped) {
      const result = await launchReplica(ctx, operationId, key, revision, spec);
      if (result.type === 'healthy') {
        healthy.push(result.replica);
        return;
      }
      failures += 1;
      if (failures >= maxFailures) tripped ??= { reason: result.reason, logTail: result.logTail };
    }
  };
  await Promise.all(Array.from({ length: desired }, slot));
  if (!tripped) return { type: 'replaced', replicas: healthy };
  const lane = laneKeyString(key);
  emit(
    ctx.io,
    'CIRCUIT_BREAKER_TRIPPED',
    `circuit breaker: ${failures} failed starts of revision ${revision} of ${lane}; stopping its replicas`,
    { level: 'error', lane, data: { revision, failures } },
  );
  await retireReplicas(ctx, healthy);
  return { type: 'tripped', ...tripped, failures };
}

/** Points the lane at the revision in the state and the gateway; from here on the new replicas serve. */
export async function shiftTraffic(
  ctx: OpsContext,
  operationId: number,
  key: LaneKey,
  revision: number,
): Promise<void> {
  ctx.store.setCurrentRevision(key, revision, operationId);
  ctx.store.appendStep(operationId, STEPS.trafficShifted, { lane: laneKeyString(key), revision });
  await syncGateway(ctx);
  const lane = laneKeyString(key);
  emit(ctx.io, 'TRAFFIC_SHIFTED', `${lane} now serves revision ${revision}`, { lane, data: { revision } });
}

/** Stops the lane's replicas that do not run its current revision, after in-flight requests had time to finish. */
export async function drainOldReplicas(ctx: OpsContext, operationId: number, key: LaneKey): Promise<void> {
  const lane = ctx.store.getLane(key);
  const old = ctx.store
    .listReplicas({ laneKey: key, states: LIVE_REPLICA_STATES })
    .filter((replica) => replica.revision !== lane?.currentRevision);
  if (old.length === 0) return;
  ctx.store.appendStep(operationId, STEPS.oldDraining, { lane: laneKeyString(key), replicaIds: old.map((r) => r.id) });
  await sleep(declaredService(ctx.project, key.service).drainMs);
  await retireReplicas(ctx, old);
}
