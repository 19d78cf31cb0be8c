import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  composeRevision,
  type DeployResult,
  deployLane,
  type LanesEvent,
  openProject,
  type PlatformInfo,
  type ProjectSession,
  runPlatform,
} from '@lanes/core';
import type { GatewayEvent } from '@lanes/gateway';

export const LANE_SERVICE = fileURLToPath(new URL('../fixtures/lane-service.mjs', import.meta.url));

export interface ServiceSketch {
  pathPrefix: string;
  env?: Record<string, string>;
  replicas?: number;
  lanes?: Record<string, unknown>;
  /** More fields of the service in lanes.json (e.g. healthCheck, crashLoop); they replace the sketch's own. */
  settings?: Record<string, unknown>;
}

/**
 * Replica ports of this test file: a window of its own, so test files running in parallel never race for one. The
 * windows stay below Linux's ephemeral ports (/proc/sys/net/ipv4/ip_local_port_range, 32768-60999 by default), as
 * the default range 20000-29999 does: a health check against a port in that range where nothing listens can get
 * its own source port and connect to itself (TCP simultaneous open), reading its own request back ("Response does
 * not match the HTTP/1.1 protocol" instead of ECONNREFUSED; seen in CI). The setting also stays in process.env for
 * later test files of the same worker.
 */
export function usePrivatePortRange(): string {
  const start = 20000 + Math.floor(Math.random() * 31) * 400;
  process.env.LANES_PORT_RANGE = `${start}-${start + 399}`;
  return process.env.LANES_PORT_RANGE;
}

/** A temporary project folder whose services all run the test fixture service; ports are picked at run time. */
export async function createProject(services: Record<string, ServiceSketch>): Promise<string> {
  if (!process.env.LANES_PORT_RANGE) usePrivatePortRange();
  const dir = await mkdtemp(join(tmpdir(), 'lanes-e2e-'));
  const project = {
    project: 'e2e',
    gateway: { port: 0, adminPort: 0 },
    services: Object.fromEntries(
      Object.entries(services).map(([name, s]) => [
        name,
        {
          route: { pathPrefix: s.pathPrefix },
          run: { command: [process.execPath, LANE_SERVICE], env: s.env ?? {} },
          healthCheck: { path: '/healthz', intervalMs: 200, timeoutMs: 500 },
          replicas: s.replicas ?? 1,
          startTimeoutMs: 10_000,
          ...(s.lanes ? { lanes: s.lanes } : {}),
          ...s.settings,
        },
      ]),
    ),
  };
  await writeFile(join(dir, 'lanes.json'), JSON.stringify(project, null, 2));
  return dir;
}

export interface RunningPlatform {
  session: ProjectSession;
  info: PlatformInfo;
  events: LanesEvent[];
  /** The gateway's own events (`access` left out). */
  gatewayEvents: GatewayEvent[];
  /** Opens another session on the same project, as a second CLI would. */
  another(): Promise<ProjectSession>;
  stop(): Promise<void>;
}

export interface StartPlatformOptions {
  /** Leave the project folder on `stop`, for a test that starts the platform on it again. @default false */
  keepDir?: boolean;
}

/** Runs `lanes up` in this process (library, not CLI) and resolves once the platform is ready. */
export async function startPlatform(dir: string, options: StartPlatformOptions = {}): Promise<RunningPlatform> {
  const events: LanesEvent[] = [];
  const gatewayEvents: GatewayEvent[] = [];
  const io = { notify: (event: LanesEvent) => events.push(event) };
  const session = await openProject({ dir, io });
  const controller = new AbortController();
  let ready: (info: PlatformInfo) => void = () => undefined;
  const readyInfo = new Promise<PlatformInfo>((resolve) => {
    ready = resolve;
  });
  const running = runPlatform(session, {
    signal: controller.signal,
    onReady: (info) => ready(info),
    reconcileIntervalMs: 300,
    onGatewayEvent: (event) => {
      if (event.event !== 'access') gatewayEvents.push(event);
    },
  });
  const info = await Promise.race([
    readyInfo,
    running.then((r) => Promise.reject(new Error(`platform ended: ${JSON.stringify(r)}`))),
  ]);
  const sessions: ProjectSession[] = [];
  return {
    session,
    info,
    events,
    gatewayEvents,
    another: async () => {
      const other = await openProject({ dir, io });
      sessions.push(other);
      return other;
    },
    stop: async () => {
      controller.abort();
      await running.catch(() => undefined);
      for (const other of sessions) other.close();
      session.close();
      if (!options.keepDir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Deploys `lane` of `service` with `env` over the service's declared one: the library call, no CLI. */
export function deployWithEnv(
  session: ProjectSession,
  service: string,
  lane: string,
  env: Record<string, string>,
): Promise<DeployResult> {
  const declared = session.project.services[service];
  if (declared === undefined) throw new Error(`the test project has no service "${service}" (${session.project.file})`);
  const spec = composeRevision(declared, undefined, { env });
  return deployLane(session, { env: session.project.env, service, lane }, { spec });
}

/** Deploys `lane` of the project's `api` service with `env` over its declared one. */
export function deployApi(session: ProjectSession, lane: string, env: Record<string, string>): Promise<DeployResult> {
  return deployWithEnv(session, 'api', lane, env);
}

/** Deploys `lane` of `service` with the service's own revision and VERSION set to `version`. */
export function deployVersion(
  session: ProjectSession,
  service: string,
  lane: string,
  version: string,
): Promise<DeployResult> {
  return deployWithEnv(session, service, lane, { VERSION: version });
}
