import { emit } from '../io-host.js';
import type { LaneKey } from '../state/types.js';
import type { OpsContext } from './context.js';
import { syncGateway } from './gateway-sync.js';
import { beginOperation, type LaneBusy } from './operation.js';

export type RouteResult =
  | { type: 'routed'; service: string; weights: Record<string, number>; shares: Record<string, number> }
  | { type: 'refused'; message: string }
  | LaneBusy;

/** Sets the weights of a service's lanes for untagged traffic (a percentage canary on top of tag routing). */
export async function routeService(
  ctx: OpsContext,
  service: string,
  weights: Record<string, number>,
): Promise<RouteResult> {
  const env = ctx.project.env;
  const lanes = ctx.store.listLanes({ env, service });
  const known = new Set(lanes.map((lane) => lane.lane));
  const unknown = Object.keys(weights).filter((lane) => !known.has(lane));
  if (unknown.length > 0) {
    return {
      type: 'refused',
      message: `service ${service} in ${env} has no lane ${unknown.join(', ')}; deploy it first`,
    };
  }
  const bad = Object.entries(weights).filter(([, weight]) => !Number.isFinite(weight) || weight < 0);
  if (bad.length > 0)
    return {
      type: 'refused',
      message: `weights must be numbers >= 0, got ${bad.map(([l, w]) => `${l}=${w}`).join(', ')}`,
    };
  const merged = Object.fromEntries(lanes.map((lane) => [lane.lane, weights[lane.lane] ?? lane.weight]));
  const total = Object.values(merged).reduce((sum, weight) => sum + weight, 0);
  if (total <= 0) return { type: 'refused', message: 'at least one lane needs a weight above 0' };
  const keys: LaneKey[] = Object.keys(weights).map((lane) => ({ env, service, lane }));
  const begun = await beginOperation(ctx, 'route', keys);
  if (begun.type === 'busy') return begun;
  try {
    // The store sets exactly what it is given (unnamed lanes to 0): give it every lane, unnamed ones unchanged.
    ctx.store.setWeights(env, service, merged);
    await syncGateway(ctx);
    ctx.store.finishOperation(begun.operation.id, 'succeeded');
  } catch (error) {
    ctx.store.finishOperation(begun.operation.id, 'failed', (error as Error).message);
    throw error;
  }
  const shares = Object.fromEntries(Object.entries(merged).map(([lane, weight]) => [lane, weight / total]));
  emit(
    ctx.io,
    'WEIGHTS_SET',
    `${service}: ${Object.entries(shares)
      .map(([l, s]) => `${l} ${Math.round(s * 1000) / 10}%`)
      .join(', ')}`,
    {
      data: { service, weights: merged },
    },
  );
  return { type: 'routed', service, weights: merged, shares };
}
