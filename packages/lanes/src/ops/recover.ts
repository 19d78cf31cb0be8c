import { emit } from '../io-host.js';
import type { LaneKey, LockHolder, OperationRecord } from '../state/types.js';
import { LIVE_REPLICA_STATES, laneKeyString, parseLaneKey } from '../state/types.js';
import { type OpsContext, STEPS } from './context.js';
import { deleteLocked } from './delete-lane.js';
import { syncGateway } from './gateway-sync.js';
import { moveWeightToDefault } from './promote-weights.js';
import { retireReplicas } from './replica-ops.js';
import { drainOldReplicas } from './rolling-replace.js';
import { isReplicaAlive } from './serving-replicas.js';

interface JournalFacts {
  shifted: Set<string>;
  deleting: Set<string>;
  started: Map<string, number[]>;
  promoteFrom: string | undefined;
}

function readJournal(operation: OperationRecord): JournalFacts {
  const facts: JournalFacts = { shifted: new Set(), deleting: new Set(), started: new Map(), promoteFrom: undefined };
  for (const step of operation.journal) {
    const data = step.data as { lane?: string; replicaId?: number };
    const lane = data.lane ?? '';
    if (step.step === STEPS.trafficShifted) facts.shifted.add(lane);
    else if (step.step === STEPS.laneDeleting) facts.deleting.add(lane);
    else if (step.step === STEPS.promotePlan) facts.promoteFrom = lane;
    else if (step.step === STEPS.replicaStarted && data.replicaId !== undefined) {
      facts.started.set(lane, [...(facts.started.get(lane) ?? []), data.replicaId]);
    }
  }
  return facts;
}

/** How a recovery ended: `finished` (it went forward) or `undone`, and whose work it was. */
export interface Recovered {
  operationId: number;
  kind: OperationRecord['kind'];
  outcome: 'finished' | 'undone';
  /** The pid that left the operation unfinished (not the recovering process). */
  deadPid: number;
}

/**
 * Finishes or undoes an operation whose CLI died (its lock is stale; the caller took it over from `dead`). Rule:
 * once traffic moved to a new revision, going forward is safe (stop the old replicas); before that, going back is
 * (stop what the operation started; a lane that never served is removed). Every step is idempotent, so a recovery
 * that is itself killed can run again.
 */
export async function recoverOperation(
  ctx: OpsContext,
  operation: OperationRecord,
  dead: Pick<LockHolder, 'pid'>,
): Promise<Recovered> {
  const facts = readJournal(operation);
  emit(
    ctx.io,
    'OPERATION_RECOVERING',
    `recovering ${operation.kind} #${operation.id}, left unfinished by pid ${dead.pid}`,
    {
      level: 'warn',
      data: { operation: operation.id, kind: operation.kind, deadPid: dead.pid },
    },
  );
  let forward = false;
  for (const key of operation.laneKeys) {
    const lane = laneKeyString(key);
    if (facts.deleting.has(lane)) {
      await deleteLocked(ctx, operation.id, key);
      forward = true;
    } else if (facts.shifted.has(lane)) {
      await drainOldReplicas(ctx, operation.id, key);
      forward = true;
    } else {
      await undoStarts(ctx, operation.id, key, facts.started.get(lane) ?? []);
    }
  }
  // A promote whose default lane already serves the new revision still owes the deletion of the promoted lane.
  if (facts.promoteFrom && operation.laneKeys.some((key) => facts.shifted.has(laneKeyString(key)))) {
    const source: LaneKey = parseLaneKey(facts.promoteFrom);
    if (ctx.store.getLane(source)) {
      moveWeightToDefault(ctx, source); // as promote does before its delete (a no-op if it already had)
      await deleteLocked(ctx, operation.id, source);
    }
  }
  await syncGateway(ctx);
  const status = forward ? 'succeeded' : 'reverted';
  const outcome = forward ? 'finished' : 'undone';
  ctx.store.finishOperation(operation.id, status, `recovered after pid ${dead.pid} died: ${outcome}`);
  emit(
    ctx.io,
    'OPERATION_RECOVERED',
    `${operation.kind} #${operation.id} ${outcome} (left unfinished by pid ${dead.pid})`,
    {
      level: 'warn',
      data: { operation: operation.id, status, deadPid: dead.pid },
    },
  );
  return { operationId: operation.id, kind: operation.kind, outcome, deadPid: dead.pid };
}

/**
 * Stops the replicas an unfinished operation started on a lane; removes the lane if it never served. A replica is
 * the operation's by its journal or by its row (a CLI killed between adding the row and journaling the start leaves
 * only the row; `retireReplicas` then finds the process by its markers). One that already passed its health check
 * at the lane's current revision (a supervisor's replacement) is adopted: it is what the lane should run anyway.
 */
async function undoStarts(ctx: OpsContext, operationId: number, key: LaneKey, replicaIds: number[]): Promise<void> {
  const lane = ctx.store.getLane(key);
  const current = lane?.currentRevision ?? undefined;
  const strays = ctx.store.listReplicas({ laneKey: key, states: LIVE_REPLICA_STATES }).filter((replica) => {
    const adoptable = replica.state === 'running' && replica.revision === current && isReplicaAlive(replica);
    if (adoptable) return false;
    return replicaIds.includes(replica.id) || replica.operationId === operationId || replica.revision !== current;
  });
  await retireReplicas(ctx, strays);
  if (lane && current === undefined) ctx.store.deleteLane(key);
}
