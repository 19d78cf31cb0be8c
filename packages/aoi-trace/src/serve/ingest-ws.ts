import type { WebSocket } from 'ws';
import { IngestBatch, type IngestReply } from './ingest-batch.js';
import type { IngestSessions, SessionBinding } from './ingest-sessions.js';

/** What the server answers to each WebSocket message: the batch reply plus the message's number on the connection. */
export interface IngestWsReply extends IngestReply {
  /** 1 for the first message on the connection. */
  readonly seq: number;
}

/**
 * WebSocket `/ingest`: each message holds one or more NDJSON lines and gets one {@link IngestWsReply}. A bad
 * message is answered and the connection stays open. The connection feeds the session of its last header line
 * (or the only open one), until that session is closed. A frame that breaks the protocol (reserved bits, unmasked,
 * not UTF-8, over the size limit) closes this connection only: `ws` sends the RFC 6455 close code (1002, 1007,
 * 1009; https://tools.ietf.org/html/rfc6455#section-7.4.1) and then emits 'error', which `onProtocolError` takes so
 * that it never reaches the process as an unhandled 'error' event.
 */
export function handleIngestSocket(
  socket: WebSocket,
  sessions: IngestSessions,
  maxLineBytes: number,
  onProtocolError: (error: Error) => void,
): void {
  let seq = 0;
  const binding: SessionBinding = {};
  socket.on('error', onProtocolError);
  socket.on('message', (data) => {
    const batch = new IngestBatch(sessions, maxLineBytes, binding);
    const chunks = Array.isArray(data) ? data : [data instanceof ArrayBuffer ? Buffer.from(data) : data];
    for (const chunk of chunks) batch.push(chunk);
    batch.end();
    const reply: IngestWsReply = { seq: ++seq, ...batch.reply() };
    socket.send(JSON.stringify(reply));
  });
}
