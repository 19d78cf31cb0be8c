import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GatewayEvent, type NginxGateway, parseGatewayConfig, startNginxGateway } from '@lanes/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSend, guardedConfig, replicasInForce, upstreamOf, waitFor } from './support/gateway.js';
import { startUpstream, type Upstream } from './support/upstream.js';

/**
 * A configuration change that reaches the nginx engine while nginx is down (killed, waiting for its restart) is
 * taken (202, pending) and applied once nginx is back, by the same path as a health verdict reached meanwhile:
 * the admin API's PUT /admin/config wins over the file the restart would otherwise re-read, and a file change with
 * POST /admin/reload is taken the same way. Before, both answered 500 and the change was lost.
 */
describe('nginx engine: a configuration change while nginx is down', () => {
  let dir: string;
  let file: string;
  let tokenFile: string;
  let upstreams: Upstream[];
  let gw: NginxGateway;
  const events: GatewayEvent[] = [];
  const count = (name: GatewayEvent['event']) => events.filter((e) => e.event === name).length;
  const configWith = (...replicas: Upstream[]) =>
    guardedConfig({ shop: { lanes: { default: { replicas: replicas.map((u) => u.url) } } } }, tokenFile);

  /** Kills the master and waits until the engine reports it is waiting for the restart's back-off. */
  async function killAndWaitForExit(exits: number): Promise<void> {
    process.kill(gw.engine.pid, 'SIGKILL');
    await waitFor(() => count('engine-exited') === exits, `exit ${exits}`, 20_000);
    expect(gw.engineReport().state).toBe('restarting');
  }

  /** The upstreams that answer six requests through nginx. */
  async function answering(): Promise<string[]> {
    const answers = new Set<string>();
    for (let i = 0; i < 6; i++) answers.add(await upstreamOf(gw.url));
    return [...answers].sort();
  }

  beforeAll(async () => {
    upstreams = await Promise.all([startUpstream('a'), startUpstream('b'), startUpstream('c')]);
    dir = await mkdtemp(join(tmpdir(), 'lanes-nginx-pending-'));
    file = join(dir, 'gateway.json');
    tokenFile = join(dir, 'admin-token');
    const [a, b] = upstreams as [Upstream, Upstream];
    await writeFile(file, JSON.stringify(configWith(a, b)));
    gw = await startNginxGateway({
      config: parseGatewayConfig(configWith(a, b)),
      configFile: file,
      onEvent: (event) => events.push(event),
      // The second and later restarts wait 5 s: the window in which the changes below reach a gateway without nginx.
      restart: { initialBackoffMs: 5000, maxBackoffMs: 5000 },
    });
    // The first restart comes at once: used up here, so the next exits wait.
    process.kill(gw.engine.pid, 'SIGKILL');
    await waitFor(() => count('engine-restarted') === 1, 'the first restart', 20_000);
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all((upstreams ?? []).map((u) => u.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('PUT /admin/config answers 202 pending, and the restart applies it (not the file)', async () => {
    const [, b] = upstreams as [Upstream, Upstream];
    await killAndWaitForExit(2);
    const put = await adminSend(gw.adminUrl, 'PUT', '/admin/config', { tokenFile, body: configWith(b) });
    expect(put.status, put.body).toBe(202);
    expect(put.json()).toMatchObject({ reloaded: false, pending: true, message: expect.stringContaining('nginx') });
    // Still the configuration in force until nginx is back.
    expect(count('engine-restarted')).toBe(1);
    expect(await replicasInForce(gw.adminUrl, 'shop')).toHaveLength(2);

    await waitFor(() => count('engine-restarted') === 2, 'the second restart', 20_000);
    await waitFor(() => events.some((e) => e.event === 'reloaded' && e.source === 'admin'), 'the PUT applied', 20_000);
    expect(await replicasInForce(gw.adminUrl, 'shop')).toEqual([b.url]);
    expect(await answering()).toEqual(['b']);
  }, 60_000);

  it('POST /admin/reload of a changed file answers 202 pending, and the restart applies the file', async () => {
    const [, , c] = upstreams as [Upstream, Upstream, Upstream];
    await killAndWaitForExit(3);
    await writeFile(file, JSON.stringify(configWith(c)));
    const reload = await adminSend(gw.adminUrl, 'POST', '/admin/reload', { tokenFile });
    expect(reload.status, reload.body).toBe(202);
    expect(reload.json()).toMatchObject({ reloaded: false, pending: true });

    await waitFor(() => count('engine-restarted') === 3, 'the third restart', 20_000);
    await waitFor(
      async () => (await replicasInForce(gw.adminUrl, 'shop'))[0] === c.url,
      'the file applied after the restart',
      20_000,
    );
    expect(await answering()).toEqual(['c']);
    expect(events.filter((e) => e.event === 'reload-failed')).toEqual([]);
  }, 60_000);
});
