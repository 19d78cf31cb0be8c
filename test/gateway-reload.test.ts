import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminSend,
  get,
  guardedConfig,
  startTestGateway,
  type TestGateway,
  upstreamOf,
  waitFor,
} from './support/gateway.js';
import { startLoadLoop } from './support/load-loop.js';
import { startUpstream, type Upstream } from './support/upstream.js';

let tokenFile = '';

function configWith(replica: string): unknown {
  return guardedConfig({ shop: { lanes: { default: { replicas: [replica] } } } }, tokenFile);
}

/** Requests in a loop from `workers` clients until stopped; an answer that is not a 200 is a failure. */
function constantLoad(url: string, workers: number) {
  return startLoadLoop(workers, async () => {
    const response = await request(url);
    await response.body.text();
    if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
  });
}

describe('reload without dropping requests', () => {
  let dir: string;
  let file: string;
  let a: Upstream;
  let b: Upstream;
  let c: Upstream;
  let gw: TestGateway;

  beforeAll(async () => {
    [a, b, c] = await Promise.all([startUpstream('a'), startUpstream('b'), startUpstream('c')]);
    dir = await mkdtemp(join(tmpdir(), 'lanes-reload-'));
    file = join(dir, 'gateway.json');
    tokenFile = join(dir, 'admin-token');
    await writeFile(file, JSON.stringify(configWith(a.url)));
    gw = await startTestGateway(configWith(a.url), { configFile: file });
  });
  afterAll(async () => {
    await gw.close();
    await Promise.all([a.close(), b.close(), c.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('switches replicas by admin API and by file change under constant load with zero failed requests', async () => {
    const load = constantLoad(gw.gateway.url, 8);
    await load.waitForAnswers(25);
    const put = await adminSend(gw.gateway.adminUrl, 'PUT', '/admin/config', { tokenFile, body: configWith(b.url) });
    expect(put.status).toBe(200);
    await waitFor(async () => (await upstreamOf(gw.gateway.url)) === 'b', 'b serves after the admin reload');
    await load.waitForAnswers(25);
    await writeFile(file, JSON.stringify(configWith(c.url)));
    await waitFor(async () => (await upstreamOf(gw.gateway.url)) === 'c', 'c serves after the file change');
    await load.waitForAnswers(25);
    await load.stop();
    expect(load.failures).toEqual([]);
    expect(gw.events.filter((e) => e.event === 'reloaded').map((e) => (e as { source: string }).source)).toEqual(
      expect.arrayContaining(['admin', 'file']),
    );
  });

  it('lets a request in flight on a retired replica finish', async () => {
    await writeFile(file, JSON.stringify(configWith(a.url)));
    await waitFor(async () => (await upstreamOf(gw.gateway.url)) === 'a', 'a serves again');
    let release: () => void = () => undefined;
    let reached = false;
    a.handle((req, res) => {
      req.resume();
      reached = true;
      release = () => res.writeHead(200, { 'x-upstream': 'a' }).end('slow but complete');
    });
    const pending = get(gw.gateway.url);
    await waitFor(() => reached, 'request reached a');
    await adminSend(gw.gateway.adminUrl, 'PUT', '/admin/config', { tokenFile, body: configWith(b.url) });
    expect(await upstreamOf(gw.gateway.url)).toBe('b');
    release();
    const response = await pending;
    expect(response.status).toBe(200);
    expect(response.body).toBe('slow but complete');
  });

  it('rejects an invalid configuration with its errors and keeps serving the old one', async () => {
    const before = await upstreamOf(gw.gateway.url);
    const bad = { services: { shop: { lanes: { gray: { replicas: ['localhost:1'] } } } } };
    const put = await adminSend(gw.gateway.adminUrl, 'PUT', '/admin/config', { tokenFile, body: bad });
    expect(put.status).toBe(400);
    const body = put.json<{ reloaded: boolean; issues: { path: string }[] }>();
    expect(body.reloaded).toBe(false);
    expect(body.issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['services.shop.lanes.default', 'services.shop.lanes.gray.replicas[0]']),
    );
    await writeFile(file, '{ not json');
    await waitFor(
      () => gw.events.some((e) => e.event === 'reload-failed' && e.source === 'file'),
      'file reload failure reported',
    );
    expect(await upstreamOf(gw.gateway.url)).toBe(before);
  });
});
