import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runLanesInProcess } from './support/cli.js';
import { createProject, type RunningPlatform, startPlatform } from './support/lanes-project.js';

let dir: string;
let platform: RunningPlatform | undefined;
const lanes = (args: string[]) => runLanesInProcess([...args, '--project', dir]);

beforeAll(async () => {
  dir = await createProject({ api: { pathPrefix: '/', lanes: { gray: { weight: 0 } } } });
});
afterAll(async () => {
  await lanes(['down']);
  await platform?.stop();
  await rm(dir, { recursive: true, force: true });
});

it('a detached platform logs how to stop it, not "Ctrl-C stops everything"', async () => {
  const up = await lanes(['up', '--detach']);
  expect(up.code).toBe(0);
  const logFile = join(dir, '.lanes', 'logs', 'platform.log');
  let log = '';
  // The command returns once the platform listens; its ready text follows when the lanes are up.
  while (!log.includes('curl -s')) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    log = await readFile(logFile, 'utf8');
  }
  log = await readFile(logFile, 'utf8');
  expect(log).not.toContain('Ctrl-C');
  expect(log).toMatch(/Running in the background \(pid \d+\): lanes down --project \S+ stops everything\./);
  expect((await lanes(['down'])).code).toBe(0);
});

it('starting the lanes again after down warns of no replica that died ("replace 0 that died")', async () => {
  platform = await startPlatform(dir);
  const restarted = platform.events.filter((event) => event.code === 'SUPERVISOR_RESTARTED_REPLICA');
  expect(restarted.map((event) => [event.level, event.message]).sort()).toEqual([
    ['info', 'dev/api/default: started 1 replica'],
    ['info', 'dev/api/gray: started 1 replica'],
  ]);
});
