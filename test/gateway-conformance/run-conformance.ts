import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { CASE_LANES, LANE_MATCH_CASES } from '../../packages/lanes-aws/src/synth/lane-match-cases.js';
import { get, testConfig, upstreamOf, waitFor } from '../support/gateway.js';
import type { GatewayEngineFactory, RunningGateway } from '../support/gateway-engines.js';
import { retryOnceIfCut, startLoadLoop } from '../support/load-loop.js';
import { startUpstream, type Upstream } from '../support/upstream.js';

/** Case names an engine skips, each with the reason (shown in the test name, so a skip is never silent). */
export type ConformanceSkips = Readonly<Record<string, string>>;

/** The gateway's listen address with a fixed loopback port of 0: each engine resolves it itself. */
function config(services: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown {
  return testConfig(services, extra);
}

interface Fixture {
  gateway: RunningGateway;
  upstreams: Map<string, Upstream>;
}

/**
 * One suite for every engine (Hono's `runTest({ newRouter, skip })` pattern): the same requests, the same expected
 * routing. `skip` names cases an engine cannot pass and why; a case skipped without a reason does not exist.
 */
export function runGatewayConformance(factory: GatewayEngineFactory, skip: ConformanceSkips = {}): void {
  const title = (name: string): string => (skip[name] ? `${name} (skipped: ${skip[name]})` : name);
  const test = (name: string, body: () => Promise<void>, timeoutMs?: number): void => {
    if (skip[name]) it.skip(title(name), body);
    else it(name, body, timeoutMs);
  };
  const fixtures: Fixture[] = [];
  async function start(lanes: readonly string[], build: (urls: Record<string, string>) => unknown): Promise<Fixture> {
    const upstreams = new Map<string, Upstream>();
    for (const lane of lanes) upstreams.set(lane, await startUpstream(lane));
    const urls = Object.fromEntries([...upstreams].map(([lane, u]) => [lane, u.url]));
    const gateway = await factory.start(build(urls));
    const fixture = { gateway, upstreams };
    fixtures.push(fixture);
    return fixture;
  }
  afterAll(async () => {
    for (const f of fixtures) {
      await f.gateway.close();
      await Promise.all([...f.upstreams.values()].map((u) => u.close()));
    }
  });

  describe(`${factory.engine} engine: the lane match case table`, () => {
    let url = '';
    beforeAll(async () => {
      const f = await start(CASE_LANES, (urls) =>
        config({ shop: { lanes: Object.fromEntries(CASE_LANES.map((l) => [l, { replicas: [urls[l]] }])) } }),
      );
      url = `${f.gateway.url}/items`;
    });
    for (const c of LANE_MATCH_CASES) {
      test(`case: ${c.name}`, async () => {
        const headers: Record<string, string | string[]> = {};
        if (c.headers.tracestate !== undefined) headers.tracestate = c.headers.tracestate;
        if (c.headers.baggage !== undefined) headers.baggage = c.headers.baggage;
        expect(await upstreamOf(url, headers)).toBe(c.lane);
      });
    }
  });

  describe(`${factory.engine} engine: routing policies`, () => {
    let f: Fixture;
    beforeAll(async () => {
      f = await start(['default', 'gray', 'blue', 'red'], (u) =>
        config({
          shop: {
            match: { pathPrefix: '/shop' },
            lanes: { default: { replicas: [u.default] }, gray: { replicas: [u.gray] }, pr1: { replicas: [] } },
          },
          strict: {
            match: { pathPrefix: '/strict' },
            whenLaneDown: 'reject',
            lanes: { default: { replicas: [u.default] }, pr1: { replicas: [] } },
          },
          canary: {
            match: { pathPrefix: '/canary' },
            stickiness: { header: 'x-user' },
            lanes: { default: { replicas: [u.default], weight: 50 }, blue: { replicas: [u.blue], weight: 50 } },
          },
          cookies: {
            match: { pathPrefix: '/cookies', hosts: ['cookies.localhost'] },
            stickiness: { cookie: 'lane_key' },
            lanes: { default: { replicas: [u.default], weight: 50 }, red: { replicas: [u.red], weight: 50 } },
          },
        }),
      );
    });

    test('an unmatched path is answered 404 no_service', async () => {
      const r = await get(`${f.gateway.url}/nowhere`);
      expect(r.status).toBe(404);
      expect(r.headers['x-lanes-error']).toBe('no_service');
    });
    test('a prefix matches at a path boundary only', async () => {
      expect(await upstreamOf(`${f.gateway.url}/shop/x`, { tracestate: 'ctx=lane:gray' })).toBe('gray');
      expect((await get(`${f.gateway.url}/shopx`)).status).toBe(404);
    });
    test('a lane without replicas falls back to default', async () => {
      expect(await upstreamOf(`${f.gateway.url}/shop`, { tracestate: 'ctx=lane:pr1' })).toBe('default');
    });
    test('whenLaneDown reject answers 503 no_healthy_replica', async () => {
      const r = await get(`${f.gateway.url}/strict`, { tracestate: 'ctx=lane:pr1' });
      expect(r.status).toBe(503);
      expect(r.headers['x-lanes-error']).toBe('no_healthy_replica');
    });
    test('a weighted split is sticky per header and writes the chosen lane downstream', async () => {
      const seen = new Map<string, string>();
      for (let user = 0; user < 40; user++) {
        const r = await get(`${f.gateway.url}/canary`, { 'x-user': `user-${user}`, tracestate: 'dd=s:1' });
        const lane = String(r.headers['x-upstream']);
        // The upstream saw the lane it serves in the tracestate, ahead of the other vendors' members.
        expect(r.json<{ headers: { tracestate: string } }>().headers.tracestate).toBe(`ctx=lane:${lane},dd=s:1`);
        seen.set(`user-${user}`, lane);
      }
      expect(new Set(seen.values())).toEqual(new Set(['default', 'blue']));
      for (const [user, lane] of seen)
        expect(await upstreamOf(`${f.gateway.url}/canary`, { 'x-user': user })).toBe(lane);
    });
    test('a weighted split writes the chosen lane into a request that came without carriers', async () => {
      const lanes = new Set<string>();
      for (let user = 0; user < 40; user++) {
        const r = await get(`${f.gateway.url}/canary`, { 'x-user': `user-${user}` });
        const lane = String(r.headers['x-upstream']);
        const seen = r.json<{ headers: { tracestate?: string; baggage?: string } }>().headers;
        expect(seen.tracestate).toBe(`ctx=lane:${lane}`);
        expect(seen.baggage).toBeUndefined();
        lanes.add(lane);
      }
      expect(lanes).toEqual(new Set(['default', 'blue']));
    });
    test('a weighted split with a sticky cookie sets it once and keeps the lane', async () => {
      const lanes = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const first = await get(`${f.gateway.url}/cookies`, { host: 'cookies.localhost' });
        const cookie = String(first.headers['set-cookie']).split(';')[0]!;
        expect(cookie).toMatch(/^lane_key=./);
        const lane = String(first.headers['x-upstream']);
        lanes.add(lane);
        const again = await get(`${f.gateway.url}/cookies`, { host: 'cookies.localhost', cookie });
        expect(again.headers['x-upstream']).toBe(lane);
        expect(again.headers['set-cookie']).toBeUndefined();
      }
      expect(lanes).toEqual(new Set(['default', 'red']));
    });
    test('hop-by-hop headers stay behind and X-Forwarded-* are written', async () => {
      const r = await get(`${f.gateway.url}/shop`, {
        'proxy-connection': 'keep-alive',
        'proxy-authorization': 'Basic eDp5',
        te: 'trailers',
        'x-forwarded-for': '203.0.113.9',
        host: 'shop.localhost:8080',
      });
      const seen = r.json<{ headers: Record<string, string> }>().headers;
      for (const name of ['proxy-connection', 'proxy-authorization', 'te', 'keep-alive', 'upgrade']) {
        expect(seen[name], name).toBeUndefined();
      }
      expect(seen['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
      expect(seen['x-forwarded-proto']).toBe('http');
      expect(seen['x-forwarded-host']).toBe('shop.localhost:8080');
      expect(seen.host).toBe('shop.localhost:8080');
    });
    test('a header named in Connection is not forwarded', async () => {
      // node:http, because undici will not send a Connection header that names other headers.
      const seen = await new Promise<Record<string, string>>((resolve, reject) => {
        const req = request(`${f.gateway.url}/shop`, { headers: { connection: 'x-private', 'x-private': 'secret' } });
        req.on('response', (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (chunk: string) => {
            body += chunk;
          });
          res.on('end', () => resolve((JSON.parse(body) as { headers: Record<string, string> }).headers));
        });
        req.on('error', reject);
        req.end();
      });
      expect(seen['x-private']).toBeUndefined();
      expect(seen['x-forwarded-proto']).toBe('http');
    });
  });

  describe(`${factory.engine} engine: admission, limits, passive health`, () => {
    let f: Fixture;
    beforeAll(async () => {
      f = await start(['default', 'gray', 'blue', 'spare'], (u) =>
        config(
          {
            shop: {
              passiveHealth: { consecutiveFailures: 1, ejectMs: 30_000 },
              lanes: {
                default: { replicas: [u.default, u.spare] },
                gray: { replicas: [u.gray] },
                blue: { replicas: [u.blue] },
              },
            },
          },
          {
            // Loopback is not trusted: this client is an outsider who may only ask for the open lane blue.
            admission: { trusted: ['10.0.0.0/8'], openLanes: ['default', 'blue'] },
            limits: { maxHeaderBytes: 4096 },
          },
        ),
      );
    });

    test('an untrusted client loses its lane member and keeps the rest', async () => {
      const r = await get(f.gateway.url, { tracestate: 'dd=s:1,ctx=lane:gray', baggage: 'k=v,lane=gray' });
      expect(r.headers['x-upstream']).toBe('default');
      const seen = r.json<{ headers: Record<string, string> }>().headers;
      expect(seen.tracestate).toBe('dd=s:1');
      expect(seen.baggage).toBe('k=v');
    });
    test('an untrusted client may choose an open lane', async () => {
      expect(await upstreamOf(f.gateway.url, { tracestate: 'ctx=lane:blue' })).toBe('blue');
    });
    test('a header block over limits.maxHeaderBytes is answered 431', async () => {
      expect((await get(f.gateway.url, { 'x-big': 'a'.repeat(8000) })).status).toBe(431);
      expect((await get(f.gateway.url, { 'x-small': 'a'.repeat(500) })).status).toBe(200);
    });
    test('a lane whose only replica is down falls back to default', async () => {
      await f.upstreams.get('blue')!.close();
      // The request that finds the replica down may fail; once it is out, the lane's requests reach the default
      // lane's replicas (default and spare).
      await waitFor(
        async () => (await get(f.gateway.url, { tracestate: 'ctx=lane:blue' })).status === 200,
        'blue answers',
      );
      for (let i = 0; i < 5; i++)
        expect(['default', 'spare']).toContain(await upstreamOf(f.gateway.url, { tracestate: 'ctx=lane:blue' }));
    });
    test('a replica that refuses connections is taken out and requests go on to the others', async () => {
      await f.upstreams.get('spare')!.close();
      // Each engine may fail or retry the request that finds the replica down; after that every request lands.
      await waitFor(async () => (await get(f.gateway.url)).status === 200, 'default answers');
      for (let i = 0; i < 10; i++) expect(await upstreamOf(f.gateway.url)).toBe('default');
    });
  });

  describe(`${factory.engine} engine: reload`, () => {
    test('a reload under constant load switches replicas and fails no request', async () => {
      const f = await start(['a', 'b'], (u) => config({ shop: { lanes: { default: { replicas: [u.a] } } } }));
      const b = f.upstreams.get('b')!;
      // A request cut at the instant an old nginx worker closes its kept-alive connection is retried once
      // (retryOnceIfCut says why).
      const load = startLoadLoop(4, async () => {
        const status = await retryOnceIfCut(
          async (dispatcher) => (await get(f.gateway.url, {}, 'GET', dispatcher)).status,
          () => undefined,
        );
        if (status !== 200) throw new Error(`status ${status}`);
      });
      await load.waitForAnswers(20);
      await f.gateway.reload(config({ shop: { lanes: { default: { replicas: [b.url] } } } }));
      await waitFor(async () => (await upstreamOf(f.gateway.url)) === 'b', 'b serves after the reload', 15_000);
      await load.waitForAnswers(20);
      await load.stop();
      expect(load.failures).toEqual([]);
    });
  });

  describe(`${factory.engine} engine: WebSocket`, () => {
    let gateway: RunningGateway;
    const servers: { close: () => void }[] = [];
    beforeAll(async () => {
      const urls: Record<string, string> = {};
      for (const name of ['default', 'gray']) {
        const server = createServer((_req, res) => res.end('ok'));
        const wss = new WebSocketServer({ server });
        wss.on('connection', (socket, req) => {
          socket.send(`${name}:${req.headers.tracestate ?? ''}`);
          socket.on('message', (data) => socket.send(`${name} echo ${String(data)}`));
        });
        server.listen(0, '127.0.0.1');
        await once(server, 'listening');
        urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        servers.push({
          close: () => {
            for (const c of wss.clients) c.terminate();
            wss.close();
            server.close();
          },
        });
      }
      gateway = await factory.start(
        config({ game: { lanes: { default: { replicas: [urls.default] }, gray: { replicas: [urls.gray] } } } }),
      );
    });
    afterAll(async () => {
      await gateway?.close();
      for (const s of servers) s.close();
    });
    test('an upgrade reaches the tagged lane and frames go both ways', async () => {
      const ws = new WebSocket(`${gateway.url.replace('http', 'ws')}/play`, {
        headers: { tracestate: 'ctx=lane:gray' },
      });
      const [hello] = (await once(ws, 'message')) as [Buffer];
      expect(String(hello)).toBe('gray:ctx=lane:gray');
      ws.send('ping');
      const [reply] = (await once(ws, 'message')) as [Buffer];
      expect(String(reply)).toBe('gray echo ping');
      ws.close();
    });
  });
}
