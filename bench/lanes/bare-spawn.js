// The peer of the deploy measurement: the same fixture service started straight from here, with the environment
// the platform gives a replica, but no platform (no state database, no locks, no gateway). Starting 1 and then N
// of them shows what the machine itself costs: on 2 cores, N node processes booting at once compete for the CPUs
// whatever the platform does.
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { LANE_SERVICE } from './project.js';

/** Short, so the time measured is when the processes answer, not when a slow poll happens to look. */
const POLL_MS = 5;
const TIMEOUT_MS = 15_000;

/**
 * @param {number} count processes started at once
 * @param {string} marker added to each command line, so the leftover check finds them (see project.js)
 * @returns {Promise<number>} wall time until every one answered /healthz, in ms
 */
export async function bareSpawn(count, marker) {
  const ports = await Promise.all(Array.from({ length: count }, freePort));
  /** @type {import('node:child_process').ChildProcess[]} */
  const children = [];
  const started = performance.now();
  try {
    await Promise.all(
      ports.map(async (port) => {
        const child = spawn(process.execPath, [LANE_SERVICE, `--bench-project=${marker}`], {
          env: { ...inheritedEnv(), PORT: String(port), LANES_LANE: 'bare', VERSION: 'bare' },
          stdio: 'ignore',
          detached: true,
        });
        children.push(child);
        while (!(await healthy(port))) {
          if (child.exitCode !== null) throw new Error(`bare fixture on port ${port} exited with ${child.exitCode}`);
          if (performance.now() - started > TIMEOUT_MS) throw new Error(`bare fixture on port ${port} never healthy`);
          await sleep(POLL_MS);
        }
      }),
    );
    return performance.now() - started;
  } finally {
    await Promise.all(children.map(stop));
  }
}

/**
 * What the platform passes on to a replica (INHERITED_ENV_NAMES in @lanes/core): nothing else. A variable like
 * NODE_EXTRA_CA_CERTS, set on this machine, makes every node process read a certificate bundle at start, and the
 * peer would pay for it where the platform does not.
 */
function inheritedEnv() {
  /** @type {Record<string, string>} */
  const env = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'TZ']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** @param {number} port */
function healthy(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** @param {import('node:child_process').ChildProcess} child */
async function stop(child) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    return; // ESRCH: it exited meanwhile
  }
  await exited;
}
