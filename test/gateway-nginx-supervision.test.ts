import type { GatewayEvent, NginxGateway } from '@lanes/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upstreamOf, waitFor } from './support/gateway.js';
import { nginxOverCheckedPair } from './support/gateway-engines.js';
import type { Upstream } from './support/upstream.js';

/**
 * nginx killed twice: restarted at once, then after the back-off. A replica fails its health check during that wait,
 * when there is no nginx to reload: the restarted nginx must render it `down` all the same.
 */
describe('nginx engine: what changes while nginx is down', () => {
  let upstreams: [Upstream, Upstream];
  let gw: NginxGateway;
  const events: GatewayEvent[] = [];
  const count = (name: GatewayEvent['event']) => events.filter((e) => e.event === name).length;

  beforeAll(async () => {
    ({ gw, upstreams } = await nginxOverCheckedPair(events, {
      restart: { initialBackoffMs: 5000, maxBackoffMs: 5000 },
    }));
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all((upstreams ?? []).map((u) => u.close()));
  });

  it('renders a health verdict reached between an exit and the restart', async () => {
    const [, b] = upstreams;
    const first = gw.engine.pid;
    process.kill(first, 'SIGKILL');
    await waitFor(() => count('engine-restarted') === 1, 'the first restart', 20_000);
    expect(events.find((e) => e.event === 'engine-exited')).toMatchObject({ pid: first, restartInMs: 0 });

    process.kill(gw.engine.pid, 'SIGKILL');
    await waitFor(() => count('engine-exited') === 2, 'the second exit', 20_000);
    b.setHealthy(false);
    await waitFor(
      () => events.some((e) => e.event === 'error' && e.message.startsWith('nginx reload after a health change')),
      'the reload that found no nginx',
      20_000,
    );
    // The verdict came while nginx was down (the restart waits for the back-off).
    expect(count('engine-restarted')).toBe(1);
    expect(gw.engineReport()).toMatchObject({ state: 'restarting', restarts: 1 });

    await waitFor(() => count('engine-restarted') === 2, 'the second restart', 20_000);
    expect(gw.engineReport()).toMatchObject({ state: 'running', restarts: 2 });
    const server = `server ${new URL(b.url).host} `;
    const lines = gw.engine.rendered.text.split('\n');
    expect(lines.some((line) => line.includes(server) && line.endsWith(' down;'))).toBe(true);
    const answers = new Set<string>();
    for (let i = 0; i < 6; i++) answers.add(await upstreamOf(gw.url));
    expect([...answers]).toEqual(['a']);
  }, 60_000);
});
