import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, startTestGateway, type TestGateway, testConfig, upstreamOf } from './support/gateway.js';
import { startUpstream, type Upstream } from './support/upstream.js';

/** Real Level 2 tracestate headers from other vendors that a Level 1 key grammar discards, lane included. */
const LEVEL_2_HEADERS = [
  ['an @ ending a key', 'foo@=1,ctx=lane:gray'],
  ['242 chars before @', `${'t'.repeat(242)}@v=1,ctx=lane:gray`],
  ['a 256-char key with @ second', `t@${'v'.repeat(254)}=1,ctx=lane:gray`],
  ['a repeated key of another vendor', 'dd=1,ctx=lane:gray,dd=2'],
  ['the repeated key split over two fields', ['dd=1,ctx=lane:gray', 'dd=2']],
] as const;

describe('the gateway reads tracestate by W3C Trace Context Level 2', () => {
  let upstreams: Upstream[] = [];
  let level2: TestGateway;
  let level1: TestGateway;

  beforeAll(async () => {
    upstreams = await Promise.all(['default', 'gray'].map((lane) => startUpstream(lane)));
    const lanes = Object.fromEntries(upstreams.map((u) => [u.name, { replicas: [u.url] }]));
    level2 = await startTestGateway(testConfig({ shop: { lanes } }));
    level1 = await startTestGateway(testConfig({ shop: { lanes } }, { traceContext: { level: 1 } }));
  });
  afterAll(async () => {
    await level2?.close();
    await level1?.close();
    await Promise.all(upstreams.map((u) => u.close()));
  });

  it.each(LEVEL_2_HEADERS)('keeps the lane next to %s', async (_name, tracestate) => {
    expect(await upstreamOf(`${level2.gateway.url}/items`, { tracestate: [...[tracestate].flat()] })).toBe('gray');
  });

  it.each(LEVEL_2_HEADERS)('with traceContext.level 1, ignores the header with %s', async (_name, tracestate) => {
    expect(await upstreamOf(`${level1.gateway.url}/items`, { tracestate: [...[tracestate].flat()] })).toBe('default');
  });

  it('a repeated ctx member routes by the left-most one', async () => {
    expect(await upstreamOf(`${level2.gateway.url}/items`, { tracestate: 'ctx=lane:gray,ctx=lane:default' })).toBe(
      'gray',
    );
  });

  it('forwards a Level 2 tracestate byte for byte', async () => {
    const tracestate = `foo@=1,${'t'.repeat(242)}@v=2,ctx=lane:gray`;
    const response = await get(`${level2.gateway.url}/items`, { tracestate });
    const seen = response.json<{ headers: Record<string, string> }>().headers;
    expect(response.headers['x-upstream']).toBe('gray');
    expect(seen.tracestate).toBe(tracestate);
  });
});

describe('a lane the gateway chooses is written into a Level 2 tracestate', () => {
  let upstream: Upstream;
  const gateways: Partial<Record<1 | 2, TestGateway>> = {};

  beforeAll(async () => {
    upstream = await startUpstream('gray');
    // Every untagged request goes to gray by weight, so the gateway writes ctx=lane:gray downstream.
    const lanes = { default: { replicas: [upstream.url], weight: 0 }, gray: { replicas: [upstream.url], weight: 100 } };
    for (const level of [1, 2] as const) {
      gateways[level] = await startTestGateway(testConfig({ shop: { lanes } }, { traceContext: { level } }));
    }
  });
  afterAll(async () => {
    await Promise.all(Object.values(gateways).map((gw) => gw.close()));
    await upstream?.close();
  });

  it.each([
    [2, 'ctx=lane:gray,foo@=1,dd=1'],
    [1, 'ctx=lane:gray'],
  ] as const)('at level %i the forwarded tracestate is %s', async (level, expected) => {
    const response = await get(`${gateways[level]!.gateway.url}/items`, { tracestate: 'foo@=1,dd=1,dd=2' });
    expect(response.json<{ headers: Record<string, string> }>().headers.tracestate).toBe(expected);
  });
});
