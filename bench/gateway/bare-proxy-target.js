// Runs bare-proxy.js as a child process (one process, or a node:cluster primary with workers).
import { fileURLToPath } from 'node:url';
import { forkTracked, nextMessage, stopChild } from './children.js';

const script = fileURLToPath(new URL('./bare-proxy.js', import.meta.url));

/**
 * @param {number} workers 1 = a single process, no cluster
 * @param {{ default: string, gray: string }} upstreamUrls
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function startBareProxy(workers, upstreamUrls) {
  const child = forkTracked(script, [upstreamUrls.default, upstreamUrls.gray, String(workers)]);
  try {
    const { port } = await nextMessage(child, 'listening', 10_000);
    return { url: `http://127.0.0.1:${port}/`, stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}
