import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { TraceError, TraceErrorCode } from '../errors.js';
import type { TraceHeader } from '../model/types.js';
import type { ValidateOptions } from '../model/validate-tick.js';
import type { WorldState } from '../model/world-state.js';
import { captureCpuProfile, parseProfileSeconds } from './cpu-profile.js';
import { sendJson } from './http-json.js';
import { handleIngestPost } from './ingest-http.js';
import {
  IngestSessions,
  type IngestSink,
  type SessionEventListener,
  type SessionLimits,
  type SessionListener,
  type TickListener,
} from './ingest-sessions.js';
import { handleIngestSocket } from './ingest-ws.js';

export interface IngestServerOptions extends ValidateOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 0 (any free port; see {@link IngestServer.url}) */
  readonly port?: number;
  /**
   * Where accepted ticks go; a factory gets a new sink per session (a header line with a new header), and the
   * server closes that sink (if it has `close()`) when the session ends. A single sink takes one session and is
   * left to the caller.
   */
  readonly sink?: IngestSink;
  /** Open sessions at most: a new header beyond it closes the least recently active session. @default 4 */
  readonly maxSessions?: number | undefined;
  /**
   * A session without a line for this long is closed (its sink too); 0 keeps sessions open, and so does a single
   * `sink` (it takes one trace). @default 300000 (5 min)
   */
  readonly idleTimeoutMs?: number;
  /** Longest accepted line. @default 16 MiB */
  readonly maxLineBytes?: number;
  /** Largest request body or WebSocket message. @default 64 MiB */
  readonly maxBodyBytes?: number;
  /** Serve `GET /debug/profile`. @default true */
  readonly profile?: boolean;
}

/** One open session in /status. */
export interface OpenSessionStatus {
  readonly id: number;
  readonly source: string;
  readonly lastTick: number;
  readonly entities: number;
  readonly accepted: number;
  readonly rejected: number;
  /** ms since its last line. */
  readonly idleMs: number;
  readonly recording: boolean;
  /** Why its recording stopped, when its sink failed. */
  readonly recordingStopped?: string;
}

export interface IngestStatus {
  /**
   * The header of the current session (the most recently started; after it closes, the most recently active one),
   * which the next three fields describe.
   */
  readonly session: TraceHeader | null;
  readonly lastTick: number;
  readonly lastTime: number;
  readonly entities: number;
  /** Lines accepted and rejected by the server, all sessions together. */
  readonly accepted: number;
  readonly rejected: number;
  /** Sessions started since the server started. */
  readonly sessions: number;
  readonly open: readonly OpenSessionStatus[];
  /** The last 16 sessions that ended, and why. */
  readonly closed: readonly {
    readonly id: number;
    readonly source: string;
    readonly lastTick: number;
    readonly reason: string;
  }[];
  readonly limits: { readonly maxSessions: number; readonly idleTimeoutMs: number };
  /** WebSocket connections closed for breaking the protocol (bad frame, message over the limit). */
  readonly protocolErrors: number;
}

export interface IngestServer {
  /** `http://host:port`; the WebSocket endpoint is the same with `ws:` and `/ingest`. */
  readonly url: string;
  /** The live world of the current session (see {@link IngestStatus.session}; empty without one). Do not change it. */
  readonly state: WorldState;
  status(): IngestStatus;
  /** Calls `listener` after each accepted tick, of any session. Returns the unsubscribe function. */
  onTick(listener: TickListener): () => void;
  /** Calls `listener` when a session starts. Returns the unsubscribe function. */
  onSession(listener: SessionListener): () => void;
  /** Sessions started, closed (and why), recordings stopped: for a CLI to report. */
  onSessionEvent(listener: SessionEventListener): () => void;
  /** Stops listening, closes connections, ends a running profile. */
  close(): Promise<void>;
}

/**
 * The live ingest endpoint: producers (any language) stream aoi-trace NDJSON over `POST /ingest` or WebSocket
 * `/ingest`; every line is validated (bounds and maxSpeed too: the seed's eBPF filter) before it changes
 * anything. Also `GET /status` and `GET /debug/profile?seconds=N` (a CPU profile of this process).
 */
