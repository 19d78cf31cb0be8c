import { Client } from 'undici';
import { describeError } from './error-text.js';
import { isProcessAlive } from './process-liveness.js';

export interface WaitHealthyOptions {
  /** Origin of the replica, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Health check path, e.g. `/healthz`. */
  path: string;
  /** How long the replica has to pass its first check. */
  timeoutMs: number;
  /** Pause between two checks. @default 200 */
  intervalMs?: number;
  /** Limit of one check; a hung replica must not use up the whole wait in one try. @default 1000 */
  tryTimeoutMs?: number;
  /** The replica's process: when it exits the wait ends at once instead of at the timeout. */
  pid: number;
  signal?: AbortSignal;
  /** Told of every check that did not pass, for progress reports; `reason` as in `lastError`. */
  onFailedCheck?: (check: { attempt: number; afterMs: number; reason: string }) => void;
}

export type HealthWait =
  | { type: 'healthy'; afterMs: number }
  | { type: 'exited'; afterMs: number }
  /** `lastError` says why the last check failed (`GET /healthz answered 503`, `ECONNREFUSED: ...`). */
  | { type: 'timeout'; afterMs: number; lastError: string };

/** How often the replica's process is looked at while a check or a pause is under way. */
const LIVENESS_POLL_MS = 50;

/**
 * Polls `GET url+path` until it answers 2xx or 3xx (the gateway's rule), the process exits or the time is up.
 * A 2xx from a dead replica's port counts as `exited`: another process answered.
 *
 * @throws the signal's reason when `signal` aborts, as Node's own abortable APIs do.
 */
export async function waitHealthy(options: WaitHealthyOptions): Promise<HealthWait> {
  const started = performance.now();
  const afterMs = () => Math.round(performance.now() - started);
  const intervalMs = options.intervalMs ?? 200;
  const tryTimeoutMs = options.tryTimeoutMs ?? 1000;
  const target = healthTarget(options.url, options.path);
  const stop = new AbortController();
  const stopNow = () => stop.abort();
  const deadline = setTimeout(stopNow, options.timeoutMs);
  const watch = setInterval(() => {
    if (!isProcessAlive(options.pid)) stopNow();
  }, LIVENESS_POLL_MS);
  options.signal?.addEventListener('abort', stopNow, { once: true });
  const client = new Client(target.origin);
  let lastError = 'no check finished';
  let attempts = 0;
  try {
    while (!stop.signal.aborted && !options.signal?.aborted && isProcessAlive(options.pid)) {
      // The overall deadline aborts a check through `stop`, which keeps the reason of the previous one.
      const check = await checkOnce(client, target.path, Math.ceil(tryTimeoutMs), stop.signal);
      if (check.passed && isProcessAlive(options.pid)) return { type: 'healthy', afterMs: afterMs() };
      if (!stop.signal.aborted) {
        lastError = check.reason;
        attempts += 1;
        options.onFailedCheck?.({ attempt: attempts, afterMs: afterMs(), reason: check.reason });
      }
      await pause(intervalMs, stop.signal);
    }
    options.signal?.throwIfAborted();
    if (!isProcessAlive(options.pid)) return { type: 'exited', afterMs: afterMs() };
    return { type: 'timeout', afterMs: afterMs(), lastError };
  } finally {
    clearTimeout(deadline);
    clearInterval(watch);
    options.signal?.removeEventListener('abort', stopNow);
    await client.destroy().catch(() => {});
  }
}

async function checkOnce(
  client: Client,
  path: string,
  timeoutMs: number,
  stop: AbortSignal,
): Promise<{ passed: boolean; reason: string }> {
  try {
    const response = await client.request({
      path,
      method: 'GET',
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.any([stop, AbortSignal.timeout(timeoutMs)]),
    });
    await response.body.dump();
    const passed = response.statusCode >= 200 && response.statusCode < 400;
    return { passed, reason: `GET ${path} answered ${response.statusCode}` };
  } catch (error) {
    return { passed: false, reason: `GET ${path} failed: ${describeError(error)}` };
  }
}

function pause(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (stop.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stop.addEventListener('abort', done, { once: true });
  });
}

/** `url + path` joined the way a user reads it: a base path in `url` is kept, one slash between the two. */
function healthTarget(url: string, path: string): { origin: string; path: string } {
  const joined = new URL(`${url.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
  return { origin: joined.origin, path: `${joined.pathname}${joined.search}` };
}
