import type { GatewayEvent, NginxGateway } from '@lanes/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upstreamOf, waitFor } from './support/gateway.js';
import { nginxOverCheckedPair } from './support/gateway-engines.js';
import type { Upstream } from './support/upstream.js';

/**
 * Open-source nginx has no active health checks: the nginx gateway runs them in Node and renders a failing replica
 * `down`. Replica b answers requests but fails its health check, so only the check can keep traffic off it.
 */
describe('nginx engine: active health checks from the Node side', () => {
  let upstreams: [Upstream, Upstream];
  let gw: NginxGateway;
  const events: GatewayEvent[] = [];

  beforeAll(async () => {
    ({ gw, upstreams } = await nginxOverCheckedPair(events));
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all((upstreams ?? []).map((u) => u.close()));
  });

  async function health(): Promise<{ url: string; state: string }[]> {
    const response = await fetch(`${gw.adminUrl}/admin/health`);
    const body = (await response.json()) as { lanes: { replicas: { url: string; state: string }[] }[] };
    return body.lanes.flatMap((lane) => lane.replicas);
  }

  it('serves /admin/health with both replicas healthy, and both take traffic', async () => {
    await waitFor(async () => (await health()).every((r) => r.state === 'healthy'), 'both replicas healthy');
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) seen.add(await upstreamOf(gw.url));
    expect([...seen].sort()).toEqual(['a', 'b']);
  });

  it('takes a replica whose health check fails out of nginx, and back once it passes', async () => {
    const [, b] = upstreams;
    b.setHealthy(false);
    // `rendered` is the configuration in force: it changes once nginx answers on the reloaded one.
    await waitFor(() => isDown(b), 'b rendered down');
    expect((await health()).find((r) => r.url === b.url)?.state).toBe('unhealthy');
    expect(events).toContainEqual(expect.objectContaining({ event: 'replica-health', replica: b.url, healthy: false }));
    const answers = new Set<string>();
    for (let i = 0; i < 10; i++) answers.add(await upstreamOf(gw.url));
    expect([...answers]).toEqual(['a']);

    b.setHealthy(true);
    await waitFor(() => !isDown(b), 'b back');
    const back = new Set<string>();
    for (let i = 0; i < 6; i++) back.add(await upstreamOf(gw.url));
    expect([...back].sort()).toEqual(['a', 'b']);
  });

  function isDown(upstream: Upstream): boolean {
    const server = `server ${new URL(upstream.url).host} `;
    return gw.engine.rendered.text.split('\n').some((line) => line.includes(server) && line.endsWith(' down;'));
  }
});
