import { promoteLane, rollbackLane } from '@lanes/core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, deployVersion, type RunningPlatform, startPlatform } from './support/lanes-project.js';
import { startLoadLoop } from './support/load-loop.js';

interface Answer {
  tagged: boolean;
  lane: string;
  version: string;
}

/** Clients sending tagged (even) and untagged (odd) requests in a loop; a non-200 answer is a failure. */
function load(url: string, clients: number) {
  return startLoadLoop(clients, async (client): Promise<Answer> => {
    const tagged = client % 2 === 0;
    const response = await request(url, { headers: tagged ? { tracestate: 'ctx=lane:gray' } : {} });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${text}`);
    return { tagged, ...(JSON.parse(text) as { lane: string; version: string }) };
  });
}

describe('promote and rollback under constant load', () => {
  let platform: RunningPlatform;

  beforeAll(async () => {
    platform = await startPlatform(
      await createProject({ api: { pathPrefix: '/', replicas: 2, env: { VERSION: 'v1' } } }),
    );
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it('loses and misroutes no request while gray is deployed, promoted, and default rolled back', async () => {
    const { session } = platform;
    expect((await deployVersion(session, 'api', 'gray', 'v2')).type).toBe('deployed');
    const traffic = load(platform.info.url, 8);
    await traffic.waitForAnswers(50);
    const promoted = await promoteLane(session, { env: 'dev', service: 'api', lane: 'gray' });
    expect(promoted.type).toBe('promoted');
    await traffic.waitForAnswers(50);
    const rolledBack = await rollbackLane(session, { env: 'dev', service: 'api', lane: 'default' });
    expect(rolledBack.type).toBe('deployed');
    await traffic.waitForAnswers(50);
    await traffic.stop();

    expect(traffic.failures).toEqual([]);
    // Untagged requests only ever reach default; tagged ones reach gray, or default once gray was promoted into it.
    const misrouted = traffic.answers.filter((a) =>
      a.tagged ? !(a.lane === 'gray' && a.version === 'v2') && a.lane !== 'default' : a.lane !== 'default',
    );
    expect(misrouted).toEqual([]);
    // Default went v1 -> v2 (promote) -> v1 (rollback): all three phases were seen by untagged clients.
    const untaggedVersions = traffic.answers.filter((a) => !a.tagged).map((a) => a.version);
    expect(untaggedVersions).toContain('v2');
    expect(untaggedVersions.at(-1)).toBe('v1');
    // The gray lane no longer exists.
    expect(session.store.getLane({ env: 'dev', service: 'api', lane: 'gray' })).toBeUndefined();
  });
});
