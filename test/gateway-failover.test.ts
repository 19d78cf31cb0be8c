import { describe, expect, it } from 'vitest';
import { get, startTestGateway, testConfig, waitFor } from './support/gateway.js';
import { startUpstream } from './support/upstream.js';

const fastChecks = { intervalMs: 50, timeoutMs: 200, healthyThreshold: 1, unhealthyThreshold: 1 };

describe('replica failure and lane-down policies', () => {
  it('keeps answering when one replica of a lane dies', async () => {
    const [a, b] = await Promise.all([startUpstream('a'), startUpstream('b')]);
    const gw = await startTestGateway(
      testConfig({ shop: { healthCheck: { intervalMs: 60_000 }, lanes: { default: { replicas: [a.url, b.url] } } } }),
    );
    try {
      const seenBefore = new Set<string>();
      for (let i = 0; i < 10; i++) seenBefore.add(String((await get(gw.gateway.url)).headers['x-upstream']));
      expect(seenBefore).toEqual(new Set(['a', 'b']));
      await a.close();
      // No health check runs in between (60 s interval): retries and passive ejection alone must hide the death.
      const statuses: number[] = [];
      const answeredBy = new Set<string>();
      for (let i = 0; i < 30; i++) {
        const response = await get(gw.gateway.url);
        statuses.push(response.status);
        answeredBy.add(String(response.headers['x-upstream']));
      }
      expect(statuses.every((status) => status === 200)).toBe(true);
      expect(answeredBy).toEqual(new Set(['b']));
      expect(gw.events).toContainEqual(
        expect.objectContaining({ event: 'replica-health', replica: a.url, healthy: false, via: 'passive' }),
      );
    } finally {
      await gw.close();
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('takes a replica out when its health check fails and back when it passes', async () => {
    const [a, b] = await Promise.all([startUpstream('a'), startUpstream('b')]);
    const gw = await startTestGateway(
      testConfig({ shop: { healthCheck: fastChecks, lanes: { default: { replicas: [a.url, b.url] } } } }),
    );
    try {
      a.setHealthy(false);
      await waitFor(
        () => gw.events.some((e) => e.event === 'replica-health' && e.replica === a.url && !e.healthy),
        'a unhealthy',
      );
      for (let i = 0; i < 10; i++) expect((await get(gw.gateway.url)).headers['x-upstream']).toBe('b');
      a.setHealthy(true);
      await waitFor(async () => (await get(gw.gateway.url)).headers['x-upstream'] === 'a', 'a back in rotation');
    } finally {
      await gw.close();
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('falls back to default when a whole lane is down (policy fallback)', async () => {
    const [d, g] = await Promise.all([startUpstream('default'), startUpstream('gray')]);
    const gw = await startTestGateway(
      testConfig({
        shop: { healthCheck: fastChecks, lanes: { default: { replicas: [d.url] }, gray: { replicas: [g.url] } } },
      }),
    );
    try {
      expect((await get(gw.gateway.url, { tracestate: 'ctx=lane:gray' })).headers['x-upstream']).toBe('gray');
      g.setHealthy(false);
      await waitFor(
        async () => (await get(gw.gateway.url, { tracestate: 'ctx=lane:gray' })).headers['x-upstream'] === 'default',
        'fallback',
      );
      const last = gw.events.filter((e) => e.event === 'access').at(-1);
      expect(last).toMatchObject({ lane: 'default', choice: 'fallback', requestedLane: 'gray' });
    } finally {
      await gw.close();
      await Promise.all([d.close(), g.close()]);
    }
  });

  it('answers 503 naming service and lane when the policy is reject', async () => {
    const [d, g] = await Promise.all([startUpstream('default'), startUpstream('gray')]);
    const gw = await startTestGateway(
      testConfig({
        shop: {
          whenLaneDown: 'reject',
          healthCheck: fastChecks,
          lanes: { default: { replicas: [d.url] }, gray: { replicas: [g.url] } },
        },
      }),
    );
    try {
      g.setHealthy(false);
      await waitFor(async () => (await get(gw.gateway.url, { tracestate: 'ctx=lane:gray' })).status === 503, '503');
      const response = await get(gw.gateway.url, { tracestate: 'ctx=lane:gray' });
      expect(response.headers['x-lanes-error']).toBe('no_healthy_replica');
      expect(response.json()).toMatchObject({ error: 'no_healthy_replica', service: 'shop', lane: 'gray' });
      expect(response.json<{ message: string }>().message).toContain('"gray"');
      expect((await get(gw.gateway.url)).headers['x-upstream']).toBe('default');
    } finally {
      await gw.close();
      await Promise.all([d.close(), g.close()]);
    }
  });

  it('answers 502 naming service, lane and replica when the replica breaks the connection', async () => {
    const broken = await startUpstream('broken');
    broken.handle((req) => req.socket.destroy());
    const gw = await startTestGateway(testConfig({ shop: { lanes: { default: { replicas: [broken.url] } } } }));
    try {
      const response = await get(gw.gateway.url);
      expect(response.status).toBe(502);
      const body = response.json<{ error: string; service: string; lane: string; message: string }>();
      expect(body).toMatchObject({ error: 'upstream_failed', service: 'shop', lane: 'default' });
      expect(body.message).toContain(broken.url);
    } finally {
      await gw.close();
      await broken.close();
    }
  });

  it('answers 504 when the upstream does not answer in time', async () => {
    const slow = await startUpstream('slow');
    slow.handle(() => undefined);
    const gw = await startTestGateway(
      testConfig({ shop: { lanes: { default: { replicas: [slow.url] } } } }, { timeouts: { upstreamHeadersMs: 200 } }),
    );
    try {
      const response = await get(gw.gateway.url);
      expect(response.status).toBe(504);
      expect(response.json()).toMatchObject({ error: 'upstream_timeout', service: 'shop', lane: 'default' });
    } finally {
      await gw.close();
      await slow.close();
    }
  });
});
