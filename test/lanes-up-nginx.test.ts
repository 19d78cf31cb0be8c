import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { collectStatus } from '@lanes/core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, deployVersion, type RunningPlatform, startPlatform } from './support/lanes-project.js';
import { retryOnceIfCut, startLoadLoop } from './support/load-loop.js';

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
      async (): Promise<Answer> => {
        const tagged = client % 2 === 0;
        const response = await request(url, { headers: tagged ? { tracestate: 'ctx=lane:gray' } : {} });
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
    const dir = await createProject({ api: { pathPrefix: '/', replicas: 2, env: { VERSION: 'v1' } } });
    const file = join(dir, 'lanes.json');
    const project = JSON.parse(await readFile(file, 'utf8')) as { gateway: Record<string, unknown> };
    project.gateway.engine = 'nginx';
    await writeFile(file, JSON.stringify(project, null, 2));
    platform = await startPlatform(dir);
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it('routes lanes through nginx, rolls default under load without a failed request, and reports traffic', async () => {
    const { session } = platform;
    expect((await deployVersion(session, 'api', 'gray', 'v2')).type).toBe('deployed');
    const traffic = load(platform.info.url, 6);
    await traffic.waitForAnswers(50);
    // A rolling replace of default: new replicas start, the gateway reloads onto them, the old ones drain and stop.
    expect((await deployVersion(session, 'api', 'default', 'v3')).type).toBe('deployed');
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
});
