import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, startTestGateway, type TestGateway, testConfig, upstreamOf } from './support/gateway.js';
import { startUpstream, type Upstream } from './support/upstream.js';

describe('lane routing by tag', () => {
  let defaultLane: Upstream;
  let gray: Upstream;
  let gray2: Upstream;
  let gw: TestGateway;
  let url: string;

  beforeAll(async () => {
    [defaultLane, gray, gray2] = await Promise.all([
      startUpstream('default'),
      startUpstream('gray'),
      startUpstream('gray2'),
    ]);
    gw = await startTestGateway(
      testConfig({
        shop: {
          lanes: {
            default: { replicas: [defaultLane.url] },
            gray: { replicas: [gray.url] },
            gray2: { replicas: [gray2.url] },
          },
        },
      }),
    );
    url = `${gw.gateway.url}/items?x=1`;
  });
  afterAll(async () => {
    await gw.close();
    await Promise.all([defaultLane.close(), gray.close(), gray2.close()]);
  });

  it('sends untagged requests to default', async () => {
    expect(await upstreamOf(url)).toBe('default');
  });

  it('sends a tracestate-tagged request to its lane, never to a lane whose name merely contains it', async () => {
    expect(await upstreamOf(url, { tracestate: 'ctx=lane:gray' })).toBe('gray');
    expect(await upstreamOf(url, { tracestate: 'ctx=lane:gray2' })).toBe('gray2');
  });

  it.each([
    ['ctx=lane:xgray'],
    ['ctx=lane:GRAY'],
    ['xctx=lane:gray'],
    ['ctx=lane:gray;x'],
    ['ctx=lane:gra'],
    ['ctx=lane:'],
  ])('treats %s as no gray tag', async (tracestate) => {
    expect(await upstreamOf(url, { tracestate })).toBe('default');
  });

  it('finds the lane among other vendors members, with optional whitespace and several header fields', async () => {
    expect(await upstreamOf(url, { tracestate: 'dd=s:1,ctx=lane:gray' })).toBe('gray');
    expect(await upstreamOf(url, { tracestate: 'rojo=00f067aa0ba902b7 ,\tctx=lane:gray , congo=t61rcWkgMzE' })).toBe(
      'gray',
    );
    expect(await upstreamOf(url, { tracestate: ['dd=s:1', 'ctx=lane:gray2'] })).toBe('gray2');
  });

  it('reads the baggage carrier', async () => {
    expect(await upstreamOf(url, { baggage: 'userId=alice,lane=gray;ttl=1' })).toBe('gray');
    expect(await upstreamOf(url, { baggage: 'lane=gray2x' })).toBe('default');
  });

  it('prefers tracestate over baggage when both carry a lane (the default precedence)', async () => {
    expect(await upstreamOf(url, { tracestate: 'ctx=lane:gray2', baggage: 'lane=gray' })).toBe('gray2');
  });

  it('falls back to default for a lane this service does not have, and forwards the tag unchanged', async () => {
    const before = defaultLane.seen.length;
    const response = await get(url, { tracestate: 'ctx=lane:pr-123,dd=s:1', baggage: 'k=v' });
    expect(response.headers['x-upstream']).toBe('default');
    const seen = defaultLane.seen.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers.tracestate).toBe('ctx=lane:pr-123,dd=s:1');
    expect(seen[0]!.headers.baggage).toBe('k=v');
  });

  it('forwards a tagged request with its tag, path and query unchanged', async () => {
    const before = gray.seen.length;
    await get(`${gw.gateway.url}/a/b%20c?q=1&r=%2F`, { tracestate: 'ctx=lane:gray' });
    const seen = gray.seen.slice(before);
    expect(seen[0]!.url).toBe('/a/b%20c?q=1&r=%2F');
    expect(seen[0]!.headers.tracestate).toBe('ctx=lane:gray');
  });

  it('counts access events with how the lane was chosen', async () => {
    await get(url, { tracestate: 'ctx=lane:nope' });
    const access = gw.events.filter((event) => event.event === 'access');
    const last = access.at(-1);
    expect(last).toMatchObject({
      service: 'shop',
      lane: 'default',
      choice: 'fallback',
      requestedLane: 'nope',
      status: 200,
    });
  });
});

describe('carrier precedence is configurable', () => {
  it('prefers baggage when the config lists it first, and can ignore tracestate entirely', async () => {
    const [d, g, b] = await Promise.all([startUpstream('default'), startUpstream('gray'), startUpstream('blue')]);
    const lanes = { default: { replicas: [d.url] }, gray: { replicas: [g.url] }, blue: { replicas: [b.url] } };
    const both = await startTestGateway(testConfig({ shop: { lanes } }, { carriers: ['baggage', 'tracestate'] }));
    const onlyBaggage = await startTestGateway(testConfig({ shop: { lanes } }, { carriers: ['baggage'] }));
    try {
      const headers = { tracestate: 'ctx=lane:gray', baggage: 'lane=blue' };
      expect(await upstreamOf(both.gateway.url, headers)).toBe('blue');
      expect(await upstreamOf(both.gateway.url, { tracestate: 'ctx=lane:gray' })).toBe('gray');
      expect(await upstreamOf(onlyBaggage.gateway.url, { tracestate: 'ctx=lane:gray' })).toBe('default');
    } finally {
      await Promise.all([both.close(), onlyBaggage.close()]);
      await Promise.all([d.close(), g.close(), b.close()]);
    }
  });
});
