import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { checkAdminAccess } from './admin-access.js';
import type { GatewayConfig } from './config-types.js';
import { GatewayConfigError } from './errors.js';
import type { ReloadSource } from './events.js';
import type { LeakCount } from './leaks/leak-tracker.js';
import { renderLeakMetrics } from './leaks/render-leaks.js';
import { type HealthSnapshot, type LaneStatsSnapshot, renderPrometheus } from './metrics.js';
import type { EngineReport } from './nginx/engine-supervisor.js';

/** What the admin API needs from a gateway, whether one process or a primary over workers. */
export interface AdminTarget {
  config(): GatewayConfig;
  metrics(): Promise<LaneStatsSnapshot[]>;
  health(): Promise<ReplicaHealthReport[]>;
  /** Lane leaks counted so far, added up over worker processes. */
  leaks(): Promise<LeakCount[]>;
  /** Re-reads the configuration file. */
  reloadFromFile(source: ReloadSource): Promise<ConfigChange>;
  /** Applies a configuration given as JSON (validated like the file). */
  applyConfig(raw: unknown, source: ReloadSource): Promise<ConfigChange>;
  /** The data-plane process's state, for an engine that runs one (nginx); `GET /admin/engine`. */
  engineReport?(): EngineReport;
}

/**
 * How a configuration change that was not refused ended: in force, or accepted while the data-plane process is
 * being restarted and applied once it is back (the nginx engine; the admin API answers 202).
 */
export type ConfigChange = { type: 'applied' } | { type: 'pending'; message: string };

/** The change is in force. */
export const CONFIG_APPLIED: ConfigChange = Object.freeze({ type: 'applied' });

export interface ReplicaHealthReport extends HealthSnapshot {
  replicas: { url: string; state: string; ejected: boolean }[];
}

const MAX_ADMIN_BODY = 1024 * 1024;

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = `${JSON.stringify(value, null, 2)}\n`;
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_ADMIN_BODY) throw new GatewayConfigError([{ path: '', message: 'request body over 1 MiB' }]);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new GatewayConfigError([{ path: '', message: `body is not JSON: ${(error as Error).message}` }]);
  }
}

async function applyAndReport(res: ServerResponse, action: () => Promise<ConfigChange>): Promise<void> {
  try {
    const change = await action();
    if (change.type === 'pending') sendJson(res, 202, { reloaded: false, pending: true, message: change.message });
    else sendJson(res, 200, { reloaded: true });
  } catch (error) {
    if (error instanceof GatewayConfigError) {
      sendJson(res, 400, { reloaded: false, error: error.message, issues: error.issues });
    } else {
      sendJson(res, 500, { reloaded: false, error: (error as Error).message });
    }
  }
}

export interface AdminServerOptions {
  /** The bearer token that changing state needs; without one, only reads are served. */
  token: string | undefined;
}

/**
 * The admin API: metrics, health, configuration and reload. It binds to loopback only, answers only to loopback
 * Host names and its own Origin, and changes state only for a bearer token with a JSON body (see admin-access.ts).
 */
export function createAdminServer(target: AdminTarget, options: AdminServerOptions): Server {
  return createServer((req, res) => {
    const access = checkAdminAccess(
      { method: req.method ?? 'GET', headers: req.headers, adminPort: req.socket.localPort ?? 0 },
      options.token,
    );
    if (access.type === 'refused') {
      // The body is not read: close the connection rather than drain what a refused client sends.
      sendJson(res, access.status, { error: access.error }, { ...access.headers, connection: 'close' });
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    const route = `${req.method} ${path}`;
    const handle = async (): Promise<void> => {
      switch (route) {
        case 'GET /metrics': {
          const [stats, health, leaks] = await Promise.all([target.metrics(), target.health(), target.leaks()]);
          const body = renderPrometheus(stats, health) + renderLeakMetrics(leaks);
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
          res.end(body);
          return;
        }
        case 'GET /admin/health':
          sendJson(res, 200, { lanes: await target.health() });
          return;
        case 'GET /admin/engine':
          // The Node engine is this process: it runs while the admin API answers.
          sendJson(
            res,
            200,
            target.engineReport?.() ?? { engine: 'node', state: 'running', pid: process.pid, restarts: 0 },
          );
          return;
        case 'GET /admin/config':
          sendJson(res, 200, target.config());
          return;
        case 'POST /admin/reload':
          await applyAndReport(res, () => target.reloadFromFile('admin'));
          return;
        case 'PUT /admin/config':
          await applyAndReport(res, async () => target.applyConfig(await readJsonBody(req), 'admin'));
          return;
        default:
          sendJson(res, 404, {
            error: `no admin endpoint ${route}`,
            endpoints: [
              'GET /metrics',
              'GET /admin/health',
              'GET /admin/engine',
              'GET /admin/config',
              'PUT /admin/config',
              'POST /admin/reload',
            ],
          });
      }
    };
    handle().catch((error: Error) => {
      if (!res.headersSent) sendJson(res, 500, { error: error.message });
      else res.destroy(error);
    });
  });
}

/** Closes the admin API at once: its clients are scrapers and scripts, nothing worth draining. */
export async function closeAdminServer(server: Server | undefined): Promise<void> {
  if (!server) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
