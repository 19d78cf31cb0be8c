import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MemoryTrace } from '../model/memory-trace.js';
import { type IngestServer, startIngestServer } from './ingest-server.js';
import type { IngestWsReply } from './ingest-ws.js';
import { traceLines } from './test-support/trace-lines.js';

let server: IngestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A connected client whose replies are read in order. */
async function connect(url: string) {
  const socket = new WebSocket(url);
  const replies: IngestWsReply[] = [];
  const waiting: ((reply: IngestWsReply) => void)[] = [];
  socket.on('message', (data) => {
    const reply = JSON.parse(String(data)) as IngestWsReply;
    const waiter = waiting.shift();
    if (waiter) waiter(reply);
    else replies.push(reply);
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const send = (text: string) =>
    new Promise<IngestWsReply>((resolve) => {
      waiting.push(resolve);
      socket.send(text);
    });
  return { socket, send };
}

describe('WebSocket /ingest', () => {
  it('acks good messages and rejects bad ones with the reason, on one connection that survives them', async () => {
    const sink = new MemoryTrace();
    server = await startIngestServer({ sink, maxLineBytes: 8192 });
    const { lines, trace } = traceLines();
    const client = await connect(`${server.url.replace('http', 'ws')}/ingest`);

    expect(await client.send(lines.slice(0, 3).join('\n'))).toEqual({
      seq: 1,
      ok: true,
      accepted: 3,
      lastTick: 1,
      session: 1,
    });
    const unknown = '{"type":"tick","tick":2,"time":0,"despawns":[404]}';
    expect(await client.send(unknown)).toMatchObject({
      seq: 2,
      ok: false,
      accepted: 0,
      lastTick: 1,
      line: 1,
      path: '$.despawns[0]',
      code: 'AOITRACE_INVALID_RECORD',
      entity: 404,
    });
    const malformed = await client.send(`${lines[3]}\n{"type":"tick",`);
    expect(malformed).toMatchObject({ seq: 3, ok: false, accepted: 1, lastTick: 2, line: 2, path: '$' });
    expect(malformed.reason).toMatch(/not valid JSON/);
    const tooLong = await client.send(`{"type":"tick","pad":"${'x'.repeat(9000)}"}`);
    expect(tooLong).toMatchObject({ seq: 4, ok: false, line: 1 });
    expect(tooLong.reason).toMatch(/8192 bytes/);

    // Binary frames carry the same text.
    expect(await client.send(Buffer.from(lines.slice(4).join('\n')) as unknown as string)).toMatchObject({
      seq: 5,
      ok: true,
      accepted: lines.length - 4,
      lastTick: 9,
    });
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    expect(sink.records.map((r) => r.tick)).toEqual(trace.records.map((r) => r.tick));
    expect(server.status()).toMatchObject({ accepted: 11, rejected: 3, lastTick: 9 });
    client.socket.close();
  });

  it('refuses upgrades on other paths', async () => {
    server = await startIngestServer();
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/elsewhere`);
    const error = await new Promise<Error>((resolve) => socket.once('error', resolve));
    expect(error.message).toMatch(/404/);
  });
});
