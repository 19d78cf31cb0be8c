import { rm } from 'node:fs/promises';
import { LANES_CLI } from '@lanes/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLanesInProcess } from './support/cli.js';
import { describeCommandTable } from './support/cli-table.js';
import { createProject } from './support/lanes-project.js';

// The lanes CLI through its injectable main(argv, io): what a user sees and the exit code, without a child process.
describeCommandTable(LANES_CLI, runLanesInProcess);

describe('lanes, in process: argument errors', () => {
  it('does not show an optional option as required (gc --older-than)', async () => {
    const { stdout } = await runLanesInProcess(['--help']);
    expect(stdout).toMatch(/^ {2}gc {3,}delete lanes/m);
    expect((await runLanesInProcess(['gc', '--help'])).stdout).toMatch(/^Usage: lanes gc \[options\]\n/);
  });

  it('says what is wrong with a bad option in one line, exit 2', async () => {
    expect(await runLanesInProcess(['deploy', 'shop', 'gray', '--bogus'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'lanes deploy: unknown option --bogus\n',
    });
    expect(await runLanesInProcess(['logs', 'shop', 'gray', '-n', 'many'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'lanes logs: --lines must be a whole number, got "many"\n',
    });
    expect(await runLanesInProcess(['gateway'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'lanes gateway: --config <file> is required\n',
    });
    expect(await runLanesInProcess(['route', 'shop'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'lanes route: expects <service> <lane>=<weight>..., got "shop"\n',
    });
    expect(await runLanesInProcess(['token'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'lanes token: expects <lane>, got none\n',
    });
  });

  it('writes a --json error line for an argument error with --json', async () => {
    const run = await runLanesInProcess(['status', '--json', '--bogus']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      result: 'error',
      code: 'CLI_KIT_USAGE',
      message: 'unknown option --bogus',
    });
  });
});

describe('lanes, in process: commands that need no running platform', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await createProject({ shop: { pathPrefix: '/' } });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('token --json is one result object with the token, lane and expiry', async () => {
    const run = await runLanesInProcess(['token', 'gray', '--json', '-p', dir]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(Object.keys(result).sort()).toEqual(['expires', 'expiresAt', 'keyFile', 'lane', 'result', 'token']);
    expect(result).toMatchObject({ result: 'ok', lane: 'gray' });
    expect(Date.parse(result.expires)).toBe(result.expiresAt);
  });

  it('status --json and gc --dry-run --json are one result object each, with the platform down', async () => {
    const status = await runLanesInProcess(['status', '--json', '-p', dir]);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual({
      result: 'ok',
      type: 'platform',
      project: 'e2e',
      env: 'dev',
      platform: { running: false },
      lanes: [],
      leaks: [],
    });
    const gc = await runLanesInProcess(['gc', '--dry-run', '--json', '-p', dir]);
    expect(gc.code, gc.stderr).toBe(0);
    expect(JSON.parse(gc.stdout)).toEqual({ result: 'ok', type: 'collected', deleted: [], skipped: [] });
  });

  it("refuses --replicas out of 1..32 by the library's rule, before anything starts (exit 2, one line)", async () => {
    const run = await runLanesInProcess(['deploy', 'shop', 'gray', '--replicas', '33', '-p', dir]);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toBe('lanes deploy: replicas must be a whole number from 1 to 32, got 33\n');
  });

  it("refuses promote analysis options out of range by the library's rule (exit 2, one line)", async () => {
    const run = await runLanesInProcess([
      'promote',
      'shop',
      'gray',
      '--analyze',
      '--max-latency-ratio',
      '0.5',
      '--json',
      '-p',
      dir,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('lanes promote: the allowed latency ratio must be at least 1, got 0.5\n');
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
      result: 'error',
      code: 'LANES_USAGE',
    });
  });
});
