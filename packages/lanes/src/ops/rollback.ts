import type { LaneKey } from '../state/types.js';
import { laneKeyString } from '../state/types.js';
import type { OpsContext } from './context.js';
import { type DeployResult, deployLane } from './deploy.js';

export type RollbackResult = DeployResult | { type: 'no-previous'; lane: string; message: string };

/** Rolls a lane back to the revision it served before its current one (a rolling replace, like a deploy). */
export async function rollbackLane(ctx: OpsContext, key: LaneKey): Promise<RollbackResult> {
  const lane = laneKeyString(key);
  const previous = ctx.store.previousRevision(key);
  if (previous === undefined) {
    return { type: 'no-previous', lane, message: `${lane} has no earlier revision to roll back to` };
  }
  const spec = ctx.store.getRevision(key, previous)!.spec;
  return deployLane(ctx, key, { spec, revision: previous }, { kind: 'rollback' });
}
