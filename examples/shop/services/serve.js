// What every example service shares: a health check, a JSON answer saying who answered and which lane headers
// arrived, and a clean stop on SIGTERM (the platform drains replicas that way).
import { createServer } from 'node:http';
import { identity } from './lane-headers.js';

/**
 * Serves `service` on $PORT. `extend(req, body)` may add to the answer (and may be async, e.g. call downstream).
 * @param {string} service @param {number} defaultPort
 * @param {(req: import('node:http').IncomingMessage, body: Record<string, unknown>) => Promise<void>} [extend]
 */
export function serveExample(service, defaultPort, extend = async () => undefined) {
  const port = Number(process.env.PORT ?? defaultPort);
  const me = identity({ service });
  const server = createServer(async (req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    const body = {
      ...me,
      path: req.url,
      tracestate: req.headers.tracestate ?? null,
      baggage: req.headers.baggage ?? null,
    };
    await extend(req, body);
    res.writeHead(200, { 'content-type': 'application/json', 'x-lane': me.lane });
    res.end(`${JSON.stringify(body)}\n`);
  });
  server.listen(port, '127.0.0.1', () =>
    console.log(`${service} ${me.version} (lane ${me.lane}) on http://127.0.0.1:${port}`),
  );
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
}
