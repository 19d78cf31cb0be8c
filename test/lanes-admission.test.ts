import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkLaneToken, loadOrCreateTokenKey } from '@lanes/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLanesInProcess } from './support/cli.js';
import { get } from './support/gateway.js';
import { createProject, type RunningPlatform, startPlatform } from './support/lanes-project.js';

/** Adds an `admission` block to a project written by createProject. */
function withAdmission(dir: string, admission: unknown): void {
  const file = join(dir, 'lanes.json');
  const project = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...project, admission }, null, 2));
}

describe('lanes token', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await createProject({ shop: { pathPrefix: '/' } });
    withAdmission(dir, { tokens: { maxTtl: '1d' } });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints a token for the lane, signed with a key it creates in the state folder with mode 0600', async () => {
    const result = await runLanesInProcess(['token', 'gray', '--ttl', '1h', '-p', dir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const token = result.stdout.trim();
    const keyFile = join(dir, '.lanes', 'lane-token.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const check = checkLaneToken(loadOrCreateTokenKey(keyFile), token, 'gray', Date.now());
    expect(check.type).toBe('valid');
    if (check.type === 'valid') expect(check.expiresAt - Date.now()).toBeGreaterThan(3_500_000);
    expect(checkLaneToken(loadOrCreateTokenKey(keyFile), token, 'gray', Date.now() + 3_601_000).type).toBe('expired');
  });

  it('says the token as JSON with --json', async () => {
    const result = await runLanesInProcess(['token', 'gray', '--ttl', '30m', '--json', '-p', dir]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      result: 'ok',
      lane: 'gray',
      token: expect.stringMatching(/^v1\.gray\./),
    });
  });

  it('refuses a lifetime above admission.tokens.maxTtl, a bad duration and a bad lane', async () => {
    const long = await runLanesInProcess(['token', 'gray', '--ttl', '2d', '-p', dir]);
    expect(long.code).toBe(2);
    expect(long.stderr).toContain('admission.tokens.maxTtl');
    expect(long.stdout).toBe('');
    const bad = await runLanesInProcess(['token', 'gray', '--ttl', '90', '-p', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--ttl must be a duration');
    const lane = await runLanesInProcess(['token', 'Gray', '-p', dir]);
    expect(lane.code).toBe(2);
    expect(lane.stderr).toContain('not a lane name');
  });

  it('refuses a key file that group or others can read', async () => {
    const keyFile = join(dir, '.lanes', 'lane-token.key');
    chmodSync(keyFile, 0o640);
    try {
      const result = await runLanesInProcess(['token', 'gray', '-p', dir]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`chmod 600 ${keyFile}`);
    } finally {
      chmodSync(keyFile, 0o600);
    }
  });
});

describe('admission on the local platform', () => {
  let platform: RunningPlatform;
  let dir: string;

  beforeAll(async () => {
    dir = await createProject({ shop: { pathPrefix: '/', lanes: { gray: {} } } });
    // 127.0.0.1 is not trusted here, so this test's client is an outsider.
    withAdmission(dir, { trusted: ['10.0.0.0/8'] });
    platform = await startPlatform(dir);
    // The platform is up once no replica fails the gateway's checks, or after READY_WAIT_MS (5 s) with a warning: on
    // a busy machine a first health check can time out and leave gray unhealthy past that, and the lane-down policy
    // then sends even a token holder to default. Wait for the gateway to judge gray's replica healthy (bounded by
    // the hook's timeout), so the test is about admission, not about the machine's load.
    const healthUrl = `${platform.info.adminUrl}/admin/health`;
    for (;;) {
      const report = (await get(healthUrl)).json() as { lanes: { lane: string; replicas?: { state: string }[] }[] };
      const gray = report.lanes.find((l) => l.lane === 'gray');
      if (gray?.replicas?.length && gray.replicas.every((r) => r.state === 'healthy')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 60_000);
  afterAll(() => platform?.stop());

  it('sends an outsider to default, a token holder to its lane, and lanes status counts both', async () => {
    const url = `${platform.info.url}/`;
    expect((await get(url, { tracestate: 'ctx=lane:gray' })).json()).toMatchObject({ lane: 'default' });
    const token = (await runLanesInProcess(['token', 'gray', '-p', dir])).stdout.trim();
    expect((await get(url, { tracestate: 'ctx=lane:gray', 'x-lane-token': token })).json()).toMatchObject({
      lane: 'gray',
    });
    const status = await runLanesInProcess(['status', '--json', '-p', dir]);
    const lanes = JSON.parse(status.stdout).lanes as { lane: string; admission?: unknown }[];
    expect(lanes.find((l) => l.lane.endsWith('/gray'))?.admission).toEqual({
      admitted: 1,
      stripped: { untrusted: 1 },
    });
    const text = await runLanesInProcess(['status', '-p', dir]);
    expect(text.stdout).toMatch(/gray: lane tags admitted 1, stripped 1 \(untrusted 1\)/);
  }, 30_000);
});
