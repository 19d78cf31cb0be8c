import { emit } from '../io-host.js';
import type { OpsContext } from './context.js';
import { readPlatformInfo, reloadGateway } from './gateway-link.js';
import { adminTokenFile, writeGatewayConfig } from './gateway-render.js';

/**
 * Makes the gateway route by the current state: re-renders its config file and, when the platform runs, has it
 * reload before returning, so the caller knows new requests already follow the new state.
 */
export async function syncGateway(ctx: OpsContext): Promise<void> {
  writeGatewayConfig(ctx.project, ctx.store);
  const platform = await readPlatformInfo(ctx.project);
  if (!platform) {
    emit(
      ctx.io,
      'GATEWAY_NOT_RUNNING',
      'the platform is not running (lanes up): the gateway will use this state when it starts',
      {
        level: 'debug',
      },
    );
    return;
  }
  const reloaded = await reloadGateway(platform, adminTokenFile(ctx.project));
  if (!reloaded.ok) throw new Error(`the gateway did not take the new configuration: ${reloaded.message}`);
  if (reloaded.pending) {
    // nginx is being restarted: the restart applies this state; until then the one before it routes.
    emit(ctx.io, 'GATEWAY_RELOADED', 'gateway restarting: it routes by the new state once nginx is back', {
      level: 'warn',
      data: { pending: true },
    });
    return;
  }
  emit(ctx.io, 'GATEWAY_RELOADED', 'gateway reloaded', { level: 'debug' });
}
