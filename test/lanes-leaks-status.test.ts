import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChainAnswer, lanesOf, newTraceparent } from './support/call-chain.js';
import { type CliProcess, runLanes, runLanesInProcess } from './support/cli.js';
import { get, waitFor } from './support/gateway.js';
import { createProject } from './support/lanes-project.js';

/**
 * The local platform end to end: three services a -> b -> c with a gray lane each, declared in lanes.json; the
 * gray build of b propagates by hand and forwards only `traceparent` (FORWARD in the lane's env). `lanes up` (a real
 * child process) logs the leak, and `lanes status` names the call where the chain left gray.
 */
describe('lanes up and lanes status show lane leaks', () => {
  let up: CliProcess;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    dir = await createProject({
      a: { pathPrefix: '/a', env: { DOWNSTREAM: '/b' }, lanes: { gray: {} } },
      b: { pathPrefix: '/b', env: { DOWNSTREAM: '/c' }, lanes: { gray: { run: { env: { FORWARD: 'traceparent' } } } } },
      c: { pathPrefix: '/c', lanes: { gray: {} } },
    });
    up = runLanes(['up', '--project', dir, '--json']);
    url = JSON.parse(await up.waitForLine((line) => line.includes('"result":"up"'), 60_000)).url;
  }, 90_000);
  afterAll(async () => {
    up?.child.kill('SIGTERM');
    await up?.exit();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the leak from b to c in gray, with the number of chains', async () => {
    let leaked = 0;
    await waitFor(
      async () => {
        const traceparent = newTraceparent();
        const response = await get(`${url}/a`, { traceparent, tracestate: 'ctx=lane:gray' });
        if (response.status !== 200) return false;
        const lanes = lanesOf(response.json<ChainAnswer>());
        if (lanes[1] === 'b/gray') leaked += 1;
        return lanes.join(' ') === 'a/gray b/gray c/default';
      },
      'the chain to go through the gray lanes of a and b',
      20_000,
    );
    const json = await runLanesInProcess(['status', '--project', dir, '--json']);
    expect(JSON.parse(json.stdout).leaks).toEqual([{ from: 'b', to: 'c', lane: 'gray', count: leaked }]);
    const text = await runLanesInProcess(['status', '--project', dir]);
    expect(text.code).toBe(0);
    const plural = leaked === 1 ? 'trace' : 'traces';
    expect(text.stdout).toContain(`  gray: b -> c: ${leaked} ${plural} (b called without the lane)`);
    const logged = JSON.parse(await up.waitForLine((line) => line.includes('"lane-leak"')));
    expect(logged).toMatchObject({ event: 'lane-leak', from: 'b', to: 'c', lane: 'gray' });
  });
});
