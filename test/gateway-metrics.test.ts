import { describe, expect, it } from 'vitest';
import { get, startTestGateway, testConfig } from './support/gateway.js';
import { startUpstream } from './support/upstream.js';

function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('per-lane metrics', () => {
  it('counts requests by lane and status class, with a latency histogram and healthy replicas', async () => {
    const [d, g] = await Promise.all([startUpstream('default'), startUpstream('gray')]);
    g.handle((req, res) => {
      req.resume();
      res.writeHead(req.url === '/fail' ? 500 : 200, { 'x-upstream': 'gray' }).end();
    });
    const gw = await startTestGateway(
      testConfig({ shop: { lanes: { default: { replicas: [d.url] }, gray: { replicas: [g.url] } } } }),
    );
    try {
      for (let i = 0; i < 3; i++) await get(gw.gateway.url);
      for (let i = 0; i < 2; i++) await get(gw.gateway.url, { baggage: 'lane=gray' });
      await get(`${gw.gateway.url}/fail`, { baggage: 'lane=gray' });
      const response = await get(`${gw.gateway.adminUrl}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toContain('text/plain');
      const text = response.body;
      expect(sample(text, 'lanes_gateway_requests_total', 'service="shop",lane="default",code_class="2xx"')).toBe(3);
      expect(sample(text, 'lanes_gateway_requests_total', 'service="shop",lane="gray",code_class="2xx"')).toBe(2);
      expect(sample(text, 'lanes_gateway_requests_total', 'service="shop",lane="gray",code_class="5xx"')).toBe(1);
      expect(sample(text, 'lanes_gateway_request_duration_seconds_count', 'service="shop",lane="gray"')).toBe(3);
      expect(
        sample(text, 'lanes_gateway_request_duration_seconds_bucket', 'service="shop",lane="default",le="+Inf"'),
      ).toBe(3);
      expect(sample(text, 'lanes_gateway_replicas_healthy', 'service="shop",lane="gray"')).toBe(1);
      const health = await get(`${gw.gateway.adminUrl}/admin/health`);
      expect(health.json<{ lanes: { lane: string; healthy: number }[] }>().lanes).toContainEqual(
        expect.objectContaining({ service: 'shop', lane: 'gray', healthy: 1, total: 1 }),
      );
    } finally {
      await gw.close();
      await Promise.all([d.close(), g.close()]);
    }
  });
});
