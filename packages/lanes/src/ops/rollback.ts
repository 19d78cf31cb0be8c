import type { LaneKey } from '../state/types.js';
import { laneKeyString } from '../state/types.js';
import type { OpsContext } from './context.js';
import { type DeployResult, deployLane } from './deploy.js';
import { acknowledgeRecovery, findFinishedByRecovery, recoveredDeployResult } from './finished-by-recovery.js';
import { recoverStaleOperations } from './operation.js';

export type RollbackResult = DeployResult | { type: 'no-previous'; lane: string; message: string };

/**
 * Rolls a lane back to the revision it served before its current one (a rolling replace, like a deploy). A retry of
 * a killed rollback that recovery finished answers as that rollback, once: it must not roll back a second time.
 */
export async function rollbackLane(ctx: OpsContext, key: LaneKey): Promise<RollbackResult> {
  const lane = laneKeyString(key);
  await recoverStaleOperations(ctx, [key]);
  const done = findFinishedByRecovery(ctx, 'rollback', key);
  const answer = done && recoveredDeployResult(ctx, key, done);
  if (done && answer && (await acknowledgeRecovery(ctx, done, key))) return answer;
  const previous = ctx.store.previousRevision(key);
  if (previous === undefined) {
    return { type: 'no-previous', lane, message: `${lane} has no earlier revision to roll back to` };
  }
  const spec = ctx.store.getRevision(key, previous)!.spec;
  return deployLane(ctx, key, { spec, revision: previous }, { kind: 'rollback' });
}
