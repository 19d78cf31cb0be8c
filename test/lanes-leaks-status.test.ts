import { randomBytes } from 'node:crypto';
import { collectStatus } from '@lanes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLanesInProcess } from './support/cli.js';
import { get, waitFor } from './support/gateway.js';
import { createProject, type RunningPlatform, startPlatform } from './support/lanes-project.js';

interface ChainAnswer {
  service: string;
  lane: string;
  downstream?: ChainAnswer;
}

function lanesOf(answer: ChainAnswer): string[] {
  return [`${answer.service}/${answer.lane}`, ...(answer.downstream ? lanesOf(answer.downstream) : [])];
}

/**
 * The local platform end to end: three services a -> b -> c with a gray lane each, declared in lanes.json; the
 * gray build of b propagates by hand and forwards only `traceparent` (FORWARD in the lane's env). `lanes status`
 * names the call where the chain left gray.
 */
describe('lanes status shows lane leaks', () => {
  let platform: RunningPlatform;
  let dir: string;

  beforeAll(async () => {
    dir = await createProject({
      a: { pathPrefix: '/a', env: { DOWNSTREAM: '/b' }, lanes: { gray: {} } },
      b: { pathPrefix: '/b', env: { DOWNSTREAM: '/c' }, lanes: { gray: { run: { env: { FORWARD: 'traceparent' } } } } },
      c: { pathPrefix: '/c', lanes: { gray: {} } },
    });
    platform = await startPlatform(dir);
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it('lists the leak from b to c in gray, with the number of chains', async () => {
    let leaked = 0;
    await waitFor(
      async () => {
        const traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
        const response = await get(`${platform.info.url}/a`, { traceparent, tracestate: 'ctx=lane:gray' });
        if (response.status !== 200) return false;
        const lanes = lanesOf(response.json<ChainAnswer>());
        if (lanes[1] === 'b/gray') leaked += 1;
        return lanes.join(' ') === 'a/gray b/gray c/default';
      },
      'the chain to go through the gray lanes of a and b',
      20_000,
    );
    const status = await collectStatus(platform.session);
    expect(status.leaks).toEqual([{ from: 'b', to: 'c', lane: 'gray', count: leaked }]);
    const cli = await runLanesInProcess(['status', '--project', dir]);
    expect(cli.code).toBe(0);
    const plural = leaked === 1 ? 'trace' : 'traces';
    expect(cli.stdout).toContain(`  gray: b -> c: ${leaked} ${plural} (b called without the lane)`);
  });
});
