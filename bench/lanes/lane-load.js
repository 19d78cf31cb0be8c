// A bounded closed-loop load through the gateway: each client sends its next request as soon as the previous one is
// answered; even-numbered clients tag every request with the gray lane, odd ones never do. It runs until stop(),
// or until the hard time limit, whichever comes first; a request can never outlive either by more than its timeout.
import { setMaxListeners } from 'node:events';
import { Agent, request } from 'undici';

/** What the load sends on tagged requests. */
export const TAGGED_TRACESTATE = 'ctx=lane:gray';
/** A request slower than this counts as failed; it also bounds how long stop() can wait for a client. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * @typedef {object} LoadHandlers
 * @property {() => number} phase the phase a request belongs to, read when it is sent
 * @property {(phase: number, tagged: boolean, body: { lane?: string, version?: string }) => void} onAnswer a 200
 * @property {(phase: number, tagged: boolean, reason: string) => void} onFailure a non-200 or a transport error
 */

/**
 * @typedef {object} LoadRun
 * @property {number} durationMs
 * @property {Float64Array} latenciesMs of every finished request (answered or failed), first `count` entries
 * @property {number} count
 * @property {boolean} hitTimeLimit whether the hard limit, not stop(), ended the load
 */

/**
 * @param {string} url
 * @param {number} clients
 * @param {number} timeLimitMs
 * @param {LoadHandlers} handlers
 * @returns {{ stop: () => Promise<LoadRun> }}
 */
export function startLoad(url, clients, timeLimitMs, handlers) {
  const dispatcher = new Agent({ connections: clients });
  const abort = new AbortController();
  // Every request in flight (and its body) listens on the one signal: up to a few listeners per client.
  setMaxListeners(clients * 4, abort.signal);
  let stopping = false;
  let hitTimeLimit = false;
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  /** @param {number} ms */
  const record = (ms) => {
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = ms;
  };
  const limit = setTimeout(() => {
    hitTimeLimit = true;
    stopping = true;
    abort.abort(new Error('load time limit reached'));
  }, timeLimitMs);
  const started = performance.now();

  /** @param {boolean} tagged */
  const client = async (tagged) => {
    const headers = tagged ? { tracestate: TAGGED_TRACESTATE } : {};
    while (!stopping) {
      const phase = handlers.phase();
      const sent = performance.now();
      /** @type {string | null} */
      let failure = null;
      /** @type {{ lane?: string, version?: string }} */
      let body = {};
      try {
        const response = await request(url, {
          dispatcher,
          headers,
          signal: abort.signal,
          headersTimeout: REQUEST_TIMEOUT_MS,
          bodyTimeout: REQUEST_TIMEOUT_MS,
        });
        const text = await response.body.text();
        if (response.statusCode !== 200) failure = `${response.statusCode} ${text.slice(0, 200)}`;
        else body = JSON.parse(text);
      } catch (error) {
        if (hitTimeLimit) break;
        failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      record(performance.now() - sent);
      if (failure === null) handlers.onAnswer(phase, tagged, body);
      else handlers.onFailure(phase, tagged, failure);
    }
  };
  const loops = Array.from({ length: clients }, (_, i) => client(i % 2 === 0));

  return {
    stop: async () => {
      stopping = true;
      await Promise.all(loops);
      const durationMs = performance.now() - started;
      clearTimeout(limit);
      await dispatcher.destroy();
      return { durationMs, latenciesMs: latencies, count, hitTimeLimit };
    },
  };
}
