import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AccessEvent } from '@lanes/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, startTestGateway, type TestGateway, testConfig, waitFor } from './support/gateway.js';
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

/** A raw client connection: writes bytes as given, keeps every byte received, knows when the gateway closed it. */
class RawClient {
  data = '';
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.data += chunk.toString('latin1');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
    });
  }

  static async open(url: string): Promise<RawClient> {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    await once(socket, 'connect');
    return new RawClient(socket);
  }

  send(text: string): void {
    this.socket.write(text, 'latin1');
  }

  async until(check: (data: string) => boolean, what: string): Promise<void> {
    await waitFor(() => check(this.data) || this.closed, what, 15_000);
  }

  /** Waits until the gateway closes the connection (the socket is destroyed when the test ends either way). */
  async untilClosed(): Promise<string> {
    try {
      await waitFor(() => this.closed, 'the gateway closes the connection', 15_000);
    } finally {
      this.socket.destroy();
    }
    return this.data;
  }

  statusLines(): string[] {
    return this.data.match(/HTTP\/1\.[01] \d{3}[^\r\n]*/g) ?? [];
  }
}

/** Sends one raw request and returns everything received until the gateway closed the connection. */
async function rawRequest(url: string, raw: string): Promise<RawClient> {
  const client = await RawClient.open(url);
  client.send(raw);
  await client.untilClosed();
  return client;
}

function statusOf(client: RawClient): number {
  return Number(client.statusLines()[0]?.split(' ')[1] ?? 0);
}

/** 5xx counted against any lane: what an outsider must never be able to raise. */
async function lane5xx(gateway: TestGateway): Promise<number> {
  return (await gateway.gateway.metrics()).reduce((sum, lane) => sum + (lane.byClass[4] ?? 0), 0);
}

function accessEvents(gateway: TestGateway): AccessEvent[] {
  return gateway.events.filter((e): e is AccessEvent => e.event === 'access');
}

const manyFields = (count: number) => Array.from({ length: count }, (_, i) => `x-f${i}: 1\r\n`).join('');

