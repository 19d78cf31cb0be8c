// Starts the two upstream lanes (default, gray) shared by every target of a run, and reads their request counts.
import { fileURLToPath } from 'node:url';
import { forkTracked, nextMessage, stopChild } from './children.js';

const script = fileURLToPath(new URL('./upstream-server.js', import.meta.url));

/** @typedef {'default' | 'gray'} Lane */
/** @typedef {{ default: number, gray: number }} LaneCounts */

/**
 * @typedef {object} Upstreams
 * @property {{ default: string, gray: string }} urls origin of each lane, e.g. http://127.0.0.1:40123
 * @property {{ default: number, gray: number }} ports
 * @property {() => Promise<LaneCounts>} counts requests served so far by each lane
 * @property {() => Promise<void>} stop
 */

/** @returns {Promise<Upstreams>} */
export async function startUpstreams() {
  const children = { default: forkTracked(script, ['default']), gray: forkTracked(script, ['gray']) };
  const [defaultReady, grayReady] = await Promise.all([
    nextMessage(children.default, 'listening', 5000),
    nextMessage(children.gray, 'listening', 5000),
  ]);
  const ports = { default: defaultReady.port, gray: grayReady.port };
  /** @param {Lane} lane */
  const countOf = async (lane) => {
    const reply = nextMessage(children[lane], 'count', 5000);
    children[lane].send({ type: 'count' });
    return (await reply).served;
  };
  return {
    ports,
    urls: { default: `http://127.0.0.1:${ports.default}`, gray: `http://127.0.0.1:${ports.gray}` },
    counts: async () => {
      const [defaultCount, grayCount] = await Promise.all([countOf('default'), countOf('gray')]);
      return { default: defaultCount, gray: grayCount };
    },
    stop: async () => {
      await Promise.all([stopChild(children.default), stopChild(children.gray)]);
    },
  };
}
