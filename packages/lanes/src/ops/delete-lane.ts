import { setTimeout as sleep } from 'node:timers/promises';
import { emit } from '../io-host.js';
import { declaredService } from '../lane-checks.js';
import type { LaneKey } from '../state/types.js';
import { LIVE_REPLICA_STATES, laneKeyString } from '../state/types.js';
import { type OpsContext, STEPS } from './context.js';
import { clearCrashLoopRecord } from './crash-loop.js';
import { syncGateway } from './gateway-sync.js';
import { beginOperation, type LaneBusy } from './operation.js';
import { retireReplicas } from './replica-ops.js';

export type DeleteResult =
  | { type: 'deleted'; lane: string; replicasStopped: number }
  | { type: 'not-found'; lane: string; message: string }
  | { type: 'refused'; lane: string; message: string }
  | LaneBusy;

/** Deletes a lane: out of the gateway first (its tag falls back to default), then its replicas drain and stop. */
export async function deleteLane(ctx: OpsContext, key: LaneKey): Promise<DeleteResult> {
  const lane = laneKeyString(key);
  if (key.lane === 'default') {
    return {
      type: 'refused',
      lane,
      message: `${lane} is the service's default lane and cannot be deleted; use lanes down to stop everything`,
    };
  }
  const begun = await beginOperation(ctx, 'delete', [key]);
  if (begun.type === 'busy') return begun;
  try {
    if (!ctx.store.getLane(key)) {
      ctx.store.finishOperation(begun.operation.id, 'failed', 'no such lane');
      return { type: 'not-found', lane, message: `there is no lane ${lane}` };
    }
    const stopped = await deleteLocked(ctx, begun.operation.id, key);
    ctx.store.finishOperation(begun.operation.id, 'succeeded');
    return { type: 'deleted', lane, replicasStopped: stopped };
  } catch (error) {
    ctx.store.finishOperation(begun.operation.id, 'failed', (error as Error).message);
    throw error;
  }
}

/** The body of a delete, for callers that hold the lane's lock (promote, gc, recovery). Idempotent. */
export async function deleteLocked(ctx: OpsContext, operationId: number, key: LaneKey): Promise<number> {
  const lane = laneKeyString(key);
  const replicas = ctx.store.listReplicas({ laneKey: key, states: LIVE_REPLICA_STATES });
  ctx.store.appendStep(operationId, STEPS.laneDeleting, { lane, replicaIds: replicas.map((r) => r.id) });
  if (ctx.store.getLane(key)) ctx.store.setLaneStatus(key, 'deleting');
  await syncGateway(ctx);
  await sleep(declaredService(ctx.project, key.service).drainMs);
  await retireReplicas(ctx, replicas);
  ctx.store.deleteLane(key);
  clearCrashLoopRecord(ctx.project, key);
  await syncGateway(ctx);
  emit(ctx.io, 'LANE_DELETED', `${lane} deleted`, { lane, data: { replicasStopped: replicas.length } });
  return replicas.length;
}
