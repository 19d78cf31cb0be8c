import type { LaneKey } from '../state/types.js';
import { laneKeyString } from '../state/types.js';
import { type OpsContext, STEPS } from './context.js';
import { deleteLocked } from './delete-lane.js';
import { type DeployResult, deployLocked } from './deploy.js';
import { beginOperation, type LaneBusy } from './operation.js';

export type PromoteResult =
  | { type: 'promoted'; lane: string; revision: number; defaultRevision: number; durationMs: number }
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
    await deleteLocked(ctx, operationId, key);
    ctx.store.finishOperation(operationId, 'succeeded');
    return { type: 'promoted', lane, revision, defaultRevision: deployed.revision, durationMs: Date.now() - started };
  } catch (error) {
    ctx.store.finishOperation(operationId, 'failed', (error as Error).message);
    throw error;
  }
}
