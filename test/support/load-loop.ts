import { Agent, type Dispatcher } from 'undici';

/** One client's request: resolves with what to keep, or rejects (a lost request, kept as a failure). */
export type SendOnce<T> = (client: number) => Promise<T>;

export interface LoadLoop<T> {
  /** Every answer so far, in arrival order. */
  readonly answers: readonly T[];
  /** Every failure so far (`String(error)`). */
  readonly failures: readonly string[];
  /** Resolves once `count` more answers than now have arrived: tests wait for traffic, not for time. */
  waitForAnswers(count: number, timeoutMs?: number): Promise<void>;
  /** Stops every client and resolves when the last request has ended. */
  stop(): Promise<void>;
}

/** `clients` concurrent clients each sending `send` in a loop until stopped. */
export function startLoadLoop<T>(clients: number, send: SendOnce<T>): LoadLoop<T> {
  let running = true;
  const answers: T[] = [];
  const failures: string[] = [];
  const waiters: { until: number; resolve: () => void }[] = [];
  const settle = () => {
    for (const waiter of waiters.filter((w) => answers.length >= w.until)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const loops = Array.from({ length: clients }, async (_, client) => {
    while (running) {
      try {
        answers.push(await send(client));
        settle();
      } catch (error) {
        failures.push(String(error));
      }
    }
  });
  return {
    answers,
    failures,
    waitForAnswers: (count, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`${count} more answers did not arrive in ${timeoutMs} ms (${failures.length} failures)`));
        }, timeoutMs);
        const waiter = {
          until: answers.length + count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        waiters.push(waiter);
        settle();
      }),
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** How undici reports a connection closed before any answer: a FIN (`other side closed`) or an RST. */
const CUT_CODES = new Set(['UND_ERR_SOCKET', 'ECONNRESET']);

/**
 * Sends an idempotent request, and once more if the connection was cut before any answer (CUT_CODES): an old nginx
 * worker closes its idle keep-alive connections at reload, and a request sent on one at that instant gets no answer
 * at all (a reset when the request bytes were already in the worker's socket). RFC 9112 section 9.3.1 lets a client
 * retry such a request, as browsers and most HTTP clients do (undici does not).
 *
 * `send` gets no dispatcher on its first try (the global keep-alive pool) and a fresh one for the retry: the pool may
 * hold more kept-alive sockets to the same retiring worker, and a retry on one of them is cut too. A fresh connection
 * is not: a stopping worker closes only its idle keep-alive connections (ngx_close_idle_connections closes those
 * marked idle; ngx_http_init_connection does not mark a new one), and answers one it accepted before it stopped (40
 * rolling deploys under load: 56 requests cut, none cut again; test/lanes-nginx-rolling-stress.test.ts). Any other
 * error, and any failure of the retry, is thrown.
 */
export async function retryOnceIfCut<T>(
  send: (dispatcher?: Dispatcher) => Promise<T>,
  onRetry: () => void,
): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (!CUT_CODES.has((error as { code?: string }).code ?? '')) throw error;
    onRetry();
    const fresh = new Agent();
    try {
      return await send(fresh);
    } finally {
      await fresh.close();
    }
  }
}
