import { emit } from '../io-host.js';
import { isProcessAlive } from '../local/index.js';
import type { OpsContext } from './context.js';
import { readPlatformInfo } from './gateway-link.js';
import { beginOperation, type LaneBusy } from './operation.js';
import { retireReplicas } from './replica-ops.js';

export type DownResult = { type: 'down'; replicasStopped: number; platformStopped: boolean } | LaneBusy;

/**
 * Stops the platform: the supervisor (if `lanes up` runs elsewhere) and every replica. The lanes, revisions and
 * weights stay in the state database, so the next `lanes up` brings the same lanes back.
 */
export async function stopPlatform(ctx: OpsContext, options: { waitMs?: number } = {}): Promise<DownResult> {
  const platform = await readPlatformInfo(ctx.project);
  let platformStopped = false;
  if (platform && platform.pid !== process.pid) {
    process.kill(platform.pid, 'SIGTERM');
    const deadline = Date.now() + (options.waitMs ?? 20_000);
    while (isProcessAlive(platform.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    platformStopped = !isProcessAlive(platform.pid);
  }
  const stopped = await stopAllReplicas(ctx);
  return stopped.type === 'busy' ? stopped : { ...stopped, platformStopped };
}

/** Stops every replica of the env under one operation that locks all its lanes. */
export async function stopAllReplicas(ctx: OpsContext): Promise<{ type: 'down'; replicasStopped: number } | LaneBusy> {
  const lanes = ctx.store.listLanes({ env: ctx.project.env });
  const begun = await beginOperation(ctx, 'down', lanes);
  if (begun.type === 'busy') return begun;
  try {
    const replicas = ctx.store
      .listReplicas({ states: ['starting', 'running', 'draining'] })
      .filter((replica) => replica.env === ctx.project.env);
    await retireReplicas(ctx, replicas);
    ctx.store.finishOperation(begun.operation.id, 'succeeded');
    emit(ctx.io, 'PLATFORM_DOWN', `stopped ${replicas.length} replica(s)`, { data: { replicas: replicas.length } });
    return { type: 'down', replicasStopped: replicas.length };
  } catch (error) {
    ctx.store.finishOperation(begun.operation.id, 'failed', (error as Error).message);
    throw error;
  }
}
