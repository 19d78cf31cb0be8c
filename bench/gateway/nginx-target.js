// Runs nginx with a generated config in its own temp dir, as a foreground master (daemon off) we can stop.
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { captureTail, spawnTracked, stopChild } from './children.js';
import { freePort, waitUntilServing } from './net-util.js';
import { nginxConfig } from './nginx-config.js';
import { makeTempDir, removeTempDir } from './temp-dirs.js';

const BIND_ATTEMPTS = 3;

/**
 * @param {number} workers
 * @param {{ default: number, gray: number }} upstreamPorts
 * @returns {Promise<{ url: string, stop: () => Promise<void>, treePid?: number }>}
 */
export async function startNginx(workers, upstreamPorts) {
  const dir = makeTempDir('bench-nginx-');
  // Run as root, nginx drops its workers to `nobody`, who must still reach the temp paths under this dir.
  await chmod(dir, 0o755);
  let lastError = '';
  // The free port is only probed, not held, so another process may grab it first; a new port fixes that.
  for (let attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
    const port = await freePort();
    const confPath = path.join(dir, 'nginx.conf');
    await writeFile(confPath, nginxConfig({ workers, port, upstreamPorts, dir }));
    // -e: the error log before the config is read; Debian's default is stderr, other builds write to /var/log.
    const child = spawnTracked('nginx', ['-p', dir, '-c', confPath, '-e', path.join(dir, 'error.log')]);
    const stderr = captureTail(child.stderr);
    captureTail(child.stdout);
    const url = `http://127.0.0.1:${port}/`;
    const exited = () => child.exitCode !== null || child.signalCode !== null;
    try {
      await waitUntilServing(url, 5000, exited);
      return {
        url,
        // CPU per request: the master and its workers.
        ...(child.pid ? { treePid: child.pid } : {}),
        stop: async () => {
          await stopChild(child);
          removeTempDir(dir);
        },
      };
    } catch (error) {
      await stopChild(child);
      const log = await readFile(path.join(dir, 'error.log'), 'utf8').catch(() => '');
      lastError = `${error instanceof Error ? error.message : error}\n${stderr()}${log}`.trim();
      if (!/Address already in use/.test(lastError)) break;
    }
  }
  removeTempDir(dir);
  throw new Error(`nginx did not start (${workers} workers): ${lastError}`);
}
