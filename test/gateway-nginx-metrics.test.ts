import { type NginxGateway, parseGatewayConfig, startNginxGateway } from '@lanes/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, testConfig, waitFor } from './support/gateway.js';
import { startUpstream, type Upstream } from './support/upstream.js';

/** Reads one sample of a Prometheus text page, 0 when absent. */
function sample(page: string, name: string, labels: string): number {
  const line = page.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('nginx engine: per-lane metrics from its access log', () => {
  let upstreams: Upstream[];
  let gw: NginxGateway;

  beforeAll(async () => {
    upstreams = await Promise.all([startUpstream('default'), startUpstream('gray')]);
    const [d, g] = upstreams as [Upstream, Upstream];
    gw = await startNginxGateway({
      config: parseGatewayConfig(
        testConfig({
          shop: {
            whenLaneDown: 'reject',
            lanes: { default: { replicas: [d.url] }, gray: { replicas: [g.url] }, pr1: { replicas: [] } },
          },
        }),
      ),
    });
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all(upstreams.map((u) => u.close()));
  });

  it('counts requests by lane and status class and times them, under the Node engine names', async () => {
    for (let i = 0; i < 7; i++) expect((await get(gw.url, { tracestate: 'ctx=lane:gray' })).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await get(gw.url)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await get(gw.url, { baggage: 'lane=pr1' })).status).toBe(503);
    const requests = 'lanes_gateway_requests_total';
    let page = '';
    // nginx writes the log line as the request ends, which may be just after the client has its answer.
    await waitFor(async () => {
      page = (await get(`${gw.adminUrl}/metrics`)).body;
      return sample(page, requests, 'service="shop",lane="pr1",code_class="5xx"') === 3;
    }, 'the 503s are counted');
    expect(sample(page, requests, 'service="shop",lane="gray",code_class="2xx"')).toBe(7);
    expect(sample(page, requests, 'service="shop",lane="default",code_class="2xx"')).toBe(5);
    expect(sample(page, 'lanes_gateway_request_duration_seconds_count', 'service="shop",lane="gray"')).toBe(7);
    expect(sample(page, 'lanes_gateway_request_duration_seconds_bucket', 'service="shop",lane="gray",le="+Inf"')).toBe(
      7,
    );
  });
});
