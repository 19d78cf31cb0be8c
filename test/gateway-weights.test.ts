import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, startTestGateway, type TestGateway, testConfig } from './support/gateway.js';
import { startUpstream, type Upstream } from './support/upstream.js';

describe('weighted split of untagged requests', () => {
  let d: Upstream;
  let g: Upstream;
  let byHeader: TestGateway;
  let byCookie: TestGateway;

  beforeAll(async () => {
    [d, g] = await Promise.all([startUpstream('default'), startUpstream('gray')]);
    const lanes = { default: { replicas: [d.url], weight: 80 }, gray: { replicas: [g.url], weight: 20 } };
    byHeader = await startTestGateway(testConfig({ shop: { lanes, stickiness: { header: 'x-user-id' } } }));
    byCookie = await startTestGateway(testConfig({ shop: { lanes, stickiness: { cookie: 'lane_key' } } }));
  });
  afterAll(async () => {
    await Promise.all([byHeader.close(), byCookie.close()]);
    await Promise.all([d.close(), g.close()]);
  });

  // The split's proportions are unit-tested on LaneSelector (lane-selector.test.ts); here the HTTP path splits.
  it('splits users between both weighted lanes', async () => {
    const seen = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      const lane = String((await get(byHeader.gateway.url, { 'x-user-id': `user-${i}` })).headers['x-upstream']);
      seen.set(lane, (seen.get(lane) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual(['default', 'gray']);
    expect(seen.get('default')).toBeGreaterThan(seen.get('gray')!);
  });

  it('keeps a user in the same lane on every request', async () => {
    for (let i = 0; i < 20; i++) {
      const lanes = new Set<string>();
      for (let n = 0; n < 5; n++) {
        lanes.add(String((await get(byHeader.gateway.url, { 'x-user-id': `sticky-${i}` })).headers['x-upstream']));
      }
      expect(lanes.size).toBe(1);
    }
  });

  it('writes the chosen lane into the forwarded request so downstream calls stay in it', async () => {
    for (let i = 0; i < 60; i++) {
      const response = await get(byHeader.gateway.url, { 'x-user-id': `chain-${i}`, tracestate: 'dd=s:1' });
      const lane = String(response.headers['x-upstream']);
      const seen = response.json<{ headers: Record<string, string> }>().headers;
      // The lane member goes first (W3C: a mutated member moves left); other vendors' members stay.
      expect(seen.tracestate).toBe(`ctx=lane:${lane},dd=s:1`);
    }
  });

  it('gives a cookie to a client without one and honours it afterwards', async () => {
    const first = await get(byCookie.gateway.url);
    const setCookie = [first.headers['set-cookie']].flat().find((c) => String(c).startsWith('lane_key='));
    expect(setCookie).toBeDefined();
    const cookie = String(setCookie).split(';')[0]!;
    const lane = first.headers['x-upstream'];
    for (let n = 0; n < 10; n++) {
      const again = await get(byCookie.gateway.url, { cookie: `other=1; ${cookie}` });
      expect(again.headers['x-upstream']).toBe(lane);
      expect(again.headers['set-cookie']).toBeUndefined();
    }
  });

  it('lets a tag override the split', async () => {
    for (let i = 0; i < 20; i++) {
      const response = await get(byHeader.gateway.url, { 'x-user-id': `tagged-${i}`, tracestate: 'ctx=lane:gray' });
      expect(response.headers['x-upstream']).toBe('gray');
    }
  });
});
