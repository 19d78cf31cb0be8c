import { emit } from '../io-host.js';
import type { LaneRecord } from '../state/types.js';
import { laneKeyString } from '../state/types.js';
import type { OpsContext } from './context.js';
import { crashLoopGate, restartDue, restartSettled, rollbackAfterCrashLoop } from './crash-loop.js';
import { sickReplicas, stopSickReplica, unhealthyInGateway } from './failing-replicas.js';
import { adminGet, type PlatformInfo } from './gateway-link.js';
import { healthyOf, observeGateway } from './gateway-metrics.js';
import { syncGateway } from './gateway-sync.js';
import { beginOperation, recoverStaleOperations } from './operation.js';
import { stopOrphanReplicas } from './orphan-replicas.js';
import { launchReplica } from './replica-ops.js';
import { isReplicaAlive, servingReplicas } from './serving-replicas.js';

/**
 * One pass of the supervisor, like ECS's service scheduler: operations whose command died are finished or undone
 * (a stale lock must never switch supervision off for its lane), replicas of a lane's current revision that died
 * are replaced (lanes busy with a live operation are left to it), and a sample per lane is recorded for the alarms.
 */
export async function reconcileOnce(ctx: OpsContext, platform: PlatformInfo | undefined): Promise<void> {
  const recovered = await recoverStaleOperations(ctx);
  // A killed command may have left a replica no row counts as live any more; look for one after each recovery.
  if (recovered.length > 0) await stopOrphanReplicas(ctx);
  const lanes = ctx.store.listLanes({ env: ctx.project.env }).filter((lane) => lane.status !== 'deleting');
  let changed = false;
  const unhealthy = await unhealthyInGateway(platform);
  for (const lane of lanes) {
    if (await restoreLane(ctx, lane, unhealthy)) changed = true;
  }
  if (changed) await syncGateway(ctx);
  await recordSamples(ctx, lanes, platform);
}

async function restoreLane(ctx: OpsContext, lane: LaneRecord, unhealthy: ReadonlySet<string>): Promise<boolean> {
  const revision = lane.currentRevision ?? undefined;
  if (revision === undefined) return false;
  const serving = servingReplicas(ctx.store, lane);
  const sick = await sickReplicas(ctx, serving, unhealthy);
  const dead = serving.filter((r) => !isReplicaAlive(r) || sick.includes(r));
  const missing = lane.desiredReplicas - (serving.length - dead.length);
  if (dead.length === 0 && (missing <= 0 || !restartDue(ctx, lane, revision))) return false;
  // A stale lock is recovered here too (it may have gone stale since the pass began); a live holder is left alone.
  const begun = await beginOperation(ctx, 'up', [lane]);
  if (begun.type !== 'started') return false; // someone else works on the lane; look again next pass
  const operationId = begun.operation.id;
  try {
    for (const replica of sick) await stopSickReplica(ctx, replica);
    for (const replica of dead) ctx.store.updateReplica(replica.id, { state: 'failed', stoppedAt: Date.now() });
    const name = laneKeyString(lane);
    const gate = await crashLoopGate(ctx, lane, revision, dead.length > 0);
    if (gate.type !== 'restart') {
      ctx.store.finishOperation(operationId, 'succeeded');
      if (gate.type === 'looped' && gate.rollback) await rollbackAfterCrashLoop(ctx, lane, revision);
      return dead.length > 0; // the gateway must drop the dead ones; a loop already re-rendered it
    }
    const spec = ctx.store.getRevision(lane, revision)!.spec;
    const results = await Promise.all(
      Array.from({ length: Math.max(0, missing) }, () => launchReplica(ctx, operationId, lane, revision, spec)),
    );
    const restarted = results.filter((r) => r.type === 'healthy').length;
    restartSettled(ctx, lane, revision, restarted === results.length);
    if (restarted > 0) {
      // Said once the gateway routes to the replacement, so "restarted" means "in rotation".
      await syncGateway(ctx);
      emit(ctx.io, 'SUPERVISOR_RESTARTED_REPLICA', restartedText(name, restarted, dead.length), {
        // Starting the replicas of a lane that had none running (lanes up after down) is the normal start.
        level: dead.length > 0 ? 'warn' : 'info',
        lane: name,
        data: { restarted, died: dead.length },
      });
    }
    ctx.store.finishOperation(operationId, 'succeeded');
    return true;
  } catch (error) {
    ctx.store.finishOperation(operationId, 'failed', (error as Error).message);
    return true;
  }
}

async function recordSamples(ctx: OpsContext, lanes: LaneRecord[], platform: PlatformInfo | undefined): Promise<void> {
  const observed = platform ? await observeGateway((path) => adminGet(platform, path)) : undefined;
  for (const lane of lanes) {
    const running = servingReplicas(ctx.store, lane).filter(isReplicaAlive).length;
    const laneTraffic = observed?.traffic.get(`${lane.service}/${lane.lane}`);
    ctx.store.recordSample(lane, {
      running,
      desired: lane.desiredReplicas,
      healthy: (observed && healthyOf(observed, lane.service, lane.lane)) ?? running,
      requests: laneTraffic?.requests ?? 0,
      errors5xx: laneTraffic?.errors5xx ?? 0,
    });
  }
}

function restartedText(lane: string, restarted: number, died: number): string {
  const replicas = `${restarted} replica${restarted === 1 ? '' : 's'}`;
  return died > 0 ? `${lane}: started ${replicas} to replace ${died} that died` : `${lane}: started ${replicas}`;
}
