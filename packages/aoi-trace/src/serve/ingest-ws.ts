import type { WebSocket } from 'ws';
import { IngestBatch, type IngestReply } from './ingest-batch.js';
import type { IngestSession } from './ingest-session.js';

/** What the server answers to each WebSocket message: the batch reply plus the message's number on the connection. */
export interface IngestWsReply extends IngestReply {
  /** 1 for the first message on the connection. */
  readonly seq: number;
}

/**
 * WebSocket `/ingest`: each message holds one or more NDJSON lines and gets one {@link IngestWsReply}. A bad
 * message is answered and the connection stays open.
 */
export function handleIngestSocket(socket: WebSocket, session: IngestSession, maxLineBytes: number): void {
  let seq = 0;
  socket.on('message', (data) => {
    const batch = new IngestBatch(session, maxLineBytes);
    const chunks = Array.isArray(data) ? data : [data instanceof ArrayBuffer ? Buffer.from(data) : data];
    for (const chunk of chunks) batch.push(chunk);
    batch.end();
    const reply: IngestWsReply = { seq: ++seq, ...batch.reply() };
    socket.send(JSON.stringify(reply));
  });
}
