import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { type IngestServer, type IngestServerOptions, startIngestServer } from './ingest-server.js';
import { frame, openRawWebSocket } from './test-support/raw-websocket.js';
import { traceLines } from './test-support/trace-lines.js';
import { wsProducer } from './test-support/ws-producer.js';

// Close codes from RFC 6455 section 7.4.1 (https://tools.ietf.org/html/rfc6455#section-7.4.1).
const PROTOCOL_ERROR = 1002;
const INVALID_PAYLOAD = 1007;
const MESSAGE_TOO_BIG = 1009;

const servers: IngestServer[] = [];
const opened: WebSocket[] = [];
const raws: { destroy(): void }[] = [];
afterEach(async () => {
  for (const socket of opened.splice(0)) socket.close();
  for (const socket of raws.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: IngestServerOptions = {}): Promise<IngestServer> {
  const server = await startIngestServer(options);
  servers.push(server);
  return server;
}

/** A well-behaved producer on the `ws` client, one reply per message. */

async function rawSend(server: IngestServer, ...frames: Buffer[]) {
  const raw = await openRawWebSocket(server.url);
  raws.push(raw.socket);
  for (const bytes of frames) raw.write(bytes);
  return raw.closed;
}

describe('WebSocket /ingest protocol errors', () => {
  it('close only the offending connection, with the RFC 6455 close code; the server and other sessions go on', async () => {
    const server = await start();
    const { lines } = traceLines();
    const send = await wsProducer(server, opened);
    expect(await send(lines.slice(0, 4).join('\n'))).toMatchObject({ ok: true, accepted: 4, lastTick: 2 });

    // Six bytes: FIN + RSV1 + text, masked, empty. RSV1 means compression, which this server never negotiates.
    const rsv1 = frame({ rsv1: true });
    expect(rsv1).toHaveLength(6);
    expect((await rawSend(server, rsv1)).code).toBe(PROTOCOL_ERROR);
    // A client frame must be masked.
    expect((await rawSend(server, frame({ payload: Buffer.from('{}'), mask: false }))).code).toBe(PROTOCOL_ERROR);
    // One message over the default 64 MiB limit: refused from its header, before the payload is read.
    expect((await rawSend(server, frame({ declaredLength: 64 * 2 ** 20 + 1 }))).code).toBe(MESSAGE_TOO_BIG);
    // A text message that is not UTF-8.
    expect((await rawSend(server, frame({ payload: Buffer.from([0xc3, 0x28]) }))).code).toBe(INVALID_PAYLOAD);

    expect(await send(lines.slice(4).join('\n'))).toMatchObject({ ok: true, lastTick: 9 });
    const status = await (await fetch(`${server.url}/status`)).json();
    expect(status).toMatchObject({ lastTick: 9, accepted: 11, protocolErrors: 4 });
  });

  it('counts fragments together against the message limit', async () => {
    const server = await start({ maxBodyBytes: 1024 });
    const half = Buffer.alloc(600, 0x20);
    const closed = await rawSend(server, frame({ payload: half, fin: false }), frame({ opcode: 0, payload: half }));
    expect(closed.code).toBe(MESSAGE_TOO_BIG);
    const send = await wsProducer(server, opened);
    expect(await send(traceLines().lines[0]!)).toMatchObject({ ok: true, accepted: 1 });
  });
});
