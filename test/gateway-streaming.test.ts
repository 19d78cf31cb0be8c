import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway, testConfig } from './support/gateway.js';
import { startUpstream, type Upstream } from './support/upstream.js';

describe('streaming through the gateway', () => {
  let up: Upstream;
  let gw: TestGateway;

  beforeAll(async () => {
    up = await startUpstream('default');
    gw = await startTestGateway(testConfig({ shop: { lanes: { default: { replicas: [up.url] } } } }));
  });
  afterAll(async () => {
    await gw.close();
    await up.close();
  });

  it('delivers each response chunk before the upstream has written the next one', async () => {
    let release: (() => void) | undefined;
    up.handle((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first;');
      // The second chunk waits until the client has seen the first: a buffering proxy would deadlock here.
      release = () => res.end('second');
    });
    const req = httpRequest(`${gw.gateway.url}/stream`);
    req.end();
    const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage];
    expect(res.headers['transfer-encoding']).toBe('chunked');
    const [firstChunk] = (await once(res, 'data')) as [Buffer];
    expect(firstChunk.toString()).toBe('first;');
    release!();
    let rest = '';
    for await (const chunk of res) rest += String(chunk);
    expect(rest).toBe('second');
  });

  it('delivers request body chunks to the upstream before the client has finished sending', async () => {
    let firstSeen: (value: string) => void = () => undefined;
    const upstreamGotFirst = new Promise<string>((resolve) => {
      firstSeen = resolve;
    });
    up.handle((req, res) => {
      let body = '';
      req.once('data', (chunk: Buffer) => firstSeen(chunk.toString()));
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => res.end(`got ${body.length} bytes`));
    });
    const req = httpRequest(`${gw.gateway.url}/upload`, {
      method: 'POST',
      headers: { 'transfer-encoding': 'chunked' },
    });
    req.write('part-one;');
    expect(await upstreamGotFirst).toBe('part-one;');
    req.end('part-two');
    const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage];
    let text = '';
    for await (const chunk of res) text += String(chunk);
    expect(text).toBe('got 17 bytes');
  });

  it('passes a large body through intact', async () => {
    const size = 8 * 1024 * 1024;
    up.handle((req, res) => {
      let received = 0;
      let sum = 0;
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        for (const byte of chunk) sum = (sum + byte) % 65521;
      });
      req.on('end', () => res.end(JSON.stringify({ received, sum })));
    });
    const payload = Buffer.alloc(size);
    for (let i = 0; i < size; i++) payload[i] = (i * 31) % 251;
    let expectedSum = 0;
    for (const byte of payload) expectedSum = (expectedSum + byte) % 65521;
    const req = httpRequest(`${gw.gateway.url}/big`, { method: 'PUT', headers: { 'content-length': size } });
    req.end(payload);
    const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage];
    let text = '';
    for await (const chunk of res) text += String(chunk);
    expect(JSON.parse(text)).toEqual({ received: size, sum: expectedSum });
  });
});