export async function startIngestServer(options: IngestServerOptions = {}): Promise<IngestServer> {
  const bodyLimits = {
    maxLineBytes: options.maxLineBytes ?? 16 << 20,
    maxBodyBytes: options.maxBodyBytes ?? 64 << 20,
  };
  const limits = sessionLimits(options);
  const sessions = new IngestSessions(options.sink, options, limits);
  const sweeper = limits.idleTimeoutMs > 0 ? setInterval(() => sessions.sweep(), sweepEvery(limits)) : undefined;
  sweeper?.unref();
  const profiling = { running: false, abort: new AbortController() };
  let protocolErrors = 0;

  const status = (): IngestStatus => {
    const now = Date.now();
    return {
      session: sessions.current?.header ?? null,
      lastTick: sessions.state.tick,
      lastTime: sessions.state.time,
      entities: sessions.state.entities.size,
      accepted: sessions.accepted,
      rejected: sessions.rejected,
      sessions: sessions.started,
      open: sessions.openSessions().map((session) => ({
        id: session.id,
        source: session.header.source,
        lastTick: session.state.tick,
        entities: session.state.entities.size,
        accepted: session.accepted,
        rejected: session.rejected,
        idleMs: now - session.lastActive,
        recording: session.recording,
        ...(session.recordingStopped === undefined ? {} : { recordingStopped: session.recordingStopped }),
      })),
      closed: [...sessions.closed],
      limits,
      protocolErrors,
    };
  };

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
    if (route === 'POST /ingest') {
      const requested = url.searchParams.get('session');
      if (requested !== null && !/^[1-9][0-9]{0,8}$/.test(requested)) {
        request.resume();
        return sendJson(response, 400, { error: `?session must be a session number (1, 2, ...), got "${requested}".` });
      }
      const binding = requested === null ? {} : { requested: Number(requested) };
      return handleIngestPost(request, response, sessions, bodyLimits, binding);
    }
    if (route === 'GET /status') return sendJson(response, 200, status());
    if (route === 'GET /debug/profile' && options.profile !== false) return handleProfile(url, response);
    request.resume();
    sendJson(response, 404, { error: `no route for ${route}; see POST /ingest, GET /status, GET /debug/profile.` });
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: bodyLimits.maxBodyBytes });
  server.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/ingest') {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) =>
      handleIngestSocket(ws, sessions, bodyLimits.maxLineBytes, () => protocolErrors++),
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
      return sessions.state;
    },
    status,
    onTick: (listener) => sessions.onTick(listener),
    onSession: (listener) => sessions.onSession(listener),
    onSessionEvent: (listener) => sessions.onEvent(listener),
    close: async () => {
      profiling.abort.abort();
      if (sweeper !== undefined) clearInterval(sweeper);
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // A profile response still being written closes as soon as it is sent.
        setImmediate(() => server.closeAllConnections());
      });
      sessions.closeAll('the server shut down');
    },
  };
}

/** The session limits, and the other numeric options' ranges, checked before anything listens. */
function sessionLimits(options: IngestServerOptions): SessionLimits {
  const maxSessions = options.maxSessions ?? 4;
  const idleTimeoutMs = options.idleTimeoutMs ?? 300_000;
  if (!Number.isInteger(maxSessions) || maxSessions < 1) {
    throw new TraceError(
      TraceErrorCode.InvalidArgument,
      `maxSessions must be a whole number >= 1, got ${maxSessions}.`,
    );
  }
  if (!(idleTimeoutMs >= 0) || !Number.isFinite(idleTimeoutMs)) {
    throw new TraceError(TraceErrorCode.InvalidArgument, `idleTimeoutMs must be a number >= 0, got ${idleTimeoutMs}.`);
  }
  const { maxSpeed } = options;
  if (maxSpeed !== undefined && !(Number.isFinite(maxSpeed) && maxSpeed >= 0)) {
    throw new TraceError(TraceErrorCode.InvalidArgument, `maxSpeed must be a number >= 0, got ${maxSpeed}.`);
  }
  return { maxSessions, idleTimeoutMs };
}

/** A session is closed within a quarter of its timeout after it ran out (at most a second late). */
function sweepEvery(limits: SessionLimits): number {
  return Math.min(1000, Math.max(5, limits.idleTimeoutMs / 4));
}
