import type { LaneKey, OperationKind, OperationRecord } from '../state/types.js';
import { laneKeyString } from '../state/types.js';
import type { OpsContext } from './context.js';
import type { DeployResult } from './deploy.js';
import { beginOperation } from './operation.js';
import { isReplicaAlive, servingReplicas } from './serving-replicas.js';

/** A command's operation that a recovery already finished: the retried command answers as that operation. */
export interface FinishedByRecovery {
  operation: OperationRecord;
  /** The pid of the command that was killed with the operation unfinished. */
  deadPid: number;
}

const TAKEN_OVER = 'taken-over';
const ACKNOWLEDGED = 'recovery-acknowledged';
/** Operations that do not change what a lane serves: a retry looks past them for the one it repeats. */
const NEUTRAL_KINDS: ReadonlySet<OperationKind> = new Set(['up', 'down', 'route']);

/**
 * The last operation that changed the lane, when it is a `kind` a recovery finished (went forward, not undone) and
 * no command has answered for it yet. A CI job killed mid-promote and retried must not report a failure (or, for
 * a rollback, roll back a second time) because the supervisor or another command finished its work meanwhile.
 */
export function findFinishedByRecovery(
  ctx: OpsContext,
  kind: OperationKind,
  key: LaneKey,
): FinishedByRecovery | undefined {
  for (const operation of ctx.store.listOperations({ laneKey: key, limit: 50 })) {
    // Refused operations (nothing journaled) and those that leave revisions alone are not what a retry repeats.
    if (operation.status === 'running' || operation.journal.length === 0 || NEUTRAL_KINDS.has(operation.kind)) {
      continue;
    }
    if (operation.kind !== kind || operation.status !== 'succeeded') return undefined;
    const takenOver = operation.journal.find((step) => step.step === TAKEN_OVER);
    if (!takenOver) return undefined;
    // The first take-over names the command that died; a later one would name a recovery that itself was killed.
    const deadPid = (takenOver.data as { fromPid?: unknown }).fromPid;
    return { operation, deadPid: typeof deadPid === 'number' ? deadPid : operation.holderPid };
  }
  return undefined;
}

/**
 * Records that a command answered for a recovered operation, so the same command run once more does its work
 * again (a second rollback after the retried one is a new rollback). Returns false when the lane is busy.
 */
export async function acknowledgeRecovery(ctx: OpsContext, done: FinishedByRecovery, key: LaneKey): Promise<boolean> {
  const begun = await beginOperation(ctx, done.operation.kind, [key]);
  if (begun.type !== 'started') return false;
  ctx.store.appendStep(begun.operation.id, ACKNOWLEDGED, { operation: done.operation.id, deadPid: done.deadPid });
  ctx.store.finishOperation(begun.operation.id, 'succeeded');
  return true;
}

/** `promote #12 (left unfinished by pid 4242) was finished by recovery`: the sentence every such answer starts with. */
export function finishedByRecoveryText(done: FinishedByRecovery): string {
  return `${done.operation.kind} #${done.operation.id} (left unfinished by pid ${done.deadPid}) was finished by recovery`;
}

/** What a retried deploy or rollback answers: the lane as the recovered operation left it. */
export function recoveredDeployResult(
  ctx: OpsContext,
  key: LaneKey,
  done: FinishedByRecovery,
): Extract<DeployResult, { type: 'deployed' }> | undefined {
  const lane = ctx.store.getLane(key);
  const revision = lane?.currentRevision ?? undefined;
  if (!lane || revision === undefined) return undefined;
  return {
    type: 'deployed',
    lane: laneKeyString(key),
    revision,
    previousRevision: ctx.store.previousRevision(key),
    replicas: servingReplicas(ctx.store, lane).filter(isReplicaAlive).length,
    durationMs: 0,
    finishedByRecovery: {
      operationId: done.operation.id,
      deadPid: done.deadPid,
      message: finishedByRecoveryText(done),
    },
  };
}
