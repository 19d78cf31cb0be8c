import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLanes } from './support/cli.js';
import { createProject } from './support/lanes-project.js';

/** Runs one lanes command to its end. */
async function lanes(args: string[]) {
  const cli = runLanes(args);
  const code = await cli.exit();
  return { code, stdout: cli.lines.join('\n'), stderr: cli.stderr(), lines: cli.lines };
}

describe('the lanes CLI without a running platform', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await createProject({ api: { pathPrefix: '/', lanes: { gray: { weight: 0 } } } });
  });
  afterAll(async () => {
    await lanes(['down', '--project', dir]);
  });

  it('deploys, reports JSON events then one result, and exits 0', async () => {
    expect((await lanes(['deploy', '--project', dir, 'api', 'default'])).code).toBe(0);
    const result = await lanes([
      'deploy',
      '--project',
      dir,
      'api',
      'gray',
      '--set',
      'VERSION=2',
      '--label',
      'v2',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const objects = result.lines.map((line) => JSON.parse(line) as { event?: string; result?: string });
    expect(objects.at(-1)).toMatchObject({ result: 'ok', type: 'deployed', lane: 'dev/api/gray', revision: 1 });
    expect(objects.some((o) => o.event === 'REPLICA_HEALTHY')).toBe(true);
  });

  it('exits 3 when the circuit breaker reverts a deploy, with the replica log lines', async () => {
    const result = await lanes(['deploy', '--project', dir, 'api', 'gray', '--set', 'STARTUP_CRASH=1']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('failed and was reverted');
    expect(result.stderr).toContain('fatal: cannot load configuration');
  });

  it('sets weights with route and shows the shares in status', async () => {
    const routed = await lanes(['route', '--project', dir, 'api', 'default=90', 'gray=10']);
    expect(routed.code).toBe(0);
    expect(routed.stdout).toContain('default 90%, gray 10%');
    const status = await lanes(['status', '--project', dir, '--json']);
    const lanesOut = (
      JSON.parse(status.stdout) as { lanes: { name: string; share: number; revision: number; label?: string }[] }
    ).lanes;
    expect(lanesOut.find((l) => l.name === 'gray')).toMatchObject({ share: 0.1, revision: 1, label: 'v2' });
    expect(lanesOut.find((l) => l.name === 'default')).toMatchObject({ share: 0.9 });
  });

  it('route keeps the weight of every lane it does not name (before: they went to 0, all traffic to gray)', async () => {
    const routed = await lanes(['route', '--project', dir, 'api', 'gray=20']);
    expect(routed.code).toBe(0);
    const status = await lanes(['status', '--project', dir, '--json']);
    const shares = Object.fromEntries(
      (JSON.parse(status.stdout) as { lanes: { name: string; share: number }[] }).lanes.map((l) => [l.name, l.share]),
    );
    // default keeps the 90 of the test above: 90 / (90 + 20) and 20 / (90 + 20).
    expect(shares.default).toBeCloseTo(90 / 110, 3);
    expect(shares.gray).toBeCloseTo(20 / 110, 3);
    expect(routed.stdout).toContain('default 81.8%, gray 18.2%');
  });

  it('prints a lane logs', async () => {
    const result = await lanes(['logs', '--project', dir, 'api', 'gray', '--lines', '5']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\[\d+\] .*\[lanes\] starting/);
  });

  it('lists expired lanes with gc --dry-run, never default, and deletes them without it', async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const dry = await lanes(['gc', '--project', dir, '--older-than', '10ms', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe('gc would delete: dev/api/gray');
    const real = await lanes(['gc', '--project', dir, '--older-than', '10ms']);
    expect(real.stdout).toBe('gc deleted: dev/api/gray');
    const status = await lanes(['status', '--project', dir, '--json']);
    expect((JSON.parse(status.stdout) as { lanes: { name: string }[] }).lanes.map((l) => l.name)).toEqual(['default']);
  });

  it('refuses bad arguments with exit 2 and says what exists', async () => {
    const unknown = await lanes(['deploy', '--project', dir, 'nope', 'gray']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no service "nope"');
    expect(unknown.stderr).toContain('services: api');
    const upper = await lanes(['deploy', '--project', dir, 'api', 'GRAY']);
    expect(upper.code).toBe(2);
    expect(upper.stderr).toContain('use "gray"');
    const badWeight = await lanes(['route', '--project', dir, 'api', 'default=x']);
    expect(badWeight.code).toBe(2);
    // A lane that does not exist is named as such, as delete does (before: "no earlier revision", "no serving
    // revision", and logs printed nothing with exit 0).
    for (const verb of ['rollback', 'promote', 'logs']) {
      const missing = await lanes([verb, '--project', dir, 'api', 'nolane']);
      expect([verb, missing.code, missing.stderr]).toEqual([verb, 2, 'lanes: there is no lane dev/api/nolane\n']);
    }
    // What a deploy would not apply is refused before anything starts (before: silently ignored).
    const port = await lanes(['deploy', '--project', dir, 'api', 'blue', '--set', 'PORT=1']);
    expect([port.code, port.stderr]).toEqual([
      2,
      "lanes: --set PORT: the platform sets PORT to each replica's own port\n",
    ]);
    const owned = await lanes(['deploy', '--project', dir, 'api', 'blue', '--set', 'LANES_LANE=x']);
    expect([owned.code, owned.stderr]).toMatchObject([
      2,
      expect.stringContaining('--set LANES_LANE: the platform sets'),
    ]);
    const negative = await lanes(['deploy', '--project', dir, 'api', 'blue', '--weight', '-1']);
    expect([negative.code, negative.stderr]).toEqual([2, 'lanes deploy: weight must be a number >= 0, got -1\n']);
    const weight = await lanes(['deploy', '--project', dir, 'api', 'default', '--weight', '5']);
    expect([weight.code, weight.stderr]).toMatchObject([2, expect.stringContaining('use lanes route api default=5')]);
    const status = await lanes(['status', '--project', dir, '--json']);
    expect((JSON.parse(status.stdout) as { lanes: { name: string }[] }).lanes.map((l) => l.name)).toEqual(['default']);
    const deleteDefault = await lanes(['delete', '--project', dir, 'api', 'default']);
    expect(deleteDefault.code).toBe(2);
    expect(deleteDefault.stderr).toContain('cannot be deleted');
  });

  it('stops every replica with down and keeps the lanes for the next up', async () => {
    const down = await lanes(['down', '--project', dir, '--json']);
    expect(down.code).toBe(0);
    expect(JSON.parse(down.lines.at(-1)!)).toMatchObject({ result: 'ok', type: 'down' });
    const status = await lanes(['status', '--project', dir, '--json']);
    const lane = (JSON.parse(status.stdout) as { lanes: { name: string; replicas: { running: number } }[] }).lanes[0]!;
    expect(lane).toMatchObject({ name: 'default', replicas: { running: 0 } });
  });
});

describe('bad project files', () => {
  it('names the file, the field and what to do, with exit 2', async () => {
    const dir = await createProject({ api: { pathPrefix: '/' } });
    const file = join(dir, 'lanes.json');
    const project = JSON.parse(await readFile(file, 'utf8'));
    project.services.api.replica = 2;
    project.services.api.run.command = 'node server.js';
    await writeFile(file, JSON.stringify(project));
    const result = await lanes(['status', '--project', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(file);
    expect(result.stderr).toContain('services.api.replica');
    expect(result.stderr).toContain('did you mean "replicas"');
    expect(result.stderr).toContain('services.api.run.command');
  });

  it('says where it looked when there is no project file', async () => {
    const result = await lanes(['status', '--project', '/tmp']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('lanes.json');
  });
});
