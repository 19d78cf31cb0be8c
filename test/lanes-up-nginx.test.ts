import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { collectStatus, routeService } from '@lanes/core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliProcess, runLanes } from './support/cli.js';
import { get, waitFor } from './support/gateway.js';
import { createProject, deployVersion, type RunningPlatform, startPlatform } from './support/lanes-project.js';
import { retryOnceIfCut, startLoadLoop } from './support/load-loop.js';

/** A project of one `api` service with two replicas on the nginx engine; `gateway` adds to its gateway block. */
async function nginxProject(gateway: Record<string, unknown> = {}): Promise<string> {
  const dir = await createProject({ api: { pathPrefix: '/', replicas: 2, env: { VERSION: 'v1' } } });
  const file = join(dir, 'lanes.json');
  const project = JSON.parse(await readFile(file, 'utf8')) as { gateway: Record<string, unknown> };
  Object.assign(project.gateway, { engine: 'nginx', ...gateway });
  await writeFile(file, JSON.stringify(project, null, 2));
  return dir;
}

/** The nginx master `lanes up` runs, from the admin API. */
async function nginxMaster(adminUrl: string): Promise<number> {
  const report = (await get(`${adminUrl}/admin/engine`)).json<{ engine: string; pid: number }>();
  expect(report.engine).toBe('nginx');
  return report.pid;
}

/** Configuration reloads nginx did under `lanes up`, from the admin API. */
async function nginxReloads(adminUrl: string): Promise<number> {
  return (await get(`${adminUrl}/admin/engine`)).json<{ reloads: number }>().reloads;
}

interface Answer {
  tagged: boolean;
  server: string;
  lane: string;
  version: string;
}

/**
 * Clients sending tagged (even) and untagged (odd) requests in a loop; a non-200 answer is a failure, and so is a
 * request cut twice (one retry of a request cut at a reload is allowed: retryOnceIfCut says why).
 */
