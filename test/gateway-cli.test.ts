import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLanes } from './support/cli.js';
import { adminSend, get, testConfig } from './support/gateway.js';
import { startUpstream, type Upstream } from './support/upstream.js';

describe('lanes gateway (the CLI)', () => {
  let dir: string;
  let up: Upstream;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lanes-cli-'));
    up = await startUpstream('default');
  });
  afterAll(async () => {
    await up.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints a listening event first in --json mode, proxies, logs access as JSON and exits 0 on SIGTERM', async () => {
    const file = join(dir, 'ok.json');
    await writeFile(file, JSON.stringify(testConfig({ shop: { lanes: { default: { replicas: [up.url] } } } })));
    const cli = runLanes(['gateway', '--config', file, '--json']);
    try {
      const first = JSON.parse(await cli.waitForLine(() => true));
      expect(first).toMatchObject({ event: 'listening' });
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(first.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await get(`${first.url}/hello`, { tracestate: 'ctx=lane:gray' });
      expect(response.headers['x-upstream']).toBe('default');
      const access = JSON.parse(await cli.waitForLine((line) => line.includes('"access"')));
      expect(access).toMatchObject({
        event: 'access',
        path: '/hello',
        service: 'shop',
        lane: 'default',
        choice: 'fallback',
        requestedLane: 'gray',
        status: 200,
      });
      expect(cli.lines.every((line) => JSON.parse(line))).toBe(true);
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exit()).toBe(0);
  });

  it('runs several worker processes on one port with --workers, adding up their metrics', async () => {
    const file = join(dir, 'workers.json');
    await writeFile(
      file,
      JSON.stringify(testConfig({ shop: { lanes: { default: { replicas: [up.url] } } } }, { accessLog: false })),
    );
    const cli = runLanes(['gateway', '--config', file, '--json', '--workers', '2']);
    try {
      const first = JSON.parse(await cli.waitForLine(() => true));
      expect(first).toMatchObject({ event: 'listening', workers: 2 });
      for (let i = 0; i < 20; i++) expect((await get(first.url)).headers['x-upstream']).toBe('default');
      const metrics = (await get(`${first.adminUrl}/metrics`)).body;
      expect(metrics).toContain('lanes_gateway_requests_total{service="shop",lane="default",code_class="2xx"} 20');
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exit()).toBe(0);
  });

  it('guards the admin API of a --workers primary with admin.tokenFile, the token never in argv or env', async () => {
    const file = join(dir, 'guarded.json');
    const tokenFile = join(dir, 'admin-token');
    const admin = { host: '127.0.0.1', port: 0, tokenFile: 'admin-token' };
    await writeFile(
      file,
      JSON.stringify(testConfig({ shop: { lanes: { default: { replicas: [up.url] } } } }, { admin })),
    );
    const cli = runLanes(['gateway', '--config', file, '--json', '--workers', '2']);
    try {
      const first = JSON.parse(await cli.waitForLine(() => true));
      expect(first).toMatchObject({ event: 'listening', workers: 2 });
      const token = (await readFile(tokenFile, 'utf8')).trim();
      expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
      const seen = [`/proc/${cli.child.pid}/cmdline`, `/proc/${cli.child.pid}/environ`];
      for (const proc of seen) expect(await readFile(proc, 'utf8').catch(() => '')).not.toContain(token);
      const rebind = await get(`${first.adminUrl}/admin/config`, { host: 'rebind.attacker.example' });
      expect(rebind.status).toBe(421);
      expect((await adminSend(first.adminUrl, 'POST', '/admin/reload')).status).toBe(401);
      expect((await adminSend(first.adminUrl, 'POST', '/admin/reload', { tokenFile })).status).toBe(200);
      await cli.waitForLine((line) => line.includes('"reloaded"'));
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exit()).toBe(0);
  });

  it('exits 2 naming admin.tokenFile when other users may read the token', async () => {
    const file = join(dir, 'open-token.json');
    const tokenFile = join(dir, 'open-token');
    await writeFile(tokenFile, `${'t'.repeat(64)}\n`);
    await chmod(tokenFile, 0o644);
    const admin = { host: '127.0.0.1', port: 0, tokenFile };
    await writeFile(
      file,
      JSON.stringify(testConfig({ shop: { lanes: { default: { replicas: [up.url] } } } }, { admin })),
    );
    const cli = runLanes(['gateway', '--config', file]);
    expect(await cli.exit()).toBe(2);
    expect(cli.stderr()).toContain('admin.tokenFile');
    expect(cli.stderr()).toContain('chmod 600');
  });

  it('exits 2 naming the file and the field when the config is invalid', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({
        listen: { port: 0 },
        admin: { port: 0 },
        services: { shop: { lanes: { default: { replicas: ['http://127.0.0.1'] } } } },
      }),
    );
    const cli = runLanes(['gateway', '--config', file]);
    expect(await cli.exit()).toBe(2);
    expect(cli.stderr()).toContain(file);
    expect(cli.stderr()).toContain('services.shop.lanes.default.replicas[0]');
  });

  it('exits 2 with usage when --config is missing or the file does not exist', async () => {
    const missing = runLanes(['gateway']);
    expect(await missing.exit()).toBe(2);
    expect(missing.stderr()).toContain('--config');
    const absent = runLanes(['gateway', '--config', join(dir, 'nope.json')]);
    expect(await absent.exit()).toBe(2);
    expect(absent.stderr()).toContain('nope.json');
  });

  it('exits 2 for an unknown command', async () => {
    const cli = runLanes(['deploy-everything']);
    expect(await cli.exit()).toBe(2);
    expect(cli.stderr()).toContain('unknown command "deploy-everything"');
  });
});
