import { collectStatus, isProcessAlive } from '@lanes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLanes } from './support/cli.js';
import { get, waitFor } from './support/gateway.js';
import { createProject, type RunningPlatform, startPlatform } from './support/lanes-project.js';

describe('the supervisor keeps lanes running', () => {
  let platform: RunningPlatform;
  const key = { env: 'dev', service: 'api', lane: 'default' };

  beforeAll(async () => {
    platform = await startPlatform(await createProject({ api: { pathPrefix: '/', replicas: 2 } }));
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it('replaces a replica that was killed, and the lane keeps answering', async () => {
    const before = platform.session.store.listReplicas({ laneKey: key, states: ['running'] });
    expect(before).toHaveLength(2);
    const victim = before[0]!;
    process.kill(victim.pid!, 'SIGKILL');
    await waitFor(() => !isProcessAlive(victim.pid!), 'the replica died');
    for (let i = 0; i < 10; i++) expect((await get(platform.info.url)).status).toBe(200);
    await waitFor(
      () => {
        const running = platform.session.store.listReplicas({ laneKey: key, states: ['running'] });
        const replaced = running.length === 2 && !running.some((r) => r.id === victim.id);
        // The supervisor reports the replacement once the gateway routes to it.
        return replaced && platform.events.some((e) => e.code === 'SUPERVISOR_RESTARTED_REPLICA');
      },
      'a replacement replica runs and is reported',
      15_000,
    );
    const lane = (await collectStatus(platform.session)).lanes.find((l) => l.lane === 'dev/api/default')!;
    expect(lane.replicas.running).toBe(2);
  });
});

describe('lanes up --detach and lanes down', () => {
  it('runs the platform in the background until down stops it and every replica', async () => {
    const dir = await createProject({ api: { pathPrefix: '/' } });
    const up = runLanes(['up', '--detach', '--project', dir, '--json']);
    expect(await up.exit()).toBe(0);
    const info = JSON.parse(up.lines.at(-1)!) as { url: string; pid: number; detached: boolean };
    expect(info.detached).toBe(true);
    expect((await get(info.url)).json()).toMatchObject({ service: 'api', lane: 'default' });
    const again = runLanes(['up', '--detach', '--project', dir]);
    expect(await again.exit()).toBe(2);
    expect(again.stderr()).toContain('already runs');
    const down = runLanes(['down', '--project', dir]);
    expect(await down.exit()).toBe(0);
    expect(down.lines.join('\n')).toContain('platform stopped');
    expect(isProcessAlive(info.pid)).toBe(false);
    await expect(get(info.url)).rejects.toThrow();
  });
});
