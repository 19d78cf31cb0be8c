// The admin API on loopback as a web page (DNS rebinding, cross-site requests) and as the lanes CLI would use it.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminSend,
  get,
  guardedConfig,
  reloadCount,
  replicasInForce,
  startTestGateway,
  type TestGateway,
  testConfig,
  upstreamOf,
} from './support/gateway.js';
import { startUpstream, type Upstream } from './support/upstream.js';

interface AdminAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw admin request with exactly the headers given (undici sends `host` as given). */
async function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<AdminAnswer> {
  const response = await request(url, { method: method as 'PUT', headers, ...(body === undefined ? {} : { body }) });
  return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
}

describe('admin API access', () => {
  let dir: string;
  let file: string;
  let tokenFile: string;
  let token: string;
  let a: Upstream;
  let b: Upstream;
  let gw: TestGateway;
  let adminPort: number;

  const configWith = (replica: string) =>
    guardedConfig({ shop: { lanes: { default: { replicas: [replica] } } } }, tokenFile);
  const reloads = () => reloadCount(gw);
  const inForce = () => replicasInForce(gw.gateway.adminUrl, 'shop');

  beforeAll(async () => {
    [a, b] = await Promise.all([startUpstream('a'), startUpstream('b')]);
    dir = await mkdtemp(join(tmpdir(), 'lanes-admin-access-'));
    file = join(dir, 'gateway.json');
    tokenFile = join(dir, 'admin-token');
    await writeFile(file, JSON.stringify(configWith(a.url)));
    gw = await startTestGateway(configWith(a.url), { configFile: file });
    token = (await readFile(tokenFile, 'utf8')).trim();
    adminPort = Number(new URL(gw.gateway.adminUrl).port);
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all([a?.close(), b?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the token file at start: 32 random bytes, mode 0600', async () => {
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
  });

  it('refuses a DNS-rebinding PUT (foreign Host) with 421, even with the token, and keeps the config', async () => {
    const before = reloads();
    const answer = await send(
      `${gw.gateway.adminUrl}/admin/config`,
      'PUT',
      {
        host: `rebind.attacker.example:${adminPort}`,
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      JSON.stringify(configWith(b.url)),
    );
    expect(answer.status).toBe(421);
    expect(JSON.parse(answer.body).error).toContain('rebind.attacker.example');
    expect(await inForce()).toEqual([a.url]);
    expect(await upstreamOf(gw.gateway.url)).toBe('a');
    expect(reloads()).toBe(before);
  });

  it('refuses reads under a foreign Host too', async () => {
    const answer = await send(`${gw.gateway.adminUrl}/admin/config`, 'GET', { host: 'rebind.attacker.example' });
    expect(answer.status).toBe(421);
    expect(answer.body).not.toContain('services');
  });

  it('refuses a text/plain PUT with 415 and keeps the config', async () => {
    const answer = await send(
      `${gw.gateway.adminUrl}/admin/config`,
      'PUT',
      { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      JSON.stringify(configWith(b.url)),
    );
    expect(answer.status).toBe(415);
    expect(await inForce()).toEqual([a.url]);
  });

  it('answers 401 with WWW-Authenticate: Bearer without the token or with a wrong one', async () => {
    const before = reloads();
    const missing = await adminSend(gw.gateway.adminUrl, 'PUT', '/admin/config', { body: configWith(b.url) });
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer /);
    const reload = await adminSend(gw.gateway.adminUrl, 'POST', '/admin/reload');
    expect(reload.status).toBe(401);
    const wrong = await send(
      `${gw.gateway.adminUrl}/admin/reload`,
      'POST',
      { authorization: `Bearer ${'0'.repeat(64)}`, 'content-type': 'application/json' },
      '{}',
    );
    expect(wrong.status).toBe(401);
    expect(await inForce()).toEqual([a.url]);
    expect(reloads()).toBe(before);
  });

  it('refuses a cross-site POST /admin/reload (foreign Origin) with 403', async () => {
    const before = reloads();
    const answer = await send(
      `${gw.gateway.adminUrl}/admin/reload`,
      'POST',
      { origin: 'http://evil.example', authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      '{}',
    );
    expect(answer.status).toBe(403);
    expect(reloads()).toBe(before);
  });

  it('serves reads on loopback without the token, and GET /admin/config does not show it', async () => {
    expect((await get(`${gw.gateway.adminUrl}/metrics`)).status).toBe(200);
    expect((await get(`${gw.gateway.adminUrl}/admin/health`)).status).toBe(200);
    const localhost = await send(`${gw.gateway.adminUrl}/admin/config`, 'GET', { host: `localhost:${adminPort}` });
    expect(localhost.status).toBe(200);
    expect(localhost.body).toContain(tokenFile);
    expect(localhost.body).not.toContain(token);
  });

  it('applies a PUT and a reload with the right token and content type', async () => {
    const before = reloads();
    const put = await adminSend(gw.gateway.adminUrl, 'PUT', '/admin/config', { tokenFile, body: configWith(b.url) });
    expect(put.status).toBe(200);
    expect(await inForce()).toEqual([b.url]);
    expect(await upstreamOf(gw.gateway.url)).toBe('b');
    const reload = await adminSend(gw.gateway.adminUrl, 'POST', '/admin/reload', { tokenFile });
    expect(reload.status).toBe(200);
    expect(await inForce()).toEqual([a.url]);
    expect(reloads()).toBe(before + 2);
  });
});

describe('admin.tokenFile changed by a reload', () => {
  let dir: string;
  let gw: TestGateway;
  const configWith = (tokenFile: string) =>
    guardedConfig({ shop: { lanes: { default: { replicas: [] } } } }, tokenFile);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lanes-admin-rotate-'));
    gw = await startTestGateway(configWith(join(dir, 'first')));
  });
  afterAll(async () => {
    await gw?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('takes a restart: the reload says admin is ignored and the first token stays the one', async () => {
    const first = join(dir, 'first');
    const put = await adminSend(gw.gateway.adminUrl, 'PUT', '/admin/config', {
      tokenFile: first,
      body: configWith(join(dir, 'second')),
    });
    expect(put.status).toBe(200);
    expect(gw.events.find((event) => event.event === 'reloaded')).toMatchObject({ ignored: ['admin'] });
    expect((await adminSend(gw.gateway.adminUrl, 'PUT', '/admin/config', { tokenFile: first, body: {} })).status).toBe(
      400,
    );
  });
});

describe('admin API without admin.tokenFile', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(testConfig({ shop: { lanes: { default: { replicas: [] } } } }));
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('serves reads and refuses every change with 403 naming the setting', async () => {
    expect((await get(`${gw.gateway.adminUrl}/admin/config`)).status).toBe(200);
    const put = await adminSend(gw.gateway.adminUrl, 'PUT', '/admin/config', { body: {} });
    expect(put.status).toBe(403);
    expect(put.json<{ error: string }>().error).toContain('admin.tokenFile');
  });
});
