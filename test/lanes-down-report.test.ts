import { rm } from 'node:fs/promises';
import { isProcessAlive, openProject } from '@lanes/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runLanesInProcess } from './support/cli.js';
import { createProject } from './support/lanes-project.js';

let dir: string;
const lanes = (args: string[]) => runLanesInProcess([...args, '--project', dir]);

beforeAll(async () => {
  dir = await createProject({ api: { pathPrefix: '/' } });
});
afterAll(async () => {
  await lanes(['down']);
  await rm(dir, { recursive: true, force: true });
});

async function replicaPids(): Promise<Record<string, number>> {
  const session = await openProject({ dir });
  try {
    const running = session.store.listReplicas({ states: ['running'] });
    return Object.fromEntries(running.map((r) => [r.lane, r.pid as number]));
  } finally {
    session.close();
  }
}

async function waitDead(pid: number): Promise<void> {
  while (isProcessAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 20));
}

it('lanes down counts the replicas it really stopped, not the records (before: a killed replica counted too)', async () => {
  expect((await lanes(['deploy', 'api', 'default'])).code).toBe(0);
  expect((await lanes(['deploy', 'api', 'gray'])).code).toBe(0);
  const pids = await replicaPids();
  process.kill(pids.gray!, 'SIGKILL');
  await waitDead(pids.gray!);

  const human = await lanes(['down']);
  expect([human.code, human.stdout]).toEqual([0, `1 replica stopped (pid ${pids.default})\n`]);

  expect((await lanes(['deploy', 'api', 'default'])).code).toBe(0);
  const json = await lanes(['down', '--json']);
  const result = JSON.parse(json.stdout.trim().split('\n').at(-1)!) as { replicasStopped: number };
  expect(result).toMatchObject({ result: 'ok', type: 'down', replicasStopped: 1 });
  const again = await lanes(['down']);
  expect(again.stdout).toBe('0 replicas stopped\n');
});
