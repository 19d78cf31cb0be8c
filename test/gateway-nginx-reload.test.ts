import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GatewayEvent, type NginxGateway, parseGatewayConfig, startNginxGateway } from '@lanes/gateway';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig, upstreamOf, waitFor } from './support/gateway.js';
import { retryOnceIfCut, startLoadLoop } from './support/load-loop.js';
import { startUpstream, type Upstream } from './support/upstream.js';

function configWith(replica: string): unknown {
  return testConfig({ shop: { lanes: { default: { replicas: [replica] } } } }, { engine: 'nginx' });
}

/** The nginx engine's reload (SIGHUP to the master) under constant load, as gateway-reload.test.ts does for Node. */
describe('nginx engine: reload without dropping requests', () => {
  let dir: string;
  let file: string;
  let a: Upstream;
  let b: Upstream;
  let c: Upstream;
  let gw: NginxGateway;
  const events: GatewayEvent[] = [];

  beforeAll(async () => {
    [a, b, c] = await Promise.all([startUpstream('a'), startUpstream('b'), startUpstream('c')]);
    dir = await mkdtemp(join(tmpdir(), 'lanes-nginx-reload-'));
    file = join(dir, 'gateway.json');
    await writeFile(file, JSON.stringify(configWith(a.url)));
    gw = await startNginxGateway({
      config: parseGatewayConfig(configWith(a.url)),
      configFile: file,
      onEvent: (e) => events.push(e),
    });
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all([a.close(), b.close(), c.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('switches replicas by signal and by file change under constant load with zero failed requests', async () => {
    // A request cut at the instant of a reload is retried once (retryOnceIfCut says why); any answer but a 200,
    // and any failure after that one retry, still fails the test.
    let retried = 0;
    const load = startLoadLoop(8, () =>
      retryOnceIfCut(
        async (dispatcher) => {
          const response = await request(gw.url, { ...(dispatcher && { dispatcher }) });
          await response.body.text();
          if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
        },
        () => {
          retried += 1;
        },
      ),
    );
    await load.waitForAnswers(50);
    await writeFile(file, JSON.stringify(configWith(b.url)));
    // What `lanes gateway` does on SIGHUP; it resolves once nginx's new workers answer. A kept-alive connection
    // may still reach an old worker for one more request before it closes, so the switch is awaited, not assumed.
    await gw.reloadFromFile('signal');
    await waitFor(async () => (await upstreamOf(gw.url)) === 'b', 'b serves after the signal', 15_000);
    await load.waitForAnswers(50);
    await writeFile(file, JSON.stringify(configWith(c.url)));
    await waitFor(async () => (await upstreamOf(gw.url)) === 'c', 'c serves after the file change', 15_000);
    await load.waitForAnswers(50);
    await load.stop();
    expect(load.failures).toEqual([]);
    expect(load.answers.length).toBeGreaterThan(150);
    const sources = events.filter((e) => e.event === 'reloaded').map((e) => (e as { source: string }).source);
    expect(sources).toEqual(expect.arrayContaining(['signal', 'file']));
    // Only requests cut at the instant of a reload were retried, not a share of all traffic: per reload that happened
    // (a file write can reload more than once), at most two per loop (its kept-alive connection cut as an old worker
    // closes it, then its new connection accepted by an old worker in the 100 ms before nginx tells old workers to
    // stop, and cut again). Seen: 5 to 21 retries over 2 or 3 reloads and 2,000 to 3,900 answers.
    expect(retried).toBeLessThanOrEqual(2 * 8 * sources.length);
  });

  it('keeps the configuration in force when the new one is invalid, and says why', async () => {
    await writeFile(file, JSON.stringify(testConfig({ shop: { lanes: { default: { replicas: ['nope'] } } } })));
    await expect(gw.reloadFromFile('signal')).rejects.toThrow(/replicas\[0\]/);
    const failed = events.filter((e) => e.event === 'reload-failed');
    expect(failed.at(-1)).toMatchObject({ source: 'signal' });
    for (let i = 0; i < 5; i++) expect(await upstreamOf(gw.url)).toBe('c');
  });
});
