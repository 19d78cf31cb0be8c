import { readFile } from 'node:fs/promises';
import { type GatewayEvent, type NginxGateway, parseGatewayConfig, startNginxGateway } from '@lanes/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig, upstreamOf, waitFor } from './support/gateway.js';
import { startUpstream, type Upstream } from './support/upstream.js';

function configWith(...replicas: string[]): unknown {
  return testConfig(
    {
      shop: {
        healthCheck: { path: '/healthz', intervalMs: 100, timeoutMs: 2000 },
        lanes: { default: { replicas } },
      },
    },
    { engine: 'nginx' },
  );
}

/** nginx's worker processes (the master's children): a reload replaces them. */
async function workers(master: number): Promise<string> {
  return (await readFile(`/proc/${master}/task/${master}/children`, 'utf8')).trim();
}

/**
 * Every nginx reload swaps its workers, and an old worker closes its idle keep-alive connections as it stops: a
 * request arriving on one just then is reset. A rolling deploy of `lanes` asked for three (its reload, the file
 * watch reading the same file, the health checks passing the new replicas) where one changed anything.
 */
describe('nginx engine: a reload only when the rendered configuration changes', () => {
  let a: Upstream;
  let b: Upstream;
  let gw: NginxGateway;
  const events: GatewayEvent[] = [];

  beforeAll(async () => {
    [a, b] = await Promise.all([startUpstream('a'), startUpstream('b')]);
    gw = await startNginxGateway({
      config: parseGatewayConfig(configWith(a.url, b.url)),
      onEvent: (event) => events.push(event),
    });
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all([a?.close(), b?.close()]);
  });

  it('keeps nginx as it is for a passed health check and for the same configuration again, and reloads a change', async () => {
    const started = await workers(gw.engine.pid);
    // A replica's first passed check is a health verdict, which asks for a reload; it renders nothing new.
    await waitFor(
      () => events.filter((e) => e.event === 'replica-health' && e.healthy).length === 2,
      'both replicas passed their first check',
    );
    // The same configuration again, as `lanes` sends it twice per change; it runs after the verdicts' reload.
    expect((await gw.applyConfig(configWith(a.url, b.url), 'api')).type).toBe('applied');
    expect(gw.engineReport().reloads).toBe(0);
    expect(await workers(gw.engine.pid)).toBe(started);

    expect((await gw.applyConfig(configWith(b.url), 'api')).type).toBe('applied');
    expect(gw.engineReport().reloads).toBe(1);
    expect(await workers(gw.engine.pid)).not.toBe(started);
    await waitFor(async () => (await upstreamOf(gw.url)) === 'b', 'b alone serves');
  });
});
