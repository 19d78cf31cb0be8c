import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { TraceHeader } from '../model/types.js';
import type { ValidateOptions } from '../model/validate-tick.js';
import type { WorldState } from '../model/world-state.js';
import { captureCpuProfile, parseProfileSeconds } from './cpu-profile.js';
import { sendJson } from './http-json.js';
import { handleIngestPost } from './ingest-http.js';
import { IngestSession, type IngestSink, type SessionListener, type TickListener } from './ingest-session.js';
import { handleIngestSocket } from './ingest-ws.js';

export interface IngestServerOptions extends ValidateOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 0 (any free port; see {@link IngestServer.url}) */
  readonly port?: number;
  /** Where accepted ticks go; a factory gets a new sink per session (a header line with a new header). */
  readonly sink?: IngestSink;
  /** Longest accepted line. @default 16 MiB */
  readonly maxLineBytes?: number;
  /** Largest request body or WebSocket message. @default 64 MiB */
  readonly maxBodyBytes?: number;
  /** Serve `GET /debug/profile`. @default true */
  readonly profile?: boolean;
}

export interface IngestStatus {
  readonly session: TraceHeader | null;
  readonly lastTick: number;
  readonly lastTime: number;
  readonly entities: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly sessions: number;
  /** WebSocket connections closed for breaking the protocol (bad frame, message over the limit). */
  readonly protocolErrors: number;
}

export interface IngestServer {
  /** `http://host:port`; the WebSocket endpoint is the same with `ws:` and `/ingest`. */
  readonly url: string;
  /** The live world (empty before the first session). Read it; do not change it. */
  readonly state: WorldState;
  status(): IngestStatus;
  /** Calls `listener` after each accepted tick. Returns the unsubscribe function. */
  onTick(listener: TickListener): () => void;
  /** Calls `listener` when a session starts. Returns the unsubscribe function. */
  onSession(listener: SessionListener): () => void;
  /** Stops listening, closes connections, ends a running profile. */
  close(): Promise<void>;
}

/**
 * The live ingest endpoint: producers (any language) stream aoi-trace NDJSON over `POST /ingest` or WebSocket
 * `/ingest`; every line is validated (bounds and maxSpeed too: the seed's eBPF filter) before it changes
 * anything. Also `GET /status` and `GET /debug/profile?seconds=N` (a CPU profile of this process).
 */
export async function startIngestServer(options: IngestServerOptions = {}): Promise<IngestServer> {
  const limits = { maxLineBytes: options.maxLineBytes ?? 16 << 20, maxBodyBytes: options.maxBodyBytes ?? 64 << 20 };
  const session = new IngestSession(options.sink, { bounds: options.bounds, maxSpeed: options.maxSpeed });
  const profiling = { running: false, abort: new AbortController() };
  let protocolErrors = 0;

  const status = (): IngestStatus => ({
    session: session.header ?? null,
    lastTick: session.state.tick,
    lastTime: session.state.time,
    entities: session.state.entities.size,
    accepted: session.accepted,
    rejected: session.rejected,
    sessions: session.sessions,
    protocolErrors,
  });

  const handleProfile = (url: URL, response: ServerResponse) => {
    const request = parseProfileSeconds(url.searchParams.get('seconds'));
    if ('status' in request) return sendJson(response, 400, { error: request.reason });
    if (profiling.running) return sendJson(response, 409, { error: 'a profile is already being taken; try later.' });
    profiling.running = true;
    captureCpuProfile(request.seconds, profiling.abort.signal).then(
      (profile) => {
        profiling.running = false;
        sendJson(response, 200, profile, { 'content-disposition': 'attachment; filename="aoi-trace.cpuprofile"' });
      },
      (error: unknown) => {
        profiling.running = false;
        sendJson(response, 500, { error: `profiling failed: ${(error as Error).message}` });
      },
    );
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const route = `${request.method} ${url.pathname}`;
    if (route === 'POST /ingest') return handleIngestPost(request, response, session, limits);
    if (route === 'GET /status') return sendJson(response, 200, status());
    if (route === 'GET /debug/profile' && options.profile !== false) return handleProfile(url, response);
    request.resume();
    sendJson(response, 404, { error: `no route for ${route}; see POST /ingest, GET /status, GET /debug/profile.` });
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: limits.maxBodyBytes });
  server.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/ingest') {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) =>
      handleIngestSocket(ws, session, limits.maxLineBytes, () => protocolErrors++),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    get state() {
      return session.state;
    },
    status,
    onTick: (listener) => session.onTick(listener),
    onSession: (listener) => session.onSession(listener),
    close: async () => {
      profiling.abort.abort();
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // A profile response still being written closes as soon as it is sent.
        setImmediate(() => server.closeAllConnections());
      });
    },
  };
}
