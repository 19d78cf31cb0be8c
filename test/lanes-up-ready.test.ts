import { afterEach, describe, expect, it } from 'vitest';
import { get } from './support/gateway.js';
import { createProject, type RunningPlatform, startPlatform } from './support/lanes-project.js';

interface HealthReport {
  lanes: { service: string; lane: string; replicas?: { url: string; state: string }[] }[];
}

describe('lanes up says ready only once the gateway has judged every replica', () => {
  let platform: RunningPlatform | undefined;
  afterEach(async () => {
    await platform?.stop();
    platform = undefined;
  });

  it('waits through a slow first gateway check instead of routing a lane on trust', async () => {
    // The gray replica holds the gateway's first check past its 500 ms timeout: the check fails once, the replica
    // leaves rotation, and a gray request would fall back to default, unless `up` waited for passed checks.
    const dir = await createProject({
      api: {
        pathPrefix: '/api',
        lanes: { gray: { run: { env: { VERSION: 'gray-1', HOLD_HEALTH_ANSWER: '2', HOLD_HEALTH_MS: '1500' } } } },
      },
    });
    platform = await startPlatform(dir);
    const report = (await get(`${platform.info.adminUrl}/admin/health`)).json<HealthReport>();
    const states = report.lanes.flatMap((lane) => (lane.replicas ?? []).map((r) => `${lane.lane}:${r.state}`));
    expect(states.sort()).toEqual(['default:healthy', 'gray:healthy']);
    expect((await get(`${platform.info.url}/api/x`, { baggage: 'lane=gray' })).json()).toMatchObject({
      lane: 'gray',
      version: 'gray-1',
    });
  }, 60_000);
});