describe('HTTP edge cases', () => {
  let d: Upstream;
  let g: Upstream;
  let api: Upstream;
  let web: Upstream;
  let slow: Upstream;
  let gw: TestGateway;

  beforeAll(async () => {
    [d, g, api, web, slow] = await Promise.all([
      startUpstream('default'),
      startUpstream('gray'),
      startUpstream('api'),
      startUpstream('web'),
      startUpstream('slow'),
    ]);
    gw = await startTestGateway(
      testConfig(
        {
          shop: { lanes: { default: { replicas: [d.url] }, gray: { replicas: [g.url] } } },
          api: { match: { pathPrefix: '/api' }, lanes: { default: { replicas: [api.url] } } },
          web: { match: { hosts: ['web.localhost'] }, lanes: { default: { replicas: [web.url] } } },
          slow: { match: { pathPrefix: '/slow' }, lanes: { default: { replicas: [slow.url] } } },
        },
        { limits: { maxHeaderBytes: 65_536 } },
      ),
    );
  });
  afterAll(async () => {
    await gw.close();
    await Promise.all([d, g, api, web, slow].map((u) => u.close()));
  });

  it('answers OPTIONS * and CONNECT itself, and counts nothing against a lane', async () => {
    const before = d.seen.length + g.seen.length;
    const options = await rawRequest(gw.gateway.url, 'OPTIONS * HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    expect(options.statusLines()).toEqual(['HTTP/1.1 200 OK']);
    expect(options.data).toMatch(/\r\nallow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n/i);
    expect(options.data).toMatch(/\r\ncontent-length: 0\r\n/i);
    const tunnel = await rawRequest(
      gw.gateway.url,
      'CONNECT example.com:443 HTTP/1.1\r\nhost: example.com:443\r\n\r\n',
    );
    expect(tunnel.statusLines()).toEqual(['HTTP/1.1 405 Method Not Allowed']);
    expect(tunnel.data).toMatch(/\r\nallow: \r\n/i);
    expect(d.seen.length + g.seen.length).toBe(before);
    expect(await lane5xx(gw)).toBe(0);
  });

  it('routes an absolute-form request by its authority and path, and forwards it in origin form', async () => {
    const toWeb = await rawRequest(
      gw.gateway.url,
      'GET http://web.localhost:8080/x?y=1 HTTP/1.1\r\nhost: other.example\r\nconnection: close\r\n\r\n',
    );
    expect(statusOf(toWeb)).toBe(200);
    expect(web.seen.at(-1)).toMatchObject({ url: '/x?y=1', headers: { host: 'web.localhost:8080' } });
    const toApi = await rawRequest(
      gw.gateway.url,
      'GET http://shop.example/api/users HTTP/1.1\r\nhost: shop.example\r\nconnection: close\r\n\r\n',
    );
    expect(statusOf(toApi)).toBe(200);
    expect(api.seen.at(-1)).toMatchObject({ url: '/api/users', headers: { host: 'shop.example' } });
    const query = await rawRequest(
      gw.gateway.url,
      'GET http://a.example?q HTTP/1.1\r\nhost: a\r\nconnection: close\r\n\r\n',
    );
    expect(statusOf(query)).toBe(200);
    expect(d.seen.at(-1)).toMatchObject({ url: '/?q', headers: { host: 'a.example' } });
  });

  it('closes the connection on a protocol error after the response started, never writing a second status line', async () => {
    slow.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first part;');
    });
    const client = await RawClient.open(gw.gateway.url);
    client.send('POST /slow HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n');
    await client.until((data) => data.includes('first part;'), 'the response has started');
    client.send('this is not a chunk size\r\n\r\n');
    const data = await client.untilClosed();
    expect(client.statusLines()).toEqual(['HTTP/1.1 200 OK']);
    expect(data).not.toContain('400');
    expect(await lane5xx(gw)).toBe(0);
  });

  it('does not answer a bad pipelined request while the answer to the one before is pending', async () => {
    const held: ServerResponse[] = [];
    slow.handle((_req, res) => held.push(res));
    const client = await RawClient.open(gw.gateway.url);
    client.send('GET /slow HTTP/1.1\r\nhost: x\r\n\r\nNOT HTTP AT ALL\r\n\r\n');
    await client.untilClosed();
    // A 400 now would be taken for the answer to GET /slow.
    expect(client.statusLines()).toEqual([]);
    for (const res of held) res.end();
    expect(await lane5xx(gw)).toBe(0);
  });

  it('answers 431 to more header fields than it keeps, instead of dropping the lane header', async () => {
    const before = g.seen.length + d.seen.length;
    // host + 1998 + tracestate = 2000 fields: all kept, the lane is honoured.
    const atLimit = await rawRequest(
      gw.gateway.url,
      `GET / HTTP/1.1\r\nhost: x\r\n${manyFields(1997)}connection: close\r\ntracestate: ctx=lane:gray\r\n\r\n`,
    );
    expect(statusOf(atLimit)).toBe(200);
    // Routed by the last field (the replica itself, a Node server too, keeps only 2000 of what it is sent).
    expect(atLimit.data).toMatch(/\r\nx-upstream: gray\r\n/i);
    const over = await rawRequest(
      gw.gateway.url,
      `GET / HTTP/1.1\r\nhost: x\r\n${manyFields(1998)}connection: close\r\ntracestate: ctx=lane:gray\r\n\r\n`,
    );
    expect(statusOf(over)).toBe(431);
    expect(over.data).toContain('too_many_header_fields');
    expect(g.seen.length + d.seen.length).toBe(before + 1);
  });

  it('forwards the routed lane when the client nominates the lane header in Connection', async () => {
    const req = httpRequest(`${gw.gateway.url}/p`, {
      headers: { connection: 'keep-alive, tracestate', tracestate: 'ctx=lane:gray,other=1' },
    });
    req.end();
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    res.resume();
    expect(res.headers['x-upstream']).toBe('gray');
    const seen = g.seen.at(-1)!;
    expect(seen.headers.tracestate).toBe('ctx=lane:gray');
  });

  it('logs the 400 a client got for a bad body as 400, not 499', async () => {
    const client = await rawRequest(
      gw.gateway.url,
      'POST /p HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n\r\n',
    );
    expect(client.statusLines()).toEqual(['HTTP/1.1 400 Bad Request']);
    await waitFor(() => accessEvents(gw).some((e) => e.path === '/p' && e.method === 'POST'), 'an access event');
    const logged = accessEvents(gw).filter((e) => e.path === '/p' && e.method === 'POST');
    expect(logged.map((e) => e.status)).toEqual([400]);
  });

  it.each([
    ['an unknown HTTP version', 400, 'GET / HTTP/9.9\r\nhost: x\r\n\r\n'],
    ['a request line without target', 400, 'GET\r\n\r\n'],
    ['a bad method', 400, 'G@T / HTTP/1.1\r\nhost: x\r\n\r\n'],
    ['a space in the target', 400, 'GET /a b HTTP/1.1\r\nhost: x\r\n\r\n'],
    ['a relative target', 400, 'GET foo HTTP/1.1\r\nhost: x\r\n\r\n'],
    ['GET *', 400, 'GET * HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'],
    ['userinfo in an absolute target', 400, 'GET http://u@a.example/ HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'],
    ['an ftp target', 400, 'GET ftp://a.example/ HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'],
    ['an upgrade to GET *', 400, 'GET * HTTP/1.1\r\nhost: x\r\nconnection: upgrade\r\nupgrade: websocket\r\n\r\n'],
    ['a header without colon', 400, 'GET / HTTP/1.1\r\nhost: x\r\nno colon here\r\n\r\n'],
    ['a space before the colon', 400, 'GET / HTTP/1.1\r\nhost : x\r\n\r\n'],
    ['a bad header name', 400, 'GET / HTTP/1.1\r\nhost: x\r\nx(y): 1\r\n\r\n'],
    ['a control character in a value', 400, 'GET / HTTP/1.1\r\nhost: x\r\nx-y: a\u0001b\r\n\r\n'],
    ['no Host', 400, 'GET / HTTP/1.1\r\nconnection: close\r\n\r\n'],
    ['a huge header', 431, `GET / HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(70_000)}\r\n\r\n`],
    ['2,100 header fields', 431, `GET / HTTP/1.1\r\nhost: x\r\n${manyFields(2100)}connection: close\r\n\r\n`],
    ['a bad chunk size', 400, 'POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n\r\n'],
    ['a chunk without CRLF', 400, 'POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n2\r\nabcd\r\n'],
    [
      'a huge chunk extension',
      413,
      `POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n1;${'e'.repeat(20_000)}\r\n`,
    ],
    ['a Content-Length that is no number', 400, 'POST / HTTP/1.1\r\nhost: x\r\ncontent-length: abc\r\n\r\n'],
    ['a negative Content-Length', 400, 'POST / HTTP/1.1\r\nhost: x\r\ncontent-length: -1\r\n\r\n'],
    ['a Content-Length list', 400, 'POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 1, 2\r\n\r\nab'],
    [
      'two different Content-Lengths',
      400,
      'POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\nab',
    ],
    [
      'Transfer-Encoding and Content-Length',
      400,
      'POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\ncontent-length: 4\r\n\r\n0\r\n\r\n',
    ],
    [
      'a Transfer-Encoding not ending in chunked',
      400,
      'POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: gzip\r\n\r\nabc',
    ],
    ['an unknown Transfer-Encoding', 400, 'POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: xchunked\r\n\r\nabc'],
    ['an unknown expectation', 417, 'GET / HTTP/1.1\r\nhost: x\r\nexpect: something\r\nconnection: close\r\n\r\n'],
    ['OPTIONS *', 200, 'OPTIONS * HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'],
    ['CONNECT', 405, 'CONNECT a.example:443 HTTP/1.1\r\nhost: a.example:443\r\n\r\n'],
  ])('sweep: %s gets %i, never a 5xx', async (_what, status, raw) => {
    const before = await lane5xx(gw);
    const client = await rawRequest(gw.gateway.url, raw);
    expect(client.statusLines()).toHaveLength(1);
    expect(statusOf(client)).toBe(status);
    expect(await lane5xx(gw)).toBe(before);
    expect((await get(gw.gateway.url)).status).toBe(200);
  });

  it('after the sweep: no lane counted a 5xx, no replica was blamed, and a normal request is served', async () => {
    expect(await lane5xx(gw)).toBe(0);
    for (const lane of await gw.gateway.health()) expect(lane.healthy, `${lane.service}/${lane.lane}`).toBe(lane.total);
    expect(gw.events.filter((e) => e.event === 'replica-health' && !e.healthy)).toEqual([]);
    expect(accessEvents(gw).filter((e) => e.status >= 500)).toEqual([]);
    expect((await get(`${gw.gateway.url}/p`, { tracestate: 'ctx=lane:gray' })).headers['x-upstream']).toBe('gray');
  });
});

