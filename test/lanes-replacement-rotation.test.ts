import type { LanesEvent } from '@lanes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get } from './support/gateway.js';
import { createProject, type RunningPlatform, startPlatform } from './support/lanes-project.js';

/**
 * Issue 14 bug 3: the replacement of a crashed single replica came up on the same port, which the gateway had
 * passively ejected for ejectMs (10 s), so the lane answered 503 although the replacement was healthy. The
 * periodic health check is slow on purpose (60 s), so only the reload that announces the replacement can bring it
 * back in time.
 */
describe('a replacement that passed its health check is in rotation at once', () => {
  let platform: RunningPlatform;
  const key = { env: 'dev', service: 'api', lane: 'default' };

  beforeAll(async () => {
    const dir = await createProject({
      api: {
        pathPrefix: '/',
        settings: {
          healthCheck: { path: '/healthz', intervalMs: 60_000, timeoutMs: 500 },
          passiveHealth: { consecutiveFailures: 1, ejectMs: 600_000 },
        },
      },
    });
    platform = await startPlatform(dir);
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it('answers every request sent after the supervisor reported the replacement', async () => {
    const [victim] = platform.session.store.listReplicas({ laneKey: key, states: ['running'] });
    expect((await get(platform.info.url)).status).toBe(200);
    const config = (await get(`${platform.info.adminUrl}/admin/config`)).json<{
      services: Record<string, { passiveHealth: unknown }>;
    }>();
    expect(config.services.api?.passiveHealth).toEqual({ consecutiveFailures: 1, ejectMs: 600_000 });
    const restarted = (e: LanesEvent) => e.code === 'SUPERVISOR_RESTARTED_REPLICA';
    process.kill(victim!.pid!, 'SIGKILL');
    // Traffic while the lane is down: it gets the replica ejected (and answers 502/503, which is expected).
    const during: number[] = [];
    while (!platform.events.some(restarted)) {
      during.push((await get(platform.info.url)).status);
      if (during.length > 20_000) throw new Error('no replacement after 20000 requests');
    }
    expect(during.some((status) => status >= 500)).toBe(true);
    const after: number[] = [];
    for (let i = 0; i < 50; i++) after.push((await get(platform.info.url)).status);
    expect(after.filter((status) => status !== 200)).toEqual([]);
    const [replacement] = platform.session.store.listReplicas({ laneKey: key, states: ['running'] });
    expect(replacement!.id).not.toBe(victim!.id);
  }, 60_000);
});
