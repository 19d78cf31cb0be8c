import type { IncomingMessage, ServerResponse } from 'node:http';
import { discardBody, sendJson } from './http-json.js';
import { IngestBatch } from './ingest-batch.js';
import type { IngestSessions, SessionBinding } from './ingest-sessions.js';

export interface BodyLimits {
  readonly maxBodyBytes: number;
  readonly maxLineBytes: number;
}

/**
 * `POST /ingest[?session=<id>]`: the body's lines are applied as they arrive (a long stream needs no buffer), up to
 * the first bad one. They go to the session of the body's header line, else the one named by `?session`, else the
 * only open one. 200 when all were taken; otherwise 400 (not aoi-trace NDJSON), 409 (no such session, session
 * closed or ambiguous, one-trace sink), 413 (body or line too long), 422 (cannot follow the trace), with the
 * accepted count.
 */
export function handleIngestPost(
  request: IncomingMessage,
  response: ServerResponse,
  sessions: IngestSessions,
  limits: BodyLimits,
  binding: SessionBinding,
): void {
  const batch = new IngestBatch(sessions, limits.maxLineBytes, binding);
  const reply = () => sendJson(response, batch.status, batch.reply());
  // How much of an oversize body is read (and thrown away) so the client gets the 413 rather than a reset.
  const discardLimit = Math.max(4 * limits.maxBodyBytes, 1 << 20);
  const tooLarge = () =>
    batch.fail({
      status: 413,
      path: '$',
      code: 'BODY_TOO_LARGE',
      reason: `the body is larger than the limit of ${limits.maxBodyBytes} bytes; send the rest in another request.`,
    });
  const declared = Number(request.headers['content-length']);
  if (declared > limits.maxBodyBytes) {
    tooLarge();
    discardBody(request, discardLimit, reply);
    return;
  }
  let received = 0;
  request.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > limits.maxBodyBytes) {
      tooLarge();
      discardBody(request, discardLimit, reply);
      return;
    }
    batch.push(chunk);
  });
  request.once('end', () => {
    if (received > limits.maxBodyBytes) return;
    batch.end();
    reply();
  });
  request.once('error', () => response.destroy());
}
