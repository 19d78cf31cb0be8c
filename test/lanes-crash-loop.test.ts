import { collectStatus, composeRevision, deployLane, type LanesEvent } from '@lanes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLanesInProcess } from './support/cli.js';
import { get, waitFor } from './support/gateway.js';
import { createProject, type RunningPlatform, startPlatform } from './support/lanes-project.js';

/**
 * Issue 14 bug 4: a revision whose replicas keep dying after their deploy was restarted forever. The fixture
 * service exits after answering one request (CRASH_AFTER_REQUESTS=1), so each crash is caused by a request the
 * test sends, and each step waits for the supervisor's events, not for the clock.
 */
describe('the crash-loop policy', () => {
  let platform: RunningPlatform;
  let dir: string;
  const fast = { windowMs: 600_000, initialBackoffMs: 1, maxBackoffMs: 20 };

  beforeAll(async () => {
    dir = await createProject({
      hold: { pathPrefix: '/hold', settings: { crashLoop: { ...fast, maxRestarts: 2 } } },
      back: { pathPrefix: '/back', settings: { crashLoop: { ...fast, maxRestarts: 1, onLoop: 'rollback' } } },
      sick: { pathPrefix: '/sick', settings: { crashLoop: { ...fast, maxRestarts: 1 } } },
    });
    platform = await startPlatform(dir);
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
  });

  async function deploy(service: string, env: Record<string, string>) {
    const { session } = platform;
    const spec = composeRevision(session.project.services[service]!, undefined, { env });
    const result = await deployLane(session, { env: 'dev', service, lane: 'gray' }, { spec });
    expect(result.type).toBe('deployed');
  }

  const of = (lane: string, code: string) => (e: LanesEvent) => e.lane === lane && e.code === code;
  const count = (lane: string, code: string) => platform.events.filter(of(lane, code)).length;

  /** Sends gray requests, each breaking the replica that answers it, until the supervisor reports `until`. */
  async function crashUntil(service: string, until: string): Promise<void> {
    const lane = `dev/${service}/gray`;
    for (let crashes = 0; count(lane, until) === 0; crashes++) {
      if (crashes > 20) throw new Error(`no ${until} after ${crashes} crashes`);
      const restarts = count(lane, 'SUPERVISOR_RESTARTED_REPLICA');
      const answer = (await get(`${platform.info.url}/${service}/x`, { baggage: 'lane=gray' })).json();
      expect(answer).toMatchObject({ lane: 'gray', version: 'bad' });
      await waitFor(
        () => count(lane, 'SUPERVISOR_RESTARTED_REPLICA') > restarts || count(lane, until) > 0,
        `a restart or ${until}`,
        30_000,
      );
    }
  }

  it('backs off, then takes the lane out of rotation with CRASH_LOOP; tagged traffic falls back', async () => {
    const lane = 'dev/hold/gray';
    await deploy('hold', { VERSION: 'bad', CRASH_AFTER_REQUESTS: '1' });
    await crashUntil('hold', 'CRASH_LOOP');
    expect(count(lane, 'SUPERVISOR_RESTARTED_REPLICA')).toBe(2);
    const answer = await get(`${platform.info.url}/hold/x`, { baggage: 'lane=gray' });
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ service: 'hold', lane: 'default' });
    const config = (await get(`${platform.info.adminUrl}/admin/config`)).json<{
      services: Record<string, { lanes: Record<string, unknown> }>;
    }>();
    expect(config.services.hold?.lanes.gray).toEqual({ replicas: [], weight: 0 });
    const status = (await collectStatus(platform.session)).lanes.find((l) => l.lane === lane)!;
    expect(status.alarms.map((a) => a.code)).toContain('CRASH_LOOP');
    expect(status.crashLoop).toContain('unhealthy: crash loop (2 restarts in 10m)');
    expect(status.replicas.running).toBe(0);
    const shown = await runLanesInProcess(['status', '--project', dir]);
    expect(shown.stdout).toContain(
      'dev/hold/gray: CRASH_LOOP: revision 1: unhealthy: crash loop (2 restarts in 10m), out of rotation; deploy or rollback to recover',
    );
    // Held: three more supervisor passes (one sample each) start nothing.
    const key = { env: 'dev', service: 'hold', lane: 'gray' };
    const starting = count(lane, 'REPLICA_STARTING');
    const newest = platform.session.store.recentSamples(key, 1)[0]!;
    await waitFor(
      () => platform.session.store.recentSamples(key, 4).filter((s) => s.at > newest.at).length >= 3,
      'three more supervisor passes',
      30_000,
    );
    expect(count(lane, 'REPLICA_STARTING')).toBe(starting);
  }, 120_000);

  it('with onLoop "rollback", rolls the lane back to its previous revision', async () => {
    const lane = 'dev/back/gray';
    await deploy('back', { VERSION: 'good' });
    await deploy('back', { VERSION: 'bad', CRASH_AFTER_REQUESTS: '1' });
    await crashUntil('back', 'CRASH_LOOP_ROLLED_BACK');
    const answer = (await get(`${platform.info.url}/back/x`, { baggage: 'lane=gray' })).json();
    expect(answer).toMatchObject({ lane: 'gray', revision: '1', version: 'good' });
    const status = (await collectStatus(platform.session)).lanes.find((l) => l.lane === lane)!;
    expect(status.revision).toBe(1);
    expect(status.alarms.map((a) => a.code)).not.toContain('CRASH_LOOP');
    expect(status.crashLoop).toBe('rolled back to revision 1 after a crash loop of revision 2');
    const shown = await runLanesInProcess(['status', '--project', dir]);
    expect(shown.stdout).toContain('dev/back/gray: rolled back to revision 1 after a crash loop of revision 2');
  }, 120_000);

  it('replaces a replica whose health check fails, and counts it towards the crash loop', async () => {
    const lane = 'dev/sick/gray';
    await deploy('sick', { VERSION: 'bad', SICK_AFTER_REQUESTS: '1' });
    await crashUntil('sick', 'CRASH_LOOP');
    expect(count(lane, 'REPLICA_UNHEALTHY')).toBe(2);
    expect(count(lane, 'SUPERVISOR_RESTARTED_REPLICA')).toBe(1);
    const answer = await get(`${platform.info.url}/sick/x`, { baggage: 'lane=gray' });
    expect(answer.json()).toMatchObject({ service: 'sick', lane: 'default' });
    const status = (await collectStatus(platform.session)).lanes.find((l) => l.lane === lane)!;
    expect(status.alarms.map((a) => a.code)).toContain('CRASH_LOOP');
  }, 120_000);
});
