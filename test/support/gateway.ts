import { type Gateway, type GatewayEvent, parseGatewayConfig, readAdminToken, startGateway } from '@lanes/gateway';
import { type Dispatcher, request } from 'undici';
import { startLoadLoop } from './load-loop.js';

/** A gateway config for tests: listens on free loopback ports; the caller supplies services. */
export function testConfig(services: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown {
  return {
    listen: { host: '127.0.0.1', port: 0 },
    admin: { host: '127.0.0.1', port: 0 },
    ...extra,
    services,
  };
}

/** `testConfig` whose admin API takes changes for the token in `tokenFile` (created by the gateway if missing). */
export function guardedConfig(services: Record<string, unknown>, tokenFile: string): unknown {
  return testConfig(services, { admin: { host: '127.0.0.1', port: 0, tokenFile } });
}

export interface TestGateway {
  gateway: Gateway;
  events: GatewayEvent[];
  close(): Promise<void>;
}

/** Starts a gateway in this process, recording every event it reports. */
export async function startTestGateway(raw: unknown, options: { configFile?: string } = {}): Promise<TestGateway> {
  const events: GatewayEvent[] = [];
  const gateway = await startGateway({
    config: parseGatewayConfig(raw),
    ...(options.configFile ? { configFile: options.configFile } : {}),
    onEvent: (event) => events.push(event),
  });
  return { gateway, events, close: () => gateway.close(1000) };
}

export interface SimpleResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

/** One request through undici with plain results; headers may repeat (array values become repeated fields). */
export async function get(
  url: string,
  headers: Record<string, string | string[]> = {},
  method = 'GET',
  dispatcher?: Dispatcher,
): Promise<SimpleResponse> {
  const flat: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    for (const v of Array.isArray(value) ? value : [value]) flat.push(name, v);
  }
  const response = await request(url, { method: method as 'GET', headers: flat, ...(dispatcher && { dispatcher }) });
  const body = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    body,
    json: <T>() => JSON.parse(body) as T,
  };
}

/**
 * A state-changing admin request as the lanes CLI makes it: the bearer token from the gateway's `admin.tokenFile`
 * and a JSON body. Without a token file the request goes without `Authorization`, to see it refused.
 */
export async function adminSend(
  adminUrl: string,
  method: 'PUT' | 'POST',
  path: string,
  options: { tokenFile?: string; body?: unknown } = {},
): Promise<SimpleResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.tokenFile) headers.authorization = `Bearer ${await readAdminToken(options.tokenFile)}`;
  const response = await request(`${adminUrl}${path}`, {
    method,
    headers,
    body: JSON.stringify(options.body ?? {}),
  });
  const body = await response.body.text();
  return { status: response.statusCode, headers: response.headers, body, json: <T>() => JSON.parse(body) as T };
}

/** The replicas a lane has in the configuration in force, read back through `GET /admin/config` (no token). */
export async function replicasInForce(adminUrl: string, service: string, lane = 'default'): Promise<string[]> {
  const config = (await get(`${adminUrl}/admin/config`)).json<{
    services: Record<string, { lanes: Record<string, { replicas: string[] }> }>;
  }>();
  return config.services[service]?.lanes[lane]?.replicas ?? [];
}

/** How many configurations a gateway has swapped in (its `reloaded` events). */
export function reloadCount(gw: TestGateway): number {
  return gw.events.filter((event) => event.event === 'reloaded').length;
}

/** Which upstream answered, from the `x-upstream` header the test upstreams set. */
export async function upstreamOf(url: string, headers: Record<string, string | string[]> = {}): Promise<string> {
  const response = await get(url, headers);
  return String(response.headers['x-upstream'] ?? `status ${response.status}`);
}

/** Polls until `check` returns true, or fails after `timeoutMs` with the message. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  message: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out: ${message}`);
}

/**
 * Untagged clients requesting `url` in a loop until the returned function is called; answers and errors are
 * ignored (the canary analysis judges the gateway's and the service's own counters). Resolves when all have stopped.
 */
export function untaggedLoad(url: string, clients: number): () => Promise<void> {
  const loop = startLoadLoop(clients, async () => {
    await (await request(url)).body.text();
  });
  return () => loop.stop();
}
