import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GatewayConfig } from '../config-types.js';
import { GatewayError } from '../errors.js';
import { laneModuleResolver } from './native-module.js';
import { type NginxExit, spawnMaster } from './nginx-master.js';
import { untilOldWorkersStopAccepting, workerPids } from './old-workers.js';
import { type RenderedNginxConfig, renderNginxConfig } from './render-config.js';

/** `njs/lanes.js` of this package, next to `dist/` and `src/`. */
export const NJS_LANES_FILE = fileURLToPath(new URL('../../njs/lanes.js', import.meta.url));

export type { NginxExit } from './nginx-master.js';

/** What a reload did: `unchanged` when nginx already ran that configuration, so no SIGHUP was sent. */
export type NginxReload = { type: 'reloaded' } | { type: 'unchanged' };

export interface NginxEngineOptions {
  config: GatewayConfig;
  configFile?: string;
  /** @default 'nginx' from PATH */
  nginxBinary?: string;
  /** worker_processes. @default 1 */
  workers?: number;
  /** Longest wait for nginx to answer after a start or a reload. @default 10000 */
  readyTimeoutMs?: number;
  /** The native lane module, built beforehand, for `nginx.laneParser: "native"`. @default built or cached on start */
  laneModule?: string;
}

/** A running nginx master in the foreground, its configuration rendered from the gateway's. */
export interface NginxEngine {
  readonly url: string;
  readonly port: number;
  /** The folder with nginx.conf, error.log and access.log (removed by close). */
  readonly prefix: string;
  /** The current nginx master's process id (a restart changes it). */
  readonly pid: number;
  /** Whether the current master runs (false between an unasked exit and a restart, and after close). */
  readonly running: boolean;
  /** Reloads sent to nginx (SIGHUPs) since the start: each swaps nginx's workers. */
  readonly reloads: number;
  /** The configuration in force: a reload replaces it once nginx answers on the new one. */
  readonly rendered: RenderedNginxConfig;
  /**
   * Renders, checks with `nginx -t`, then SIGHUP; resolves once the new configuration answers. `down`: replica URLs
   * rendered `down` (what the supervisor's active health checks hold unhealthy). A configuration that renders as the
   * one in force is not sent (`unchanged`): every reload swaps nginx's workers, which cuts some requests.
   */
  reload(config: GatewayConfig, down?: ReadonlySet<string>): Promise<NginxReload>;
  /** Graceful stop (SIGQUIT), SIGKILL after `graceMs`; removes the prefix folder. */
  close(graceMs?: number): Promise<void>;
  /** Resolves when the current master exits, for whatever reason (a restart brings a new master and promise). */
  readonly exited: Promise<NginxExit>;
  /**
   * After the master exited unasked: a new master on the same prefix, port and configuration in force; resolves once
   * it answers. Does nothing while the master runs.
   */
  restart(): Promise<void>;
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function fetchText(port: number, path: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 1000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 64) body += chunk;
      });
      res.on('end', () => resolve(res.statusCode === 200 ? body : undefined));
    });
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function nginxTest(binary: string, prefix: string, conf: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(binary, ['-t', '-q', '-p', prefix, '-c', conf, '-e', join(prefix, 'error.log')], (error, _o, stderr) =>
      resolve(error ? stderr.trim() || error.message : undefined),
    );
  });
}

/**
 * Starts nginx on the rendered configuration: a foreground master (nginx-master.ts) that goes with this process,
 * killed or not; every path it writes is under a fresh temp folder.
 */
