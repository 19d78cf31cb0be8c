import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get } from './support/gateway.js';
import { createProject, deployApi, type RunningPlatform, startPlatform } from './support/lanes-project.js';

describe('the circuit breaker', () => {
  let platform: RunningPlatform;

  beforeAll(async () => {
    platform = await startPlatform(
      await createProject({ api: { pathPrefix: '/', lanes: { gray: { run: { env: { VERSION: 'good' } } } } } }),
    );
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
  });

  const deploy = (lane: string, env: Record<string, string>) => deployApi(platform.session, lane, env);

  it('reverts a crashing revision, keeps the previous one serving, and returns the replica log lines', async () => {
    const result = await deploy('gray', { STARTUP_CRASH: '1' });
    expect(result.type).toBe('reverted');
    if (result.type !== 'reverted') return;
    expect(result.servingRevision).toBe(1);
    expect(result.laneRemoved).toBe(false);
    expect(result.logTail.join('\n')).toContain('fatal: cannot load configuration');
    expect(result.message).toContain('revision 1 keeps serving dev/api/gray');
    const failedStarts = platform.events.filter((e) => e.code === 'REPLICA_FAILED' && e.lane === 'dev/api/gray');
    expect(failedStarts.length).toBe(platform.session.project.services.api!.maxStartFailures);
    expect((await get(platform.info.url, { tracestate: 'ctx=lane:gray' })).json()).toMatchObject({
      lane: 'gray',
      version: 'good',
      revision: '1',
    });
    const live = platform.session.store.listReplicas({
      laneKey: { env: 'dev', service: 'api', lane: 'gray' },
      states: ['starting', 'running'],
    });
    expect(live.map((r) => r.revision)).toEqual([1]);
  });

  it('removes a brand-new lane whose first revision crashes, and says why', async () => {
    const result = await deploy('pr-9', { STARTUP_CRASH: '1' });
    expect(result).toMatchObject({ type: 'reverted', laneRemoved: true, servingRevision: undefined });
    if (result.type === 'reverted') expect(result.message).toContain('no earlier revision');
    expect(platform.session.store.getLane({ env: 'dev', service: 'api', lane: 'pr-9' })).toBeUndefined();
    expect((await get(platform.info.url, { tracestate: 'ctx=lane:pr-9' })).json()).toMatchObject({ lane: 'default' });
  });
});
