// `lanes up` in this process, through the library (as the end-to-end tests run it): the gateway, the default lanes
// and the supervisor, until stop() aborts it, which stops every replica and closes the gateway.
import { openProject, runPlatform } from '@lanes/core';

/** Events worth seeing as they happen: anything that went wrong or that the supervisor had to repair. */
const LOUD = new Set(['warn', 'error']);

/**
 * @typedef {object} RunningPlatform
 * @property {import('@lanes/core').ProjectSession} session
 * @property {string} url the gateway
 * @property {import('@lanes/core').LanesEvent[]} events every event of the run so far, in order
 * @property {number} startMs time from openProject to ready (gateway up, default lanes healthy)
 * @property {(timeoutMs?: number) => Promise<'stopped' | 'timeout'>} stop aborts the platform and waits for it
 */

/**
 * @param {string} dir the project folder
 * @param {(line: string) => void} log
 * @returns {Promise<RunningPlatform>}
 */
export async function startPlatform(dir, log) {
  const started = performance.now();
  /** @type {import('@lanes/core').LanesEvent[]} */
  const events = [];
  const io = {
    notify: (/** @type {import('@lanes/core').LanesEvent} */ event) => {
      events.push(event);
      if (LOUD.has(event.level)) log(`  platform ${event.level}: ${event.code} ${event.message}`);
    },
  };
  const session = await openProject({ dir, io });
  const controller = new AbortController();
  /** @type {(info: import('@lanes/core').PlatformInfo) => void} */
  let ready = () => {};
  const readyInfo = new Promise((resolve) => {
    ready = resolve;
  });
  // The CLI's default supervisor interval, so the platform does what `lanes up` does.
  const running = runPlatform(session, { signal: controller.signal, onReady: (info) => ready(info) });
  /** @type {import('@lanes/core').PlatformInfo} */
  let info;
  try {
    info = await Promise.race([
      readyInfo,
      running.then((result) => Promise.reject(new Error(`the platform ended before it was ready: ${result.type}`))),
    ]);
  } catch (error) {
    controller.abort();
    session.close();
    throw error;
  }
  const startMs = performance.now() - started;
  return {
    session,
    url: info.url.replace(/\/+$/, ''),
    events,
    startMs,
    stop: async (timeoutMs = 30_000) => {
      controller.abort();
      /** @type {Promise<'timeout'>} */
      const timer = new Promise((resolve) => setTimeout(resolve, timeoutMs, 'timeout').unref());
      const outcome = await Promise.race([
        running.then(
          () => /** @type {const} */ ('stopped'),
          (/** @type {unknown} */ error) => {
            log(`  platform ended with an error: ${error instanceof Error ? error.message : String(error)}`);
            return /** @type {const} */ ('stopped');
          },
        ),
        timer,
      ]);
      session.close();
      return outcome;
    },
  };
}
