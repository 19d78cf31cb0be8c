import { GatewayError } from '../errors.js';
import type { GatewayEventSink } from '../events.js';
import { judgeRestart, type RestartPolicy } from './engine-restarts.js';
import type { NginxEngine, NginxExit } from './nginx-engine.js';

/** What `GET /admin/engine` and `lanes status` say about the data-plane process. */
export interface EngineReport {
  engine: 'nginx';
  /** `restarting` between an unasked exit and the next master answering; `failed` once the policy gave up. */
  state: 'running' | 'restarting' | 'failed';
  /** The current (or last) nginx master. */
  pid: number;
  /** nginx's folder (configuration, logs, pid file). */
  prefix: string;
  /** Restarts since the gateway started. */
  restarts: number;
  /** Configuration reloads nginx did since the gateway started (each swaps its workers). */
  reloads: number;
  lastExit: (NginxExit & { at: number }) | undefined;
}

export interface EngineSupervision {
  /** Resolves once the restart policy gives up: nginx is down for good. Never rejects. */
  readonly failed: Promise<GatewayError>;
  report(): EngineReport;
  /** Before a deliberate close: an exit from now on is asked for, and a pending restart is dropped. */
  stop(): void;
}

/**
 * Restarts nginx when it exits unasked (killed, crashed), after the policy's back-off, with `restart` (the gateway
 * runs `engine.restart` in its reload queue, so a restart never interleaves with a reload); reports each exit and
 * restart as an event.
 */
export function superviseEngine(
  engine: NginxEngine,
  policy: RestartPolicy,
  emit: GatewayEventSink,
  restart: () => Promise<void>,
): EngineSupervision {
  let restartTimes: number[] = [];
  let total = 0;
  let state: EngineReport['state'] = 'running';
  let lastExit: EngineReport['lastExit'];
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    });

  const failed = new Promise<GatewayError>((resolve) => {
    const onExit = async (exit: NginxExit, pid: number): Promise<void> => {
      if (stopped) return;
      const now = Date.now();
      lastExit = { ...exit, at: now };
      const verdict = judgeRestart(policy, restartTimes, now);
      const recent = verdict.recent.length;
      const restartInMs = verdict.type === 'restart' ? verdict.waitMs : undefined;
      emit({ event: 'engine-exited', engine: 'nginx', pid, ...exit, restarts: recent, restartInMs });
      if (verdict.type === 'give-up') {
        state = 'failed';
        const why = `nginx exited unexpectedly (code ${exit.code}, signal ${exit.signal})`;
        const message = `${why} after ${recent} restart(s) within ${policy.windowMs} ms (at most ${policy.maxRestarts}); the gateway no longer serves`;
        emit({ event: 'error', message });
        resolve(new GatewayError('GATEWAY_NGINX_FAILED', message, 'system'));
        return;
      }
      state = 'restarting';
      if (verdict.waitMs > 0) await pause(verdict.waitMs);
      if (stopped) return;
      restartTimes = [...verdict.recent, Date.now()];
      total += 1;
      try {
        await restart();
        state = 'running';
        emit({ event: 'engine-restarted', engine: 'nginx', pid: engine.pid, restarts: recent + 1 });
      } catch (error) {
        // The new master is gone again: its exit is judged like any other below.
        if (!stopped) emit({ event: 'error', message: `nginx restart failed: ${(error as Error).message}` });
      }
      watch();
    };
    const watch = (): void => {
      const pid = engine.pid;
      void engine.exited.then((exit) => onExit(exit, pid));
    };
    watch();
  });

  return {
    failed,
    report: () => ({
      engine: 'nginx',
      state,
      pid: engine.pid,
      prefix: engine.prefix,
      restarts: total,
      reloads: engine.reloads,
      lastExit,
    }),
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      wake?.();
    },
  };
}
