// A real browser (headless Debian chromium) on another origin tries to reconfigure the gateway through its admin API:
// cross-site form POST, no-cors fetch, text/plain PUT, and a DNS-rebinding page whose requests reach the admin API
// under a foreign Host. None may change the configuration or cause a reload.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../packages/aoi-viewer/src/test-support/browser.js';
import {
  guardedConfig,
  reloadCount,
  replicasInForce,
  startTestGateway,
  type TestGateway,
  upstreamOf,
} from './support/gateway.js';
import { startUpstream, type Upstream } from './support/upstream.js';

/** The attacker's name; chromium resolves it to loopback, as a rebinding DNS server would after the page loaded. */
const REBIND_HOST = 'rebind.attacker.example';

/**
 * The attack page's script (page JavaScript, kept out of the test's TypeScript, which has no DOM types): a classic
 * CSRF form posted into a hidden frame (its load means the answer arrived), a no-cors fetch whose answer the page
 * cannot read but which is sent, and a text/plain PUT of a whole configuration.
 */
const CROSS_SITE_SCRIPT = `
async function crossSite(admin, evil) {
  const results = [];
  const frame = document.createElement('iframe');
  frame.name = 'sink';
  document.body.append(frame);
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  const form = document.createElement('form');
  form.method = 'POST';
  form.action = admin + '/admin/reload';
  form.enctype = 'text/plain';
  form.target = 'sink';
  const input = document.createElement('input');
  input.name = '{"a":"';
  input.value = '"}';
  form.append(input);
  document.body.append(form);
  form.submit();
  await loaded;
  results.push('form posted');
  const blind = await fetch(admin + '/admin/reload', {
    method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: '{}',
  });
  results.push('no-cors ' + blind.type);
  try {
    const put = await fetch(admin + '/admin/config', {
      method: 'PUT', headers: { 'content-type': 'text/plain' }, body: evil,
    });
    results.push('put ' + put.status);
  } catch (error) {
    results.push('put refused: ' + error.name);
  }
  return results;
}`;

/**
 * The attacker's site: `/` is the attack page; every other path is passed on, headers untouched, to the admin API.
 * That is what the admin API sees once DNS for the attacker's name points at loopback: same-origin requests of the
 * attacker's page, with the attacker's Host and Origin.
 */
function startAttackerSite(adminUrl: string): Promise<{ server: Server; url: string; forwarded: number[] }> {
  const forwarded: number[] = [];
  const server = createServer((req, res) => {
    if (req.url === '/') {
      const page = `<!doctype html><title>attacker</title><script>${CROSS_SITE_SCRIPT}</script><body></body>`;
      res.writeHead(200, { 'content-type': 'text/html' }).end(page);
      return;
    }
    const target = new URL(req.url ?? '/', adminUrl);
    const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
      forwarded.push(answer.statusCode ?? 0);
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}`, forwarded });
    });
  });
}

describe('admin API attacked from a browser page on another origin', () => {
  let dir: string;
  let a: Upstream;
  let b: Upstream;
  let gw: TestGateway;
  let attacker: Awaited<ReturnType<typeof startAttackerSite>>;
  let browser: BrowserContext;
  let profile: string;

  const configWith = (replica: string, tokenFile: string) =>
    guardedConfig({ shop: { lanes: { default: { replicas: [replica] } } } }, tokenFile);
  const reloads = () => reloadCount(gw);
  const inForce = () => replicasInForce(gw.gateway.adminUrl, 'shop');

  beforeAll(async () => {
    [a, b] = await Promise.all([startUpstream('a'), startUpstream('b')]);
    dir = await mkdtemp(join(tmpdir(), 'lanes-admin-browser-'));
    const file = join(dir, 'gateway.json');
    const config = configWith(a.url, join(dir, 'admin-token'));
    await writeFile(file, JSON.stringify(config));
    gw = await startTestGateway(config, { configFile: file });
    attacker = await startAttackerSite(gw.gateway.adminUrl);
    profile = await mkdtemp(join(tmpdir(), 'lanes-admin-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${REBIND_HOST} 127.0.0.1`],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (attacker ? attacker.server.close(resolve) : resolve(undefined)));
    await gw?.close();
    await Promise.all([a?.close(), b?.close()]);
    await rm(dir, { recursive: true, force: true });
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('cross-site form POST, no-cors fetch and text/plain PUT change nothing', async () => {
    const before = reloads();
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(`${attacker.url}/`);
    const evil = JSON.stringify(configWith(b.url, join(dir, 'admin-token')));
    const call = `crossSite(${JSON.stringify(gw.gateway.adminUrl)}, ${JSON.stringify(evil)})`;
    const outcome = (await page.evaluate(call)) as string[];
    expect(outcome.slice(0, 2)).toEqual(['form posted', 'no-cors opaque']);
    expect(await inForce()).toEqual([a.url]);
    expect(await upstreamOf(gw.gateway.url)).toBe('a');
    expect(reloads()).toBe(before);
  });

  it('a DNS-rebinding page reaches the admin API same-origin, under its own Host, and changes nothing', async () => {
    const before = reloads();
    const page = browser.pages()[0] ?? (await browser.newPage());
    const port = new URL(attacker.url).port;
    await page.goto(`http://${REBIND_HOST}:${port}/`);
    const evil = JSON.stringify(configWith(b.url, join(dir, 'admin-token')));
    const statuses = await page.evaluate(async (evil) => {
      const put = (type: string) =>
        fetch('/admin/config', { method: 'PUT', headers: { 'content-type': type }, body: evil }).then((r) => r.status);
      return [
        await put('text/plain'),
        await put('application/json'),
        await fetch('/admin/reload', { method: 'POST', body: '{}' }).then((r) => r.status),
        await fetch('/admin/config').then((r) => r.status),
      ];
    }, evil);
    // Every request reached the admin API (through the attacker's site) and was refused for its Host.
    expect(attacker.forwarded.slice(-4)).toEqual(statuses);
    expect(statuses).toEqual([421, 421, 421, 421]);
    expect(await inForce()).toEqual([a.url]);
    expect(await upstreamOf(gw.gateway.url)).toBe('a');
    expect(reloads()).toBe(before);
  });
});