/** Lets `up` take every request (answering at once when `answer`), and tells whether one was aborted mid-body. */
function watchAborts(up: Upstream, answer: boolean): () => boolean {
  let aborted = false;
  up.handle((req, res) => {
    if (answer) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('started;');
    }
    req.resume();
    req.once('close', () => {
      aborted ||= !req.complete;
    });
  });
  return () => aborted;
}

describe('client timeouts and broken uploads', () => {
  let up: Upstream;
  let timed: TestGateway;
  /** Access events of the request sent since `from` events. */
  const accessSince = (from: number) => accessEvents(timed).slice(from);

  beforeAll(async () => {
    up = await startUpstream('default');
    timed = await startTestGateway(
      testConfig(
        { shop: { passiveHealth: { consecutiveFailures: 1 }, lanes: { default: { replicas: [up.url] } } } },
        { timeouts: { clientBodyMs: 200, headersMs: 300 } },
      ),
    );
  });
  afterAll(async () => {
    await timed.close();
    await up.close();
  });

  async function stalledUpload(): Promise<RawClient> {
    const client = await RawClient.open(timed.gateway.url);
    client.send('POST /upload HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n0123456789');
    await client.untilClosed();
    return client;
  }

  it('answers 408 to a stalled upload and aborts the request to the replica', async () => {
    const aborted = watchAborts(up, false);
    const from = accessEvents(timed).length;
    const client = await stalledUpload();
    expect(client.statusLines()).toEqual(['HTTP/1.1 408 Request Timeout']);
    expect(client.data).toContain('client_body_timeout');
    await waitFor(aborted, 'the replica sees its request aborted');
    expect(up.seen.at(-1)?.url).toBe('/upload');
    await waitFor(() => accessSince(from).length > 0, 'an access event');
    expect(accessSince(from).map((e) => e.status)).toEqual([408]);
    expect(await lane5xx(timed)).toBe(0);
  });

  it('closes the connection when an upload stalls after the replica started answering', async () => {
    const aborted = watchAborts(up, true);
    const from = accessEvents(timed).length;
    const client = await stalledUpload();
    expect(client.statusLines()).toEqual(['HTTP/1.1 200 OK']);
    expect(client.data).toContain('started;');
    await waitFor(aborted, 'the replica sees its request aborted');
    await waitFor(() => accessSince(from).length > 0, 'an access event');
    expect(accessSince(from)[0]).toMatchObject({ status: 200, error: expect.stringContaining('clientBodyMs') });
  });

  it('does not blame the replica for a client that breaks off its upload', async () => {
    watchAborts(up, false);
    const from = accessEvents(timed).length;
    for (const ending of ['hang up', 'bad chunk']) {
      const before = up.seen.length;
      const client = await RawClient.open(timed.gateway.url);
      const chunked = ending === 'bad chunk';
      client.send(
        `POST /upload HTTP/1.1\r\nhost: x\r\n${chunked ? 'transfer-encoding: chunked' : 'content-length: 100'}\r\n\r\n` +
          (chunked ? '5\r\nhello\r\n' : '0123456789'),
      );
      await waitFor(() => up.seen.length > before, 'the replica sees the request');
      if (chunked) client.send('zz\r\n\r\n');
      else client.socket.destroy();
      await client.untilClosed();
    }
    await waitFor(() => accessSince(from).length === 2, 'two access events');
    expect(accessSince(from).map((e) => e.status)).toEqual([499, 400]);
    expect(timed.events.filter((e) => e.event === 'replica-health' && !e.healthy)).toEqual([]);
    expect(await lane5xx(timed)).toBe(0);
    up.handle((req, res) => req.resume().on('end', () => res.end('ok')));
    expect((await get(timed.gateway.url)).status).toBe(200);
  });

  it('answers 408, not 400, to headers that do not arrive in time', async () => {
    const client = await RawClient.open(timed.gateway.url);
    client.send('GET / HTTP/1.1\r\nhost: x\r\n');
    await client.untilClosed();
    expect(client.statusLines()).toEqual(['HTTP/1.1 408 Request Timeout']);
  });
});
