import { analyzeAndPromote } from '@lanes/core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untaggedLoad } from './support/gateway.js';
import { createProject, deployApi, type RunningPlatform, startPlatform } from './support/lanes-project.js';

describe('lanes promote --analyze', () => {
  let platform: RunningPlatform;
  const options = { steps: [20, 50], stepMs: 1200, maxErrorRateIncrease: 0.01, maxLatencyRatio: 50, minRequests: 10 };

  beforeAll(async () => {
    platform = await startPlatform(await createProject({ api: { pathPrefix: '/', env: { VERSION: 'v1' } } }));
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
  });

  const deployGray = (env: Record<string, string>) => deployApi(platform.session, 'gray', env);

  it('stops at the first bad step and sends the traffic back to default', async () => {
    expect((await deployGray({ VERSION: 'bad', FAIL_ALL: '1' })).type).toBe('deployed');
    const stop = untaggedLoad(platform.info.url, 4);
    const result = await analyzeAndPromote(platform.session, { env: 'dev', service: 'api', lane: 'gray' }, options);
    await stop();
    expect(result.type).toBe('aborted');
    if (result.type !== 'aborted') return;
    expect(result.steps).toHaveLength(1);
    expect(result.steps[0]).toMatchObject({ percent: 20, verdict: 'fail' });
    expect(result.steps[0]!.lane.errorRate).toBe(1);
    expect(result.reason).toContain('5xx rate 100%');
    const weights = Object.fromEntries(
      platform.session.store.listLanes({ service: 'api' }).map((l) => [l.lane, l.weight]),
    );
    expect(weights).toEqual({ default: 100, gray: 0 });
  });

  it('promotes a lane that is as good as default at every step', async () => {
    expect((await deployGray({ VERSION: 'v2' })).type).toBe('deployed');
    const stop = untaggedLoad(platform.info.url, 4);
    const result = await analyzeAndPromote(platform.session, { env: 'dev', service: 'api', lane: 'gray' }, options);
    await stop();
    expect(result.type).toBe('promoted');
    if (result.type !== 'promoted') return;
    expect(result.steps.map((s) => s.verdict)).toEqual(['pass', 'pass']);
    expect(result.steps[1]!.lane.requests).toBeGreaterThanOrEqual(10);
    expect(result.promote.type).toBe('promoted');
    const body = (await (await request(platform.info.url)).body.json()) as { version: string; lane: string };
    expect(body).toMatchObject({ lane: 'default', version: 'v2' });
  });
});
