import type { LaneKey } from '../state/types.js';
import { laneKeyString } from '../state/types.js';
import { type OpsContext, STEPS } from './context.js';
import { deleteLocked } from './delete-lane.js';
import { type DeployResult, deployLocked } from './deploy.js';
import { findFinishedByRecovery, finishedByRecoveryText } from './finished-by-recovery.js';
import { beginOperation, type LaneBusy, recoverStaleOperations } from './operation.js';
import { moveWeightToDefault } from './promote-weights.js';

export type PromoteResult =
  | {
      type: 'promoted';
      lane: string;
      revision: number;
      defaultRevision: number;
      durationMs: number;
      /** Set when this command found the promote already done by the recovery of a killed one (a retry). */
      finishedByRecovery?: { operationId: number; deadPid: number; message: string };
      /** The service's weights after the promote: the promoted lane's went to default. */
      weights: Record<string, number>;
    }
  | { type: 'refused'; lane: string; message: string }
  | Exclude<DeployResult, LaneBusy | { type: 'deployed' }>
  | LaneBusy;

/**
 * Promote: the default lane is updated to the lane's revision (a rolling replace, no request lost), then the
 * promoted lane is deleted. Both lanes are locked for the whole operation.
 */
export async function promoteLane(ctx: OpsContext, key: LaneKey): Promise<PromoteResult> {
  const lane = laneKeyString(key);
  if (key.lane === 'default') return { type: 'refused', lane, message: 'default is already the default lane' };
  const defaultKey: LaneKey = { ...key, lane: 'default' };
  const recovered = await promoteFinishedByRecovery(ctx, key);
  if (recovered) return recovered;
  const begun = await beginOperation(ctx, 'promote', [defaultKey, key]);
  if (begun.type === 'busy') return begun;
  const operationId = begun.operation.id;
  const started = Date.now();
  try {
    const source = ctx.store.getLane(key);
    const revision = source?.currentRevision ?? undefined;
    if (revision === undefined) {
      ctx.store.finishOperation(operationId, 'failed', 'nothing to promote');
      return { type: 'refused', lane, message: `${lane} has no serving revision to promote` };
    }
    const spec = ctx.store.getRevision(key, revision)!.spec;
    ctx.store.appendStep(operationId, STEPS.promotePlan, { lane, revision, into: laneKeyString(defaultKey) });
    const deployed = await deployLocked(ctx, operationId, defaultKey, { spec: { ...spec } }, {});
    if (deployed.type !== 'deployed') {
      ctx.store.finishOperation(operationId, 'reverted', deployed.reason);
      return deployed;
    }
    // Before the delete: the lane's weight would go with it, and the other lanes' shares would jump meanwhile.
    const weights = moveWeightToDefault(ctx, key);
    await deleteLocked(ctx, operationId, key);
    ctx.store.finishOperation(operationId, 'succeeded');
    const durationMs = Date.now() - started;
    return { type: 'promoted', lane, revision, defaultRevision: deployed.revision, durationMs, weights };
  } catch (error) {
    ctx.store.finishOperation(operationId, 'failed', (error as Error).message);
    throw error;
  }
}

/**
 * A retried promote: when a killed promote of this lane was finished by recovery (now, or earlier by the supervisor
 * or another command), the retry answers as that promote (exit 0) instead of "nothing to promote".
 */
export async function promoteFinishedByRecovery(
  ctx: OpsContext,
  key: LaneKey,
): Promise<Extract<PromoteResult, { type: 'promoted' }> | undefined> {
  const defaultKey: LaneKey = { ...key, lane: 'default' };
  await recoverStaleOperations(ctx, [defaultKey, key]);
  if ((ctx.store.getLane(key)?.currentRevision ?? undefined) !== undefined) return undefined;
  const done = findFinishedByRecovery(ctx, 'promote', key);
  const defaultRevision = ctx.store.getLane(defaultKey)?.currentRevision ?? undefined;
  if (!done || defaultRevision === undefined) return undefined;
  const plan = done.operation.journal.find((step) => step.step === STEPS.promotePlan)?.data as { revision?: number };
  return {
    type: 'promoted',
    lane: laneKeyString(key),
    revision: plan?.revision ?? defaultRevision,
    defaultRevision,
    durationMs: 0,
    weights: Object.fromEntries(
      ctx.store.listLanes({ env: key.env, service: key.service }).map((lane) => [lane.lane, lane.weight]),
    ),
    finishedByRecovery: {
      operationId: done.operation.id,
      deadPid: done.deadPid,
      message: finishedByRecoveryText(done),
    },
  };
}
