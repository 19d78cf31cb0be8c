import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_LANES, LANE_MATCH_CASES } from '../packages/lanes-aws/src/synth/lane-match-cases.js';
import { startTestGateway, type TestGateway, testConfig, upstreamOf } from './support/gateway.js';
import { startUpstream, type Upstream } from './support/upstream.js';

/**
 * The case table that `packages/lanes-aws` runs against the synthesized ALB rules, here run against a real local
 * gateway: header fields go over the wire as sent (several fields of one header stay several fields), so Node's
 * joining of repeated fields is part of what is tested. The `lane` column is where the gateway must route.
 */
describe('the ALB case table through a running gateway', () => {
  let upstreams: Upstream[] = [];
  let gw: TestGateway;
  let url: string;

  beforeAll(async () => {
    upstreams = await Promise.all(CASE_LANES.map((lane) => startUpstream(lane)));
    const lanes = Object.fromEntries(upstreams.map((u) => [u.name, { replicas: [u.url] }]));
    gw = await startTestGateway(testConfig({ shop: { lanes } }));
    url = `${gw.gateway.url}/items`;
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all(upstreams.map((u) => u.close()));
  });

  it.each(LANE_MATCH_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const headers: Record<string, string | string[]> = {};
    if (c.headers.tracestate !== undefined) headers.tracestate = c.headers.tracestate;
    if (c.headers.baggage !== undefined) headers.baggage = c.headers.baggage;
    expect(await upstreamOf(url, headers)).toBe(c.lane);
  });
});
