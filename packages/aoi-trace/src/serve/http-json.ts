import type { IncomingMessage, ServerResponse } from 'node:http';

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = `${JSON.stringify(body)}\n`;
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(text);
}

/**
 * Reads and throws away the rest of a request body we will not process, so the client sees our answer instead of
 * a reset connection; past `limit` bytes the connection is cut (a client streaming forever gets nothing).
 */
export function discardBody(request: IncomingMessage, limit: number, done: () => void): void {
  let discarded = 0;
  request.removeAllListeners('data');
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > limit) request.destroy();
  });
  if (request.readableEnded) done();
  else request.once('end', done);
}