export async function startNginxEngine(options: NginxEngineOptions): Promise<NginxEngine> {
  const binary = options.nginxBinary ?? 'nginx';
  const readyMs = options.readyTimeoutMs ?? 10_000;
  const prefix = mkdtempSync(join(tmpdir(), 'lanes-nginx-'));
  // Started as root, nginx runs its workers as `nobody`, who must reach the temp paths and logs in here.
  chmodSync(prefix, 0o755);
  const conf = join(prefix, 'nginx.conf');
  const host = options.config.listen.host;
  const port = options.config.listen.port === 0 ? await freePort(host) : options.config.listen.port;
  const controlPort = await freePort('127.0.0.1');
  let generation = 1;
  const laneModuleOf = laneModuleResolver(binary, options.laneModule);
  const render = async (
    config: GatewayConfig,
    down: ReadonlySet<string> | undefined,
    answer: number,
  ): Promise<RenderedNginxConfig> => {
    const laneModule = await laneModuleOf(config);
    return renderNginxConfig(
      { ...config, listen: { ...config.listen, port } },
      {
        prefix,
        njsFile: NJS_LANES_FILE,
        ...(laneModule ? { laneModule } : {}),
        workers: options.workers ?? 1,
        control: { port: controlPort, generation: answer },
        ...(down ? { down } : {}),
        ...(options.configFile ? { file: options.configFile } : {}),
      },
    );
  };
  let rendered: RenderedNginxConfig;
  try {
    rendered = await render(options.config, undefined, generation);
    await writeFile(conf, rendered.text);
    const problem = await nginxTest(binary, prefix, conf);
    if (problem)
      throw new GatewayError('GATEWAY_NGINX_FAILED', `nginx refused the rendered configuration: ${problem}`, 'system');
  } catch (error) {
    rmSync(prefix, { recursive: true, force: true });
    throw error;
  }
  // The generation of `rendered`: what a restarted master answers with.
  let renderedGeneration = generation;
  let closing = false;
  let reloads = 0;
  let master = spawnMaster(binary, prefix, conf);

  const waitForGeneration = async (wanted: number): Promise<void> => {
    const deadline = Date.now() + readyMs;
    const current = master;
    while (!current.gone && Date.now() < deadline) {
      if ((await fetchText(controlPort, '/generation')) === String(wanted)) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const log = await readFile(join(prefix, 'error.log'), 'utf8').catch(() => '');
    const why = current.gone ? 'nginx exited' : `nginx did not answer within ${readyMs} ms`;
    throw new GatewayError('GATEWAY_NGINX_FAILED', `${why}: ${(current.stderr() + log).trim().slice(-2000)}`, 'system');
  };

  const close = async (graceMs = 5000): Promise<void> => {
    closing = true;
    await master.stop(graceMs);
    rmSync(prefix, { recursive: true, force: true, maxRetries: 3 });
  };

  try {
    await waitForGeneration(generation);
  } catch (error) {
    await close(0);
    throw error;
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    prefix,
    get rendered() {
      return rendered;
    },
    get pid() {
      return master.pid;
    },
    get running() {
      return !master.gone;
    },
    get reloads() {
      return reloads;
    },
    get exited() {
      return master.exited;
    },
    close,
    async restart(): Promise<void> {
      if (closing) throw new GatewayError('GATEWAY_NGINX_FAILED', 'nginx engine is closed', 'system');
      if (!master.gone) return;
      // The configuration in force, rewritten in case a reload died half-way or the file went missing.
      generation = renderedGeneration;
      await writeFile(conf, rendered.text);
      if (closing) throw new GatewayError('GATEWAY_NGINX_FAILED', 'nginx engine is closed', 'system');
      master = spawnMaster(binary, prefix, conf);
      try {
        await waitForGeneration(generation);
      } catch (error) {
        await master.stop(0);
        throw error;
      }
    },
    async reload(config: GatewayConfig, down?: ReadonlySet<string>): Promise<NginxReload> {
      if (master.gone) throw new GatewayError('GATEWAY_NGINX_FAILED', 'nginx is not running', 'system');
      // A reload's old worker closes its idle keep-alive connections as it stops (ngx_worker_process_cycle in
      // src/os/unix/ngx_process_cycle.c), and one that served a request in the meantime right after answering it: a
      // request sent on one just then is cut. So the same configuration again (lanes' reload and then its file watch;
      // a replica's first passed check) is not sent, unless a reload failed half-way and nginx may run either.
      if (generation === renderedGeneration) {
        const again = await render(config, down, generation);
        if (again.text === rendered.text) {
          rendered = again;
          return { type: 'unchanged' };
        }
      }
      generation += 1;
      const next = await render(config, down, generation);
      const candidate = join(prefix, 'nginx.next.conf');
      await writeFile(candidate, next.text);
      const problem = await nginxTest(binary, prefix, candidate);
      if (problem) {
        generation -= 1;
        throw new GatewayError(
          'GATEWAY_NGINX_FAILED',
          `nginx refused the new configuration (kept the old one): ${problem}`,
          'user',
        );
      }
      await rename(candidate, conf);
      const old = await workerPids(master.pid);
      // SIGHUP is `nginx -s reload`: new workers start on the new file, old ones finish their requests and exit.
      process.kill(master.pid, 'SIGHUP');
      reloads += 1;
      await waitForGeneration(generation);
      // New connections follow the new configuration only once the old workers stopped accepting.
      if (old) await untilOldWorkersStopAccepting(old, port, Date.now() + readyMs);
      rendered = next;
      renderedGeneration = generation;
      return { type: 'reloaded' };
    },
  };
}