function load(url: string, clients: number) {
  let retried = 0;
  const loop = startLoadLoop(clients, (client) =>
    retryOnceIfCut(
      async (dispatcher): Promise<Answer> => {
        const tagged = client % 2 === 0;
        const response = await request(url, {
          headers: tagged ? { tracestate: 'ctx=lane:gray' } : {},
          ...(dispatcher && { dispatcher }),
        });
        const text = await response.body.text();
        if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${text}`);
        const server = String(response.headers.server ?? '');
        return { tagged, server, ...(JSON.parse(text) as { lane: string; version: string }) };
      },
      () => {
        retried += 1;
      },
    ),
  );
  return Object.assign(loop, { retried: () => retried });
}

/** `"gateway": { "engine": "nginx" }` in lanes.json: `lanes up` runs nginx, and the lanes commands work unchanged. */
describe('lanes up with the nginx engine', () => {
  let platform: RunningPlatform;

  beforeAll(async () => {
    platform = await startPlatform(await nginxProject());
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it('routes lanes through nginx, rolls default under load without a failed request, and reports traffic', async () => {
    const { session, info, gatewayEvents } = platform;
    expect((await deployVersion(session, 'api', 'gray', 'v2')).type).toBe('deployed');
    const traffic = load(info.url, 6);
    await traffic.waitForAnswers(50);
    const reloadsBefore = await nginxReloads(info.adminUrl);
    const fileReads = () => gatewayEvents.filter((e) => e.event === 'reloaded' && e.source === 'file').length;
    const readsBefore = fileReads();
    // A rolling replace of default: new replicas start, the gateway reloads onto them, the old ones drain and stop.
    expect((await deployVersion(session, 'api', 'default', 'v3')).type).toBe('deployed');
    // One nginx reload for it: the file watch reading the same state again and the health checks passing the new
    // replicas change nothing nginx serves (each reload cuts the requests arriving as old workers close idle
    // connections; three per deploy cut a retry too, in CI).
    await waitFor(() => fileReads() > readsBefore, 'the gateway read its file after the deploy', 10_000);
    expect((await nginxReloads(info.adminUrl)) - reloadsBefore).toBe(1);
    await traffic.waitForAnswers(50);
    await traffic.stop();

    expect(traffic.failures).toEqual([]);
    // Retries are the rare request cut at the instant of a reload, not a way around failing replicas.
    expect(traffic.retried()).toBeLessThan(traffic.answers.length / 10);
    // nginx answered, not the Node gateway (which sends no Server header of its own).
    expect(new Set(traffic.answers.map((a) => a.server.split('/')[0]))).toEqual(new Set(['nginx']));
    const misrouted = traffic.answers.filter((a) =>
      a.tagged ? a.lane !== 'gray' || a.version !== 'v2' : a.lane !== 'default',
    );
    expect(misrouted).toEqual([]);
    const untagged = traffic.answers.filter((a) => !a.tagged).map((a) => a.version);
    expect(untagged[0]).toBe('v1');
    expect(untagged.at(-1)).toBe('v3');

    // `lanes status`: per-lane traffic from nginx's access log and healthy replicas from the Node-side checks.
    const status = await collectStatus(session);
    expect(status.platform.running).toBe(true);
    const lane = (name: string) => status.lanes.find((l) => l.lane === `dev/api/${name}`);
    const grayTagged = traffic.answers.filter((a) => a.tagged).length;
    expect(lane('gray')?.requests).toBeGreaterThanOrEqual(grayTagged);
    expect(lane('default')?.requests).toBeGreaterThanOrEqual(traffic.answers.length - grayTagged);
    expect(lane('default')?.errorRate).toBe(0);
    expect(lane('gray')?.replicas.healthy).toBe(2);
    expect(lane('default')?.replicas.healthy).toBe(2);
  });

  // After the rolling deploy above: nginx killed under `lanes up` is said, restarted on the same port with the
  // configuration in force, and counted in status.
  it('restarts a SIGKILLed nginx master, routes again on the same port, and lanes status shows the restart', async () => {
    const { session, info, events } = platform;
    const killed = await nginxMaster(info.adminUrl);
    process.kill(killed, 'SIGKILL');
    await waitFor(() => events.some((e) => e.code === 'GATEWAY_ENGINE_RESTARTED'), 'nginx restarted', 30_000);
    const exited = events.find((e) => e.code === 'GATEWAY_ENGINE_EXITED');
    expect(exited).toMatchObject({ level: 'warn', data: { pid: killed, signal: 'SIGKILL', restartInMs: 0 } });
    expect(exited?.message).toMatch(/nginx \(pid \d+\) exited unexpectedly \(code null, signal SIGKILL\); restarting/);

    const response = await request(info.url, { headers: { tracestate: 'ctx=lane:nope' } });
    expect(response.statusCode).toBe(200);
    expect(String(response.headers.server)).toMatch(/^nginx/);
    expect((await response.body.json()) as { lane: string }).toMatchObject({ lane: 'default', version: 'v3' });
    // The routing in force before the kill (gray deployed, default rolled to v3), not the one nginx started with.
    const gray = await request(info.url, { headers: { tracestate: 'ctx=lane:gray' } });
    expect(await gray.body.json()).toMatchObject({ lane: 'gray', version: 'v2' });

    const status = await collectStatus(session);
    expect(status.platform.running).toBe(true);
    expect(status.platform.engine).toMatchObject({ engine: 'nginx', state: 'running', restarts: 1 });
    expect(status.platform.engine?.pid).not.toBe(killed);
    expect(status.platform.engine?.lastExit).toMatchObject({ code: null, signal: 'SIGKILL' });
  }, 60_000);
});

/** `gateway.crashLoop.maxRestarts` used up: `lanes up` (the real command) fails, saying why, and stops everything. */
describe('lanes up when nginx keeps dying', () => {
  let dir: string;
  let up: CliProcess | undefined;

  afterAll(async () => {
    up?.child.kill('SIGTERM');
    await up?.exit();
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 1 with LANES_GATEWAY_FAILED once the restarts are used up, and stops its replicas', async () => {
    dir = await nginxProject({ crashLoop: { maxRestarts: 1 } });
    up = runLanes(['up', '--project', dir, '--json']);
    const ready = JSON.parse(await up.waitForLine((line) => line.includes('"result":"up"'), 60_000));
    process.kill(await nginxMaster(ready.adminUrl), 'SIGKILL');
    await up.waitForLine((line) => line.includes('"GATEWAY_ENGINE_RESTARTED"'), 30_000);
    const second = await nginxMaster(ready.adminUrl);
    process.kill(second, 'SIGKILL');

    expect(await up.exit()).toBe(1);
    const lines = up.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((l) => l.event === 'GATEWAY_ENGINE_EXITED' && l.level === 'error')).toMatchObject({
      data: { pid: second, restarts: 1 },
    });
    expect(lines.at(-1)).toMatchObject({ result: 'error', code: 'LANES_GATEWAY_FAILED' });
    expect(up.stderr()).toMatch(
      /lanes up: the gateway stopped serving: nginx exited unexpectedly \(code null, signal SIGKILL\) after 1 restart/,
    );
    // Nothing is left serving: the platform file is gone and no replica of the project runs.
    expect(existsSync(join(dir, '.lanes', 'platform.json'))).toBe(false);
    const stopped = lines.filter((l) => l.event === 'REPLICA_STOPPED').length;
    expect(stopped).toBe(2);
  }, 120_000);
});

/**
 * A lanes command that changes routing while nginx is down (killed, its restart waiting for the back-off) does not
 * fail: the gateway takes the new state (202, pending) and the restarted nginx routes by it. Before, the reload was
 * refused with a 500 and `lanes route` failed ("the gateway did not take the new configuration").
 */
describe('lanes up with the nginx engine: routing changed while nginx is down', () => {
  let platform: RunningPlatform;

  beforeAll(async () => {
    // The first restart comes at once, later ones after 5 s: the window in which the route below runs.
    platform = await startPlatform(await nginxProject({ crashLoop: { initialBackoffMs: 5000, maxBackoffMs: 5000 } }));
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it('lanes route takes effect once nginx is back', async () => {
    const { session, info, events } = platform;
    const count = (code: string) => events.filter((e) => e.code === code).length;
    expect((await deployVersion(session, 'api', 'gray', 'v2')).type).toBe('deployed');
    process.kill(await nginxMaster(info.adminUrl), 'SIGKILL');
    await waitFor(() => count('GATEWAY_ENGINE_RESTARTED') === 1, 'the first restart', 30_000);
    process.kill(await nginxMaster(info.adminUrl), 'SIGKILL');
    await waitFor(() => count('GATEWAY_ENGINE_EXITED') === 2, 'the second exit', 30_000);

    const routed = await routeService(session, 'api', { default: 0, gray: 100 });
    expect(routed.type).toBe('routed');
    expect(count('GATEWAY_ENGINE_RESTARTED')).toBe(1);
    const pending = events.find((e) => e.code === 'GATEWAY_RELOADED' && e.level === 'warn');
    expect(pending).toMatchObject({ data: { pending: true } });
    expect(pending?.message).toContain('once nginx is back');

    await waitFor(() => count('GATEWAY_ENGINE_RESTARTED') === 2, 'the second restart', 30_000);
    // Untagged requests follow the weights set while nginx was down.
    await waitFor(
      async () => ((await (await request(info.url)).body.json()) as { lane: string }).lane === 'gray',
      'untagged traffic on gray',
      20_000,
    );
    for (let i = 0; i < 5; i++) {
      expect(await (await request(info.url)).body.json()).toMatchObject({ lane: 'gray', version: 'v2' });
    }
  }, 120_000);
});
