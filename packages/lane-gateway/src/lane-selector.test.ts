import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from './config.js';
import { LaneSelector } from './lane-selector.js';

/** The selector of service `shop` in a gateway config with these lanes and stickiness. */
function selectorFor(lanes: Record<string, unknown>, stickiness?: unknown): LaneSelector {
  const config = parseGatewayConfig({
    listen: { host: '127.0.0.1', port: 0 },
    admin: { host: '127.0.0.1', port: 0 },
    services: { shop: { lanes, ...(stickiness === undefined ? {} : { stickiness }) } },
  });
  return new LaneSelector(config.services.shop!, config.carriers, config.requireTraceparent);
}

const replicas = ['http://127.0.0.1:1'];
const canary = selectorFor(
  { default: { replicas, weight: 80 }, gray: { replicas, weight: 20 } },
  { header: 'x-user-id' },
);

describe('LaneSelector', () => {
  it('splits sticky keys by weight: 10,000 users land within a point of 20% in gray', () => {
    let gray = 0;
    for (let i = 0; i < 10_000; i++) if (canary.select({ 'x-user-id': `user-${i}` }).lane === 'gray') gray++;
    expect(gray / 10_000).toBeGreaterThan(0.19);
    expect(gray / 10_000).toBeLessThan(0.21);
  });

  it('gives a sticky key the same lane every time and asks to write it downstream', () => {
    for (let i = 0; i < 200; i++) {
      const first = canary.select({ 'x-user-id': `sticky-${i}` });
      expect(first).toMatchObject({ choice: 'sticky', inject: true, requestedLane: undefined });
      expect(canary.select({ 'x-user-id': `sticky-${i}` }).lane).toBe(first.lane);
    }
  });

  it('lets a tag of an existing lane override the split, and falls back to default for an unknown one', () => {
    expect(canary.select({ 'x-user-id': 'u', tracestate: 'ctx=lane:gray' })).toMatchObject({
      lane: 'gray',
      choice: 'tag',
      inject: false,
    });
    expect(canary.select({ tracestate: 'ctx=lane:blue' })).toMatchObject({
      lane: 'default',
      choice: 'fallback',
      requestedLane: 'blue',
    });
  });

  it('sends every untagged request to default when only default has weight', () => {
    const plain = selectorFor({ default: { replicas }, gray: { replicas } });
    for (let i = 0; i < 100; i++) {
      expect(plain.select({ 'x-user-id': `user-${i}` })).toMatchObject({ lane: 'default', choice: 'default' });
    }
  });

  it('hands a cookie to a client without one and honours the cookie afterwards', () => {
    const byCookie = selectorFor(
      { default: { replicas, weight: 50 }, gray: { replicas, weight: 50 } },
      { cookie: 'lane_key' },
    );
    const first = byCookie.select({});
    expect(first.setCookie).toMatch(/^lane_key=[a-z0-9]+; Path=\/; HttpOnly; SameSite=Lax$/);
    const cookie = first.setCookie!.split(';')[0]!;
    for (let n = 0; n < 20; n++) {
      const again = byCookie.select({ cookie: `other=1; ${cookie}` });
      expect(again).toMatchObject({ lane: first.lane, choice: 'sticky', setCookie: undefined });
    }
  });
});
