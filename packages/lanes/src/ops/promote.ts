import type { LaneKey } from '../state/types.js';
import { laneKeyString } from '../state/types.js';
import { type OpsContext, STEPS } from './context.js';
import { deleteLocked } from './delete-lane.js';
import { type DeployResult, deployLocked } from './deploy.js';
import { beginOperation, type LaneBusy } from './operation.js';
import { moveWeightToDefault } from './promote-weights.js';

export type PromoteResult =
  | {
      type: 'promoted';
      lane: string;
      revision: number;
      defaultRevision: number;
      durationMs: number;
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
