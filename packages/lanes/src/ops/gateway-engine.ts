import type { GatewayEvent } from '@lanes/gateway';
import { LanesError } from '../errors.js';
import { emit } from '../io-host.js';
import type { OpsContext } from './context.js';

/** A gateway whose data plane is a process of its own (the nginx engine): `failed` once it stays down. */
interface FailingGateway {
  failed: Promise<Error>;
}

/**
 * The nginx engine's process events as the platform's own: an unasked exit is a warning (an error once no restart
 * follows), a restart says traffic is served again.
 */
export function reportEngineEvent(ctx: OpsContext, event: GatewayEvent): void {
  if (event.event === 'engine-exited') {
    const next =
      event.restartInMs === undefined
        ? 'restarts used up (gateway.crashLoop), lanes up stops'
        : `restarting${event.restartInMs > 0 ? ` in ${event.restartInMs} ms` : ''}`;
    emit(
      ctx.io,
      'GATEWAY_ENGINE_EXITED',
      `${event.engine} (pid ${event.pid}) exited unexpectedly (code ${event.code}, signal ${event.signal}); ${next}`,
      {
        level: event.restartInMs === undefined ? 'error' : 'warn',
        data: { ...event },
      },
    );
  } else if (event.event === 'engine-restarted') {
    emit(ctx.io, 'GATEWAY_ENGINE_RESTARTED', `${event.engine} restarted (pid ${event.pid}), serving again`, {
      level: 'warn',
      data: { pid: event.pid, restarts: event.restarts },
    });
  }
}

/**
 * Aborts `stop` when the gateway's data plane fails for good (nginx keeps dying), so `lanes up` ends instead of
 * supervising replicas nothing routes to; `failure()` then says why. The Node engine runs in this process: it never
 * fails on its own.
 */
export function watchGatewayFailure(gateway: object, stop: AbortController): { failure(): LanesError | undefined } {
  let failure: LanesError | undefined;
  if ('failed' in gateway) {
    void (gateway as FailingGateway).failed.then((error) => {
      failure = new LanesError('LANES_GATEWAY_FAILED', `the gateway stopped serving: ${error.message}`, 'system');
      stop.abort();
    });
  }
  return { failure: () => failure };
}
