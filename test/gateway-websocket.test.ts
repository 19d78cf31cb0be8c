import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { startTestGateway, type TestGateway, testConfig } from './support/gateway.js';

async function echoServer(name: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => res.end('ok'));
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket, req) => {
    socket.send(JSON.stringify({ hello: name, tracestate: req.headers.tracestate ?? null }));
    socket.on('message', (data) => socket.send(`${name}:${String(data)}`));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.close();
    },
  };
}

function connect(url: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket; first: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('message', (data) => resolve({ ws, first: String(data) }));
    ws.once('error', reject);
  });
}

describe('WebSocket upgrade passthrough', () => {
  let d: Awaited<ReturnType<typeof echoServer>>;
  let g: Awaited<ReturnType<typeof echoServer>>;
  let gw: TestGateway;
  let wsUrl: string;

  beforeAll(async () => {
    [d, g] = await Promise.all([echoServer('default'), echoServer('gray')]);
    gw = await startTestGateway(
      testConfig({ game: { lanes: { default: { replicas: [d.url] }, gray: { replicas: [g.url] } } } }),
    );
    wsUrl = `${gw.gateway.url.replace('http', 'ws')}/play`;
  });
  afterAll(async () => {
    await gw.close();
    await Promise.all([d.close(), g.close()]);
  });

  it('connects untagged sockets to default and echoes frames both ways', async () => {
    const { ws, first } = await connect(wsUrl);
    expect(JSON.parse(first).hello).toBe('default');
    ws.send('ping');
    const [reply] = (await once(ws, 'message')) as [Buffer];
    expect(String(reply)).toBe('default:ping');
    ws.close();
  });

  it('routes a tagged upgrade to its lane and forwards the tag', async () => {
    const { ws, first } = await connect(wsUrl, { tracestate: 'dd=s:1,ctx=lane:gray' });
    expect(JSON.parse(first)).toEqual({ hello: 'gray', tracestate: 'dd=s:1,ctx=lane:gray' });
    const big = 'x'.repeat(200_000);
    ws.send(big);
    const [reply] = (await once(ws, 'message')) as [Buffer];
    expect(String(reply)).toBe(`gray:${big}`);
    ws.close();
  });
});
