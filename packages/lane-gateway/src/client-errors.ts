import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** The methods the gateway's own `OPTIONS *` answer lists; every method but CONNECT is passed on to replicas. */
export const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';

/** Node's parser errors that have an answer more precise than 400. */
const CLIENT_ERROR_STATUS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: '413 Content Too Large',
  // Node's headersTimeout reports itself as a client error with this code; RFC 9110 §15.5.9 names it 408.
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
};

/** The client went away (reset, or closed its side in the middle of a request): nobody to answer, logged as 499. */
const HUNG_UP = new Set(['ECONNRESET', 'HPE_INVALID_EOF_STATE']);

interface InFlight {
  req: IncomingMessage;
  res: ServerResponse;
}

/**
 * Answers protocol errors of client connections (Node's `clientError`), and remembers what it answered so the
 * access log of the request in flight tells what the client got rather than "client closed" (499).
 */
export class ClientErrors {
  /** The latest request of each connection. */
  private readonly current = new WeakMap<Duplex, InFlight>();
  private readonly answered = new WeakMap<IncomingMessage, number>();

  track(req: IncomingMessage, res: ServerResponse): void {
    this.current.set(req.socket, { req, res });
  }

  /** The status the gateway wrote on the connection of `req` after a protocol error, if it did. */
  answeredStatus(req: IncomingMessage): number | undefined {
    return this.answered.get(req);
  }

  readonly onClientError = (error: NodeJS.ErrnoException, socket: Duplex): void => {
    const inFlight = this.current.get(socket);
    if (!socket.writable || HUNG_UP.has(error.code ?? '') || !canAnswer(inFlight)) {
      socket.destroy();
      return;
    }
    const status = CLIENT_ERROR_STATUS[error.code ?? ''] ?? '400 Bad Request';
    if (inFlight && !inFlight.req.complete) this.answered.set(inFlight.req, Number.parseInt(status, 10));
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  };
}

/**
 * Whether a status line written now starts a response of its own. Not when the broken request already has one
 * going (a bad chunk after the replica answered): it would land inside that body, so the connection is closed
 * instead, the only honest signal left (Node's default does the same:
 * https://nodejs.org/api/http.html#event-clienterror). Nor while an earlier request's answer is still pending:
 * the client would take the 400 for that answer.
 */
function canAnswer(inFlight: InFlight | undefined): boolean {
  if (!inFlight) return true;
  if (!inFlight.req.complete) return !inFlight.res.headersSent;
  return inFlight.res.writableFinished;
}

/**
 * CONNECT asks for a tunnel (RFC 9110 §9.3.6), which only a forward proxy gives; the gateway is a reverse proxy
 * and an origin server to its clients. It knows the method and supports it for no target: 405 (§15.5.6), whose
 * Allow lists the target's methods, and an authority-form target has none here (§10.2.1 allows an empty list).
 * Not 501 (§15.6.2): that is for methods a server does not recognise, and a 5xx would blame the gateway.
 */
export function refuseConnect(socket: Duplex): void {
  socket.on('error', () => socket.destroy());
  const body = JSON.stringify({
    error: 'method_not_allowed',
    message: 'the gateway is not a tunnel: CONNECT is refused',
  });
  socket.end(
    `HTTP/1.1 405 Method Not Allowed\r\nallow: \r\nconnection: close\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nx-lanes-error: method_not_allowed\r\n\r\n${body}`,
  );
}

/** The gateway's own answer to `OPTIONS *` (RFC 9110 §9.3.7): about the server in general, no content. */
export function answerServerOptions(res: ServerResponse): number {
  // §9.3.7: a server MUST send Content-Length 0 when an OPTIONS answer has no content, so 200 rather than 204.
  res.writeHead(200, { allow: ALLOWED_METHODS, 'content-length': 0 });
  res.end();
  return 200;
}
