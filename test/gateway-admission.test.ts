import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateTokenKey, signLaneToken } from '@lanes/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLanes } from './support/cli.js';
import { get, startTestGateway, type TestGateway, testConfig } from './support/gateway.js';
import { startUpstream, type Upstream } from './support/upstream.js';

const dir = mkdtempSync(join(tmpdir(), 'gateway-admission-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The value of one counter line of `GET /metrics`, 0 when the line is absent. */
async function counter(gw: TestGateway, name: string, labels: string): Promise<number> {
  const text = (await get(`${gw.gateway.adminUrl}/metrics`)).body;
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}
const stripped = (gw: TestGateway, lane: string, reason: string, service = 'shop') =>
  counter(gw, 'lanes_gateway_lane_stripped_total', `service="${service}",lane="${lane}",reason="${reason}"`);
const admitted = (gw: TestGateway, lane: string, service = 'shop') =>
  counter(gw, 'lanes_gateway_lane_admitted_total', `service="${service}",lane="${lane}"`);

/** Sends one request and returns who answered and the headers the upstream saw. */
async function through(url: string, headers: Record<string, string>) {
  const response = await get(url, headers);
  const seen = response.json<{ upstream: string; headers: Record<string, string | undefined> }>();
  return { upstream: seen.upstream, headers: seen.headers };
}

describe('lane admission, end to end on loopback', () => {
  let upstreams: Record<string, Upstream>;
  let gw: TestGateway;
  let url: string;
  let key: Uint8Array;
  const keyFile = join(dir, 'state', 'lane-token.key');

  beforeAll(async () => {
    const names = ['default', 'gray', 'demo', 'cart-default', 'cart-blue'];
    const started = await Promise.all(names.map((name) => startUpstream(name)));
    upstreams = Object.fromEntries(names.map((name, i) => [name, started[i]!]));
    gw = await startTestGateway(
      testConfig(
        {
          shop: {
            lanes: {
              default: { replicas: [upstreams.default!.url] },
              gray: { replicas: [upstreams.gray!.url], weight: 0 },
              demo: { replicas: [upstreams.demo!.url] },
            },
          },
          cart: {
            match: { pathPrefix: '/cart' },
            lanes: {
              default: { replicas: [upstreams['cart-default']!.url], weight: 0 },
              gray: { replicas: [upstreams.gray!.url], weight: 0 },
              blue: { replicas: [upstreams['cart-blue']!.url], weight: 100 },
            },
          },
        },
        // 127.0.0.1 is outside the trusted range, so this test's client is an outsider.
        { admission: { trusted: ['10.0.0.0/8'], tokens: { keyFile }, openLanes: ['default', 'demo'] } },
      ),
    );
    url = `${gw.gateway.url}/items`;
    key = loadOrCreateTokenKey(keyFile);
  });
  afterAll(async () => {
    await gw.close();
    await Promise.all(Object.values(upstreams).map((u) => u.close()));
  });

  it('sends an untrusted tracestate tag to default, removing only the ctx member', async () => {
    const before = await stripped(gw, 'gray', 'untrusted');
    const seen = await through(url, { tracestate: 'rojo=00f067aa0ba902b7, ctx=lane:gray,congo=t61rcWkgMzE' });
    expect(seen.upstream).toBe('default');
    expect(seen.headers.tracestate).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    expect(await stripped(gw, 'gray', 'untrusted')).toBe(before + 1);
  });

  it('removes a percent-encoded baggage lane too, keeping the other members byte for byte', async () => {
    const seen = await through(url, { baggage: 'user=Am%C3%A9lie;p=1, lane=gr%61y ,x=%2C' });
    expect(seen.upstream).toBe('default');
    expect(seen.headers.baggage).toBe('user=Am%C3%A9lie;p=1,x=%2C');
  });

  it('treats a stripped request as untagged: weights apply and the chosen lane is forwarded', async () => {
    const seen = await through(`${gw.gateway.url}/cart/1`, { tracestate: 'ctx=lane:gray' });
    expect(seen.upstream).toBe('cart-blue');
    expect(seen.headers.tracestate).toBe('ctx=lane:blue');
    expect(await stripped(gw, 'gray', 'untrusted', 'cart')).toBeGreaterThan(0);
  });

  it('lets anyone into an open lane', async () => {
    const before = await admitted(gw, 'demo');
    expect((await through(url, { tracestate: 'ctx=lane:demo' })).upstream).toBe('demo');
    expect(await admitted(gw, 'demo')).toBe(before + 1);
  });

  it('admits a valid token for the lane asked for, in a header or in baggage', async () => {
    const token = signLaneToken(key, 'gray', Date.now() + 3_600_000);
    const before = await admitted(gw, 'gray');
    const viaHeader = await through(url, { tracestate: 'ctx=lane:gray', 'x-lane-token': token });
    expect(viaHeader.upstream).toBe('gray');
    expect(viaHeader.headers.tracestate).toBe('ctx=lane:gray');
    const viaBaggage = await through(url, { baggage: `lane=gray,lane-token=${token}` });
    expect(viaBaggage.upstream).toBe('gray');
    expect(await admitted(gw, 'gray')).toBe(before + 2);
  });

  it.each([
    ['token-expired', () => signLaneToken(key, 'gray', Date.now() - 1000)],
    ['token-wrong-lane', () => signLaneToken(key, 'demo', Date.now() + 3_600_000)],
    ['token-forged', () => signLaneToken(Buffer.alloc(32, 7), 'gray', Date.now() + 3_600_000)],
    ['token-malformed', () => 'v1.gray.not-a-token'],
    // Within the signature's reach, but past this gateway's maxTtlMs (one day by default).
    ['token-too-long', () => signLaneToken(key, 'gray', Date.now() + 2 * 86_400_000)],
  ])('strips the lane with reason %s', async (reason, token) => {
    const before = await stripped(gw, 'gray', reason);
    const seen = await through(url, { tracestate: 'ctx=lane:gray', 'x-lane-token': token() });
    expect(seen.upstream).toBe('default');
    expect(seen.headers.tracestate).toBeUndefined();
    expect(await stripped(gw, 'gray', reason)).toBe(before + 1);
  });

  it('reads no lane from badly percent-encoded baggage, and counts it', async () => {
    const before = await stripped(gw, 'default', 'bad-encoding');
    const seen = await through(url, { baggage: 'lane=gr%6,k=v' });
    expect(seen.upstream).toBe('default');
    expect(seen.headers.baggage).toBe('k=v');
    expect(await stripped(gw, 'default', 'bad-encoding')).toBe(before + 1);
  });
});

describe('lane admission behind a trusted proxy (trustedHops)', () => {
  let defaultLane: Upstream;
  let gray: Upstream;
  let gw: TestGateway;
  let url: string;

  beforeAll(async () => {
    [defaultLane, gray] = await Promise.all([startUpstream('default'), startUpstream('gray')]);
    gw = await startTestGateway(
      testConfig(
        { shop: { lanes: { default: { replicas: [defaultLane.url] }, gray: { replicas: [gray.url] } } } },
        // This test's client plays the proxy at 127.0.0.1; the client behind it is the last X-Forwarded-For entry.
        { admission: { trusted: ['127.0.0.0/8', '10.0.0.0/8'], trustedHops: 1 } },
      ),
    );
    url = `${gw.gateway.url}/`;
  });
  afterAll(async () => {
    await gw.close();
    await Promise.all([defaultLane.close(), gray.close()]);
  });

  it('judges the client the proxy saw, not the proxy and not what the client wrote', async () => {
    const tag = { tracestate: 'ctx=lane:gray' };
    expect((await through(url, { ...tag, 'x-forwarded-for': '10.1.2.3' })).upstream).toBe('gray');
    expect((await through(url, { ...tag, 'x-forwarded-for': '198.51.100.7' })).upstream).toBe('default');
    // The outsider wrote "10.9.9.9" itself; the proxy appended the address it really saw.
    expect((await through(url, { ...tag, 'x-forwarded-for': '10.9.9.9, 198.51.100.7' })).upstream).toBe('default');
    expect((await through(url, { ...tag, 'x-forwarded-for': 'garbage' })).upstream).toBe('default');
    // No header: the trusted proxy itself is the client.
    expect((await through(url, tag)).upstream).toBe('gray');
  });
});

describe('lane admission defaults', () => {
  it('trusts a loopback client when the block is absent', async () => {
    const [defaultLane, gray] = await Promise.all([startUpstream('default'), startUpstream('gray')]);
    const gw = await startTestGateway(
      testConfig({ shop: { lanes: { default: { replicas: [defaultLane.url] }, gray: { replicas: [gray.url] } } } }),
    );
    try {
      expect((await through(`${gw.gateway.url}/`, { tracestate: 'ctx=lane:gray' })).upstream).toBe('gray');
      expect(await admitted(gw, 'gray')).toBe(1);
    } finally {
      await gw.close();
      await Promise.all([defaultLane.close(), gray.close()]);
    }
  });

  it('refuses to start with a key file others can read', async () => {
    const keyFile = join(dir, 'readable.key');
    writeFileSync(keyFile, `${'ab'.repeat(32)}\n`);
    chmodSync(keyFile, 0o644);
    const raw = testConfig(
      { shop: { lanes: { default: { replicas: ['http://127.0.0.1:1'] } } } },
      { admission: { tokens: { keyFile } } },
    );
    await expect(startTestGateway(raw)).rejects.toThrow(/admission\.tokens\.keyFile.*chmod 600/s);
  });

  it('refuses it once, as a config issue, in front of several workers', async () => {
    const keyFile = join(dir, 'workers-readable.key');
    writeFileSync(keyFile, `${'cd'.repeat(32)}\n`);
    chmodSync(keyFile, 0o604);
    const file = join(dir, 'workers.json');
    const services = { shop: { lanes: { default: { replicas: ['http://127.0.0.1:1'] } } } };
    writeFileSync(file, JSON.stringify(testConfig(services, { admission: { tokens: { keyFile } } })));
    const cli = runLanes(['gateway', '--config', file, '--workers', '2']);
    try {
      expect(await cli.exit()).toBe(2);
      expect(cli.stderr()).toContain('admission.tokens.keyFile');
      expect(cli.stderr()).toContain(`chmod 600 ${keyFile}`);
    } finally {
      cli.child.kill('SIGKILL');
    }
  }, 30_000);
});
