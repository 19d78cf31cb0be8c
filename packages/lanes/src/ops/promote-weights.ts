import type { LaneKey } from '../state/types.js';
import type { OpsContext } from './context.js';

/**
 * A promoted lane's weight goes to default, and the other lanes keep theirs: default takes over exactly the untagged
 * traffic the promoted lane had, so a canary at 100% (route default=0 gray=100) does not leave default at 0 after
 * the promote, and another canary keeps its share. Returns the service's weights after the move.
 */
export function moveWeightToDefault(ctx: OpsContext, promoted: LaneKey): Record<string, number> {
  const lanes = ctx.store.listLanes({ env: promoted.env, service: promoted.service });
  const moved = lanes.find((lane) => lane.lane === promoted.lane)?.weight ?? 0;
  const weights = Object.fromEntries(
    lanes.map((lane) => {
      if (lane.lane === 'default') return [lane.lane, lane.weight + moved];
      return [lane.lane, lane.lane === promoted.lane ? 0 : lane.weight];
    }),
  );
  ctx.store.setWeights(promoted.env, promoted.service, weights);
  delete weights[promoted.lane];
  return weights;
}

/** Each lane's share of untagged traffic, 0..1, from weights. */
export function sharesOf(weights: Record<string, number>): Record<string, number> {
  const total = Object.values(weights).reduce((sum, weight) => sum + weight, 0);
  return Object.fromEntries(Object.entries(weights).map(([lane, weight]) => [lane, total > 0 ? weight / total : 0]));
}
