import { setTimeout as sleep } from 'node:timers/promises';
import { type GatewayEvent, parseGatewayConfig, startGateway, startNginxGateway } from '@lanes/gateway';
import { LanesError } from '../errors.js';
import { emit } from '../io-host.js';
import { deployMissingLanes } from './bring-up.js';
import type { OpsContext } from './context.js';
import type { DeployResult } from './deploy.js';
import { unroutedInGateway } from './failing-replicas.js';
import { reportEngineEvent, watchGatewayFailure } from './gateway-engine.js';
import { clearPlatformInfo, type PlatformInfo, readPlatformInfo, writePlatformInfo } from './gateway-link.js';
import { writeGatewayConfig } from './gateway-render.js';
import { recoverStaleOperations } from './operation.js';
import { stopOrphanReplicas } from './orphan-replicas.js';
import { stopAllReplicas } from './platform-down.js';
import { warnIfPortRangeEphemeral } from './port-range.js';
import { waitUntilGatewayRoutesAll } from './ready-wait.js';
import { reconcileOnce } from './reconcile.js';

export type UpResult =
  | { type: 'stopped'; url: string; deployed: DeployResult[] }
  | { type: 'already-running'; url: string; pid: number; message: string };

export interface UpOptions {
  /** Ends the platform (then replicas are stopped and the gateway closed). */
  signal: AbortSignal;
  /** Called once the gateway listens and the declared lanes are deployed. */
  onReady?: (info: PlatformInfo, deployed: DeployResult[]) => void;
  /** Gateway events (access log lines included). */
  onGatewayEvent?: (event: GatewayEvent) => void;
  /** @default 2000 */
  reconcileIntervalMs?: number;
}

/**
 * `lanes up`: the gateway on the rendered config, the declared lanes deployed, and a supervisor loop that keeps the
 * lanes' replicas running and samples them for alarms, until the signal aborts; then everything stops.
 */
export async function runPlatform(ctx: OpsContext, options: UpOptions): Promise<UpResult> {
  const existing = await readPlatformInfo(ctx.project);
  if (existing && existing.pid !== process.pid) {
    return {
      type: 'already-running',
      url: existing.url,
      pid: existing.pid,
      message: `the platform already runs for this project (pid ${existing.pid}, ${existing.url}); use lanes down to stop it`,
    };
  }
  warnIfPortRangeEphemeral(ctx);
  const written = writeGatewayConfig(ctx.project, ctx.store);
  const config = parseGatewayConfig(written.config, written.file);
  const gatewayOptions = {
    config,
    configFile: written.file,
    onEvent: (event: GatewayEvent) => {
      reportEngineEvent(ctx, event);
      options.onGatewayEvent?.(event);
    },
  };
  const gateway = await (config.engine === 'nginx'
    ? startNginxGateway({ ...gatewayOptions, restart: { ...ctx.project.gateway.crashLoop } })
    : startGateway(gatewayOptions)
  ).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    const { port, adminPort } = ctx.project.gateway;
    throw new LanesError(
      'LANES_PORT_IN_USE',
      `cannot start the gateway: ${error.message}; another program uses port ${port} or ${adminPort}: stop it, or set gateway.port / gateway.adminPort in ${ctx.project.file} (0 picks a free port)`,
      'user',
    );
  });
  const info: PlatformInfo = { pid: process.pid, url: gateway.url, adminUrl: gateway.adminUrl, startedAt: Date.now() };
  await writePlatformInfo(ctx.project, info);
  emit(ctx.io, 'GATEWAY_STARTED', `gateway listening on ${gateway.url} (admin ${gateway.adminUrl})`, {
    data: { url: gateway.url, adminUrl: gateway.adminUrl },
  });
  // Ends the platform on the caller's signal, or when the gateway's data plane fails for good.
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  options.signal.addEventListener('abort', onAbort, { once: true });
  if (options.signal.aborted) stop.abort();
  const gatewayHealth = watchGatewayFailure(gateway, stop);
  try {
    // What a `lanes up` or another command killed before left: recovered before anything starts, so the lanes come
    // back supervised, and replica processes no row owns are stopped instead of holding ports.
    await recoverStaleOperations(ctx);
    await stopOrphanReplicas(ctx);
    const deployed = await deployMissingLanes(ctx);
    await reconcileOnce(ctx, info);
    const unrouted = await waitUntilGatewayRoutesAll(() => unroutedInGateway(ctx, info), { signal: stop.signal });
    const failedEarly = gatewayHealth.failure();
    if (failedEarly) throw failedEarly;
    if (unrouted.unhealthy > 0) {
      const message = `${unrouted.unhealthy} replica(s) fail the gateway's health check; see lanes status`;
      emit(ctx.io, 'SUPERVISOR_ERROR', message, { level: 'warn' });
    }
    if (unrouted.unchecked > 0) {
      const message = `${unrouted.unchecked} replica(s) not yet checked by the gateway; they take traffic on trust`;
      emit(ctx.io, 'SUPERVISOR_ERROR', message, { level: 'warn' });
    }
    emit(ctx.io, 'PLATFORM_UP', `platform up on ${gateway.url}`, { data: { url: gateway.url } });
    options.onReady?.(info, deployed);
    while (!stop.signal.aborted) {
      await sleep(options.reconcileIntervalMs ?? 2000, undefined, { signal: stop.signal }).catch(() => undefined);
      if (stop.signal.aborted) break;
      await reconcileOnce(ctx, info).catch((error: Error) =>
        emit(ctx.io, 'SUPERVISOR_ERROR', `supervisor pass failed: ${error.message}`, { level: 'error' }),
      );
    }
    const failure = gatewayHealth.failure();
    if (failure) throw failure;
    return { type: 'stopped', url: gateway.url, deployed };
  } catch (error) {
    // A step that failed because nginx went away for good says less than why it went.
    throw gatewayHealth.failure() ?? error;
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    const stopped = await stopAllReplicas(ctx);
    for (const busy of stopped.busy) {
      emit(ctx.io, 'SUPERVISOR_ERROR', `replicas left running: ${busy.message}; run lanes down when it is done`, {
        level: 'error',
        lane: busy.lane,
      });
    }
    await gateway.close(5000);
    await clearPlatformInfo(ctx.project);
  }
}
