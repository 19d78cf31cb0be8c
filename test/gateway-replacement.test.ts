import { describe, expect, it } from 'vitest';
import { get, startTestGateway, testConfig } from './support/gateway.js';
import { startUpstream, type Upstream } from './support/upstream.js';

/**
 * Issue 14 bug 3, the gateway's half: a replica replaced on the same address was kept out by its passive ejection
 * until ejectMs ran out. A reload checks the replicas it keeps out of rotation again before it answers.
 */
describe('a replica replaced on the same address', () => {
  it('is back in rotation when the reload that follows the replacement answers', async () => {
    const first = await startUpstream('first');
    let second: Upstream | undefined;
    const raw = testConfig({
      shop: {
        healthCheck: { intervalMs: 600_000 }, // no periodic check in between: only the reload can tell
        passiveHealth: { consecutiveFailures: 1, ejectMs: 600_000 },
        lanes: { default: { replicas: [first.url] } },
      },
    });
    const gw = await startTestGateway(raw);
    try {
      expect((await get(gw.gateway.url)).headers['x-upstream']).toBe('first');
      await first.close();
      expect((await get(gw.gateway.url)).status).toBeGreaterThanOrEqual(500);
      second = await startUpstream('second', first.port);
      // Still ejected: the gateway has no reason yet to look again.
      expect((await get(gw.gateway.url)).status).toBe(503);
      await gw.gateway.applyConfig(raw, 'api');
      const answers = await Promise.all(Array.from({ length: 5 }, () => get(gw.gateway.url)));
      expect(answers.map((a) => a.headers['x-upstream'])).toEqual(Array(5).fill('second'));
      expect(gw.events).toContainEqual(
        expect.objectContaining({ event: 'replica-health', replica: first.url, healthy: true, via: 'check' }),
      );
    } finally {
      await gw.close();
      await Promise.all([first.close(), second?.close()]);
    }
  });
});
