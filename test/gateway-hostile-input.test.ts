import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, startTestGateway, type TestGateway, testConfig } from './support/gateway.js';
import { startUpstream, type Upstream } from './support/upstream.js';

/** Sends raw bytes and returns the status line of the answer. */
function rawStatusLine(url: string, raw: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(raw));
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(data.split('\r\n')[0] ?? ''));
    setTimeout(() => socket.destroy(), 2000);
  });
}

describe('bad and hostile input', () => {
  let d: Upstream;
  let g: Upstream;
  let gw: TestGateway;

  beforeAll(async () => {
    [d, g] = await Promise.all([startUpstream('default'), startUpstream('gray')]);
    gw = await startTestGateway(
      testConfig(
        { shop: { lanes: { default: { replicas: [d.url] }, gray: { replicas: [g.url] } } } },
        { limits: { maxHeaderBytes: 8192 } },
      ),
    );
  });
  afterAll(async () => {
    await gw.close();
    await Promise.all([d.close(), g.close()]);
  });

  it.each([
    [
      '33 tracestate members',
      Array.from({ length: 32 }, (_, i) => `v${i}=x`)
        .concat('ctx=lane:gray')
        .join(','),
    ],
    ['a key opening with @', 'ctx=lane:gray,@foo=1'],
    ['an invalid member next to the lane', 'ctx=lane:gray,BAD KEY=1'],
    ['a non-ASCII lane', 'ctx=lane:gr\u00e0y'],
    ['a 4 KB value', `ctx=lane:gray,big=${'a'.repeat(4000)}`],
  ])('treats a tracestate with %s as untagged', async (_what, tracestate) => {
    const response = await get(gw.gateway.url, { tracestate });
    expect(response.status).toBe(200);
    expect(response.headers['x-upstream']).toBe('default');
  });

  it('answers 431 to headers over the limit, and keeps serving', async () => {
    const status = await rawStatusLine(
      gw.gateway.url,
      `GET / HTTP/1.1\r\nhost: x\r\ntracestate: ctx=lane:gray,big=${'a'.repeat(9000)}\r\n\r\n`,
    );
    expect(status).toContain('431');
    expect((await get(gw.gateway.url)).status).toBe(200);
  });

  it('answers 400 to garbage, and keeps serving', async () => {
    expect(await rawStatusLine(gw.gateway.url, 'NOT HTTP AT ALL\r\n\r\n')).toContain('400');
    expect((await get(gw.gateway.url)).status).toBe(200);
  });

  it('removes hop-by-hop headers and adds forwarding headers', async () => {
    const before = d.seen.length;
    // node:http, not undici: undici will not send a custom Connection header.
    const req = httpRequest(`${gw.gateway.url}/p`, {
      headers: {
        connection: 'keep-alive, x-secret-hop',
        'x-secret-hop': 'must not pass',
        'proxy-authorization': 'Basic abc',
        te: 'trailers',
        'x-forwarded-for': '10.1.2.3',
        host: 'shop.example',
      },
    });
    req.end();
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    res.resume();
    expect(res.statusCode).toBe(200);
    const seen = d.seen.slice(before)[0]!;
    expect(seen.headers['x-secret-hop']).toBeUndefined();
    expect(seen.headers['proxy-authorization']).toBeUndefined();
    expect(seen.headers.te).toBeUndefined();
    expect(seen.headers['x-forwarded-for']).toBe('10.1.2.3, 127.0.0.1');
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(seen.headers['x-forwarded-host']).toBe('shop.example');
    expect(seen.headers.forwarded).toBe('for=127.0.0.1;proto=http;host="shop.example"');
    expect(seen.headers.host).toBe('shop.example');
  });

  it('answers 404 naming the host when no service matches', async () => {
    const [api, web] = await Promise.all([startUpstream('api'), startUpstream('web')]);
    const multi = await startTestGateway(
      testConfig({
        api: { match: { pathPrefix: '/api' }, lanes: { default: { replicas: [api.url] } } },
        web: { match: { hosts: ['web.localhost'] }, lanes: { default: { replicas: [web.url] } } },
      }),
    );
    try {
      expect((await get(`${multi.gateway.url}/api/users`)).headers['x-upstream']).toBe('api');
      expect((await get(`${multi.gateway.url}/apix`)).status).toBe(404);
      expect((await get(`${multi.gateway.url}/`, { host: 'web.localhost:8080' })).headers['x-upstream']).toBe('web');
      const miss = await get(`${multi.gateway.url}/`, { host: 'other.localhost' });
      expect(miss.status).toBe(404);
      expect(miss.json()).toMatchObject({ error: 'no_service' });
      expect(miss.json<{ message: string }>().message).toContain('other.localhost');
    } finally {
      await multi.close();
      await Promise.all([api.close(), web.close()]);
    }
  });
});
