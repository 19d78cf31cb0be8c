import { once } from 'node:events';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What an upstream saw of one request, for assertions on forwarding. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
}

export interface Upstream {
  name: string;
  url: string;
  port: number;
  server: Server;
  seen: SeenRequest[];
  /** Replaces the default answer (`200 {upstream: name}`) for requests other than the health check. */
  handle(handler: (req: IncomingMessage, res: ServerResponse) => void): void;
  /** Makes the health check fail (or pass again). */
  setHealthy(healthy: boolean): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 and a free port that answers with its own name, like a lane replica would. */
export async function startUpstream(name: string, port = 0): Promise<Upstream> {
  let healthy = true;
  let custom: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const seen: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(healthy ? 200 : 503).end(healthy ? 'ok' : 'down');
      return;
    }
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders });
    if (custom) {
      custom(req, res);
      return;
    }
    req.resume();
    req.on('end', () => {
      const body = JSON.stringify({ upstream: name, url: req.url, headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': name });
      res.end(body);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const actual = (server.address() as AddressInfo).port;
  return {
    name,
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    server,
    seen,
    handle: (handler) => {
      custom = handler;
    },
    setHealthy: (value) => {
      healthy = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
