import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runLanes } from './support/cli.js';
import { createProject } from './support/lanes-project.js';

let dir: string;

async function lanes(args: string[]) {
  const cli = runLanes([...args, '--project', dir]);
  const code = await cli.exit();
  return { code, stdout: cli.lines.join('\n'), stderr: cli.stderr() };
}

beforeAll(async () => {
  dir = await createProject({ api: { pathPrefix: '/' } });
  // Short waits: a never-healthy revision fails after two starts of 2.5 s each.
  const file = join(dir, 'lanes.json');
  const project = JSON.parse(await readFile(file, 'utf8'));
  Object.assign(project.services.api, { startTimeoutMs: 2500, maxStartFailures: 2 });
  await writeFile(file, JSON.stringify(project, null, 2));
});
afterAll(async () => {
  await lanes(['down']);
  await rm(dir, { recursive: true, force: true });
});

it('a never-healthy revision shows how long each replica has waited and why, not silence (stderr not a TTY)', async () => {
  // The replica never listens: every health check is refused until the start timeout.
  const deploy = await lanes(['deploy', 'api', 'gray', '--set', 'SLOW_START_MS=600000']);
  expect(deploy.code).toBe(3);
  const lines = deploy.stderr.split('\n');
  for (const replica of [1, 2]) {
    const starting = lines.findIndex((l) => l.includes(`starting replica ${replica} of dev/api/gray`));
    const failed = lines.findIndex((l) => l.includes(`replica ${replica} did not pass its health check`));
    expect(starting, deploy.stderr).toBeGreaterThanOrEqual(0);
    const between = lines.slice(starting + 1, failed);
    expect(between.length, deploy.stderr).toBeGreaterThan(0);
    for (const line of between)
      expect(line).toMatch(
        new RegExp(
          `^\\d\\d:\\d\\d:\\d\\d • replica ${replica} of dev/api/gray not healthy yet after \\d+\\.\\ds of 2\\.5s \\(\\d+ checks; last: GET /healthz failed: .*ECONNREFUSED`,
        ),
      );
    // Plain lines, no terminal control sequences, when stderr is not a terminal.
    expect(deploy.stderr).not.toContain('\x1b[');
  }
});

it('adds nothing to --json output', async () => {
  const deploy = await lanes(['deploy', 'api', 'gray', '--set', 'SLOW_START_MS=600000', '--json']);
  expect(deploy.code).toBe(3);
  const events = deploy.stdout.split('\n').map((line) => (JSON.parse(line) as { event?: string }).event);
  expect(events).toContain('REPLICA_FAILED');
  expect(events).not.toContain('REPLICA_WAITING');
  expect(deploy.stderr).not.toContain('not healthy yet');
});
