import { collectStatus, composeRevision, deployLane } from '@lanes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get } from './support/gateway.js';
import { createProject, type RunningPlatform, startPlatform } from './support/lanes-project.js';

describe('lanes up and deploy with real processes', () => {
  let platform: RunningPlatform;
  let url: string;

  beforeAll(async () => {
    const dir = await createProject({
      web: { pathPrefix: '/web', env: { DOWNSTREAM: '/api/items' } },
      api: { pathPrefix: '/api', lanes: { gray: { run: { env: { VERSION: 'gray-1' } } } } },
    });
    platform = await startPlatform(dir);
    url = platform.info.url;
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
  });

  function deploy(service: string, lane: string, env: Record<string, string>) {
    const { session } = platform;
    const spec = composeRevision(session.project.services[service]!, undefined, { env });
    return deployLane(session, { env: 'dev', service, lane }, { spec });
  }

  it('brings up every default lane and the declared lanes', async () => {
    expect((await get(`${url}/web/x`)).json()).toMatchObject({ service: 'web', lane: 'default', revision: '1' });
    expect((await get(`${url}/api/x`, { baggage: 'lane=gray' })).json()).toMatchObject({
      lane: 'gray',
      version: 'gray-1',
    });
  });

  it('keeps a tagged call chain in its lane through a service that has no such lane (full-link lanes)', async () => {
    const tagged = (await get(`${url}/web/checkout`, { tracestate: 'ctx=lane:gray' })).json<{
      lane: string;
      downstream: { service: string; lane: string };
    }>();
    expect(tagged.lane).toBe('default');
    expect(tagged.downstream).toMatchObject({ service: 'api', lane: 'gray' });
    const untagged = (await get(`${url}/web/checkout`)).json<{ downstream: { lane: string } }>();
    expect(untagged.downstream.lane).toBe('default');
  });

  it('deploys several lanes in parallel, each reachable by its tag', async () => {
    const lanes = ['pr-1', 'pr-2', 'pr-3'];
    const results = await Promise.all(lanes.map((lane) => deploy('api', lane, { VERSION: lane })));
    expect(results.map((r) => r.type)).toEqual(['deployed', 'deployed', 'deployed']);
    for (const lane of lanes) {
      expect((await get(`${url}/api/x`, { tracestate: `ctx=lane:${lane}` })).json()).toMatchObject({
        lane,
        version: lane,
      });
    }
    const status = await collectStatus(platform.session);
    expect(status.lanes.map((l) => l.lane)).toEqual(
      expect.arrayContaining(['dev/api/pr-1', 'dev/api/pr-2', 'dev/api/pr-3']),
    );
  });

  it('refuses a second operation on a busy lane at once, naming the operation that holds it', async () => {
    const other = await platform.another();
    const first = deploy('api', 'busy', { VERSION: 'a', SLOW_START_MS: '1500' });
    // Wait until the first deploy holds the lock.
    while (!platform.session.store.runningOperations().some((op) => op.laneKeys.some((k) => k.lane === 'busy'))) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const spec = composeRevision(other.project.services.api!, undefined, { env: { VERSION: 'b' } });
    const second = await deployLane(other, { env: 'dev', service: 'api', lane: 'busy' }, { spec });
    expect(second.type).toBe('busy');
    if (second.type === 'busy') {
      expect(second.message).toMatch(/lane dev\/api\/busy is busy: deploy #\d+ \(pid \d+\) started \d+s ago/);
    }
    expect((await first).type).toBe('deployed');
    expect((await get(`${url}/api/x`, { tracestate: 'ctx=lane:busy' })).json()).toMatchObject({ version: 'a' });
  });

  it('replaces a lane with a rolling deploy and reports the new revision in status', async () => {
    const result = await deploy('api', 'pr-1', { VERSION: 'pr-1b' });
    expect(result).toMatchObject({ type: 'deployed', revision: 2, previousRevision: 1 });
    expect((await get(`${url}/api/x`, { tracestate: 'ctx=lane:pr-1' })).json()).toMatchObject({
      version: 'pr-1b',
      revision: '2',
    });
    const status = await collectStatus(platform.session);
    const lane = status.lanes.find((l) => l.lane === 'dev/api/pr-1')!;
    expect(lane.revision).toBe(2);
    expect(lane.replicas).toMatchObject({ running: 1, desired: 1 });
    // The replicas of revision 1 are gone.
    const replicas = platform.session.store.listReplicas({
      laneKey: { env: 'dev', service: 'api', lane: 'pr-1' },
      states: ['running'],
    });
    expect(replicas.map((r) => r.revision)).toEqual([2]);
  });
});
