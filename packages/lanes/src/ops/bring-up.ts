import { declaredService } from '../lane-checks.js';
import type { LaneKey } from '../state/types.js';
import type { OpsContext } from './context.js';
import { type DeployResult, deployLane } from './deploy.js';
import { composeRevision } from './revision.js';

/** The lanes `lanes up` makes sure exist: every service's default lane and the lanes declared in the project file. */
export function declaredLaneKeys(ctx: OpsContext): LaneKey[] {
  const keys: LaneKey[] = [];
  for (const service of Object.values(ctx.project.services)) {
    keys.push({ env: ctx.project.env, service: service.name, lane: 'default' });
    for (const lane of Object.keys(service.lanes)) keys.push({ env: ctx.project.env, service: service.name, lane });
  }
  return keys;
}

/**
 * Deploys, in parallel, every declared lane that has never served (first `lanes up`). Lanes that already have a
 * revision are left to the supervisor, which restarts their replicas at that revision.
 */
export async function deployMissingLanes(ctx: OpsContext): Promise<DeployResult[]> {
  const missing = declaredLaneKeys(ctx).filter(
    (key) => (ctx.store.getLane(key)?.currentRevision ?? undefined) === undefined,
  );
  // allSettled, not all: one deploy failing must not abandon the others half-done while this process moves on.
  const settled = await Promise.allSettled(
    missing.map((key) => {
      const service = declaredService(ctx.project, key.service);
      const declared = key.lane === 'default' ? undefined : service.lanes[key.lane];
      return deployLane(
        ctx,
        key,
        { spec: composeRevision(service, declared) },
        {
          kind: 'up',
          weight: declared ? declared.weight : 100,
          ...(declared?.replicas !== undefined ? { replicas: declared.replicas } : {}),
          ...(declared?.ttlMs !== undefined ? { ttlMs: declared.ttlMs } : {}),
        },
      );
    }),
  );
  const failure = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<DeployResult>).value);
}
