import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TraceError, TraceErrorCode } from '@lanes/aoi-trace';
import { handleApi, type Sources } from './api-routes.js';
import type { ViewerDataSource } from './data-source.js';
import { SourceHandle } from './source-handle.js';
import { serveStatic } from './static-files.js';

export interface ViewerOptions {
  source: ViewerDataSource;
  /** A second trace to diff against (source 'b' in the page). */
  compare?: ViewerDataSource;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 0 (any free port) */
  port?: number;
  /** The built client. @default the package's dist-client directory */
  clientDir?: string | undefined;
  /** For a live stream: the ingest URL producers send to, shown in the page while no tick has arrived. */
  ingest?: string;
}

export interface RunningViewer {
  /** `http://host:port/` */
  readonly url: string;
  close(): Promise<void>;
}

/** The built client, beside src/ and dist/ (this file is at src/server/ or dist/server/). */
export const DEFAULT_CLIENT_DIR = fileURLToPath(new URL('../../dist-client/', import.meta.url));

/** Serves the viewer page and its API for `source` (and `compare`) until closed. */
export async function startViewer(options: ViewerOptions): Promise<RunningViewer> {
  const clientDir = (options.clientDir ?? DEFAULT_CLIENT_DIR).replace(/[/\\]$/, '');
  if (!existsSync(`${clientDir}/index.html`)) {
    throw new TraceError(
      TraceErrorCode.InvalidArgument,
      `The viewer client is not built: ${clientDir}/index.html is missing. Run 'npm run build:client -w @lanes/aoi-viewer'.`,
    );
  }
  const sources: Sources = { a: new SourceHandle('a', options.source) };
  if (options.compare) sources.b = new SourceHandle('b', options.compare);
  const server = createServer((req, res) => {
    handle(req, res, sources, clientDir, options.ingest).catch((error: unknown) => fail(res, error));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  sources: Sources,
  clientDir: string,
  ingest: string | undefined,
) {
  const url = new URL(req.url ?? '/', 'http://viewer');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not supported.` } });
  }
  if (url.pathname.startsWith('/api/')) return handleApi(url.pathname, url.searchParams, sources, res, ingest);
  if (await serveStatic(clientDir, url.pathname, res)) return;
  send(res, 404, { error: { code: 'NOT_FOUND', message: `no such page: ${url.pathname}` } });
}

function fail(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof TraceError) {
    const status = error.code === TraceErrorCode.InvalidArgument ? 400 : 422;
    send(res, status, { error: { code: error.code, message: error.message, details: error.details } });
  } else {
    send(res, 500, { error: { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) } });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
