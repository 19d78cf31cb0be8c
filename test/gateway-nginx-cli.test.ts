import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLanes } from './support/cli.js';
import { get, testConfig, upstreamOf, waitFor } from './support/gateway.js';
import { startUpstream, type Upstream } from './support/upstream.js';

function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

interface EngineReport {
  state: string;
  pid: number;
  prefix: string;
  restarts: number;
}

async function engineReport(adminUrl: string): Promise<EngineReport> {
  const response = await get(`${adminUrl}/admin/engine`);
  expect(response.status).toBe(200);
  return JSON.parse(response.body) as EngineReport;
}

/** The nginx master and its workers (its children), from /proc. */
async function nginxProcesses(master: number): Promise<number[]> {
  const children = await readFile(`/proc/${master}/task/${master}/children`, 'utf8');
  return [master, ...children.trim().split(/\s+/).filter(Boolean).map(Number)];
}

/** Whether the process runs (a zombie waiting for its parent to reap it runs no more). */
async function running(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat !== undefined && !/^\d+ \(.*\) Z /.test(stat);
}

describe('lanes gateway --engine nginx', () => {
  let dir: string;
  let a: Upstream;
  let b: Upstream;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lanes-nginx-cli-'));
    [a, b] = await Promise.all([startUpstream('a'), startUpstream('b')]);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('runs nginx on the rendered config, reloads it on SIGHUP and stops it with itself', async () => {
    const file = join(dir, 'gateway.json');
    const config = (url: string) => JSON.stringify(testConfig({ shop: { lanes: { default: { replicas: [url] } } } }));
    await writeFile(file, config(a.url));
    const cli = runLanes(['gateway', '--engine', 'nginx', '--config', file, '--json']);
    let url = '';
    try {
      const first = JSON.parse(await cli.waitForLine(() => true));
      expect(first).toMatchObject({ event: 'listening' });
      url = first.url;
      expect(await upstreamOf(url, { tracestate: 'ctx=lane:gray' })).toBe('a');
      await writeFile(file, config(b.url));
      cli.child.kill('SIGHUP');
      await cli.waitForLine((line) => line.includes('"reloaded"'));
      await waitFor(async () => (await upstreamOf(url)) === 'b', 'b serves after SIGHUP', 15_000);
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exit(), cli.stderr()).toBe(0);
    // The nginx master and its workers went with the command: nothing listens on the port any more.
    expect(await refusesConnections(url)).toBe(true);
  });

  it('restarts nginx killed under it, on the same port, and says so', async () => {
    const file = join(dir, 'restarts.json');
    await writeFile(file, JSON.stringify(testConfig({ shop: { lanes: { default: { replicas: [a.url] } } } })));
    const cli = runLanes(['gateway', '--engine', 'nginx', '--config', file, '--json']);
    try {
      const { url, adminUrl } = JSON.parse(await cli.waitForLine((line) => line.includes('"listening"')));
      const before = await engineReport(adminUrl);
      expect(before).toMatchObject({ state: 'running', restarts: 0 });
      process.kill(before.pid, 'SIGKILL');
      const exited = JSON.parse(await cli.waitForLine((line) => line.includes('"engine-exited"')));
      expect(exited).toMatchObject({ pid: before.pid, signal: 'SIGKILL', restarts: 0, restartInMs: 0 });
      const restarted = JSON.parse(await cli.waitForLine((line) => line.includes('"engine-restarted"'), 20_000));
      expect(restarted.pid).not.toBe(before.pid);
      expect(await engineReport(adminUrl)).toMatchObject({ state: 'running', restarts: 1, pid: restarted.pid });
      expect(await upstreamOf(url)).toBe('a');
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exit(), cli.stderr()).toBe(0);
  }, 60_000);

  it('fails when nginx dies under it and may not be restarted, saying so', async () => {
    const file = join(dir, 'dies.json');
    await writeFile(file, JSON.stringify(testConfig({ shop: { lanes: { default: { replicas: [a.url] } } } })));
    const cli = runLanes(['gateway', '--engine', 'nginx', '--config', file, '--json', '--max-restarts', '0']);
    try {
      const { url, adminUrl } = JSON.parse(await cli.waitForLine((line) => line.includes('"listening"')));
      process.kill((await engineReport(adminUrl)).pid, 'SIGKILL');
      expect(await cli.exit()).toBe(1);
      expect(cli.stderr()).toMatch(/nginx exited unexpectedly \(code null, signal SIGKILL\) after 0 restart/);
      // Its workers went too: nothing holds the port any more.
      await waitFor(async () => refusesConnections(url), 'the port is free');
    } finally {
      cli.child.kill('SIGTERM');
    }
  });

  it('leaves no nginx behind when it is killed with SIGKILL', async () => {
    const file = join(dir, 'killed.json');
    await writeFile(file, JSON.stringify(testConfig({ shop: { lanes: { default: { replicas: [a.url] } } } })));
    const cli = runLanes(['gateway', '--engine', 'nginx', '--config', file, '--json', '--workers', '2']);
    let pids: number[] = [];
    try {
      const { url, adminUrl } = JSON.parse(await cli.waitForLine((line) => line.includes('"listening"')));
      const { pid, prefix } = await engineReport(adminUrl);
      pids = await nginxProcesses(pid);
      expect(pids.length).toBe(3);
      expect(await upstreamOf(url)).toBe('a');
      // No cleanup runs in a SIGKILLed process: nginx must notice on its own.
      cli.child.kill('SIGKILL');
      expect(await cli.exit()).toBe(null);
      await waitFor(
        async () => (await Promise.all(pids.map(running))).every((alive) => !alive),
        `the nginx master and workers (${pids.join(', ')}) are gone`,
        20_000,
      );
      expect(await refusesConnections(url)).toBe(true);
      await waitFor(() => !existsSync(prefix), `nginx's folder ${prefix} is removed`);
    } finally {
      cli.child.kill('SIGKILL');
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {}
      }
    }
  }, 60_000);

  it('refuses a setting nginx cannot honour, naming it', async () => {
    const file = join(dir, 'tokens.json');
    const raw = testConfig(
      { shop: { lanes: { default: { replicas: [a.url] } } } },
      { engine: 'nginx', admission: { trustedHops: 2 } },
    );
    await writeFile(file, JSON.stringify(raw));
    const cli = runLanes(['gateway', '--config', file]);
    expect(await cli.exit()).toBe(2);
    expect(cli.stderr()).toMatch(/admission\.trustedHops: trusted proxy hops .* not supported by the nginx engine/);
  });
});
