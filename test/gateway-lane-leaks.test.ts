import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLaneLeaks } from '@lanes/core';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChainAnswer, lanesOf, newTraceparent } from './support/call-chain.js';
import { type CliProcess, runLanes, runNodeScript } from './support/cli.js';
import { get, testConfig, waitFor } from './support/gateway.js';
import { startUpstream } from './support/upstream.js';

const SERVICE = fileURLToPath(new URL('./fixtures/lane-service.mjs', import.meta.url));
/** The chain: a calls b, b calls c, each through the gateway. */
const CHAIN = [
  { name: 'a', downstream: '/b' },
  { name: 'b', downstream: '/c' },
  { name: 'c', downstream: undefined },
] as const;
const LEAK = 'lanes_gateway_lane_leaks_total{from="b",to="c",lane="gray"}';

interface Replica {
  process: CliProcess;
  url: string;
}

function leakCount(metrics: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(LEAK));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

/**
 * Three services (a -> b -> c), each a real process per lane calling the next one through a real gateway process.
 * The gray build of b propagates by hand and forwards only `traceparent`, as code that knows about tracing but not
 * about `tracestate` and `baggage` would; another gray build of b (the replica `b-gray`) forwards everything.
 */
describe('lane-leak detection, end to end', () => {
  let dir: string;
  let gateway: CliProcess;
  let gatewayUrl: string;
  let adminUrl: string;
  const replicas = new Map<string, Replica>();
  let reloads = 0;

  async function startReplica(key: string, env: Record<string, string>): Promise<void> {
    const child = runNodeScript(SERVICE, [], {
      env: { PORT: '0', LANES_GATEWAY_URL: gatewayUrl, LANES_REVISION: '1', ...env },
    });
    replicas.set(key, { process: child, url: '' });
    const port = (await child.waitForLine((line) => line.startsWith('listening '))).split(' ')[1];
    replicas.set(key, { process: child, url: `http://127.0.0.1:${port}` });
  }

  /** Rewrites the config file and waits until the gateway (which watches it) has reloaded. */
  async function configure(bGray: 'b-gray-drops' | 'b-gray', leaks: { enabled: boolean }): Promise<void> {
    const services: Record<string, unknown> = {};
    for (const { name } of CHAIN) {
      const gray = name === 'b' ? bGray : `${name}-gray`;
      services[name] = {
        match: { pathPrefix: `/${name}` },
        lanes: {
          default: { replicas: [replicas.get(`${name}-default`)!.url] },
          gray: { replicas: [replicas.get(gray)!.url] },
        },
      };
    }
    await writeFile(join(dir, 'gateway.json'), JSON.stringify(testConfig(services, { accessLog: false, leaks })));
    reloads += 1;
    const seen = reloads;
    await waitFor(
      () => gateway.lines.filter((line) => line.includes('"reloaded"')).length >= seen,
      `reload ${seen}`,
      20_000,
    );
  }

  /** One chain request that starts in gray, with a trace of its own; resolves with the lanes that answered. */
  async function callChain(): Promise<{ traceId: string; lanes: string[] }> {
    const traceparent = newTraceparent();
    const traceId = traceparent.slice(3, 35);
    const response = await get(`${gatewayUrl}/a`, {
      traceparent,
      tracestate: 'ctx=lane:gray,vendor=x',
      baggage: 'lane=gray',
    });
    expect(response.status).toBe(200);
    return { traceId, lanes: lanesOf(response.json<ChainAnswer>()) };
  }

  const metrics = async (): Promise<string> => (await get(`${adminUrl}/metrics`)).body;
  const leakEvents = () => gateway.lines.filter((line) => line.includes('"lane-leak"')).map((l) => JSON.parse(l));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lanes-leaks-'));
    const empty = Object.fromEntries(
      CHAIN.map(({ name }) => [name, { match: { pathPrefix: `/${name}` }, lanes: { default: { replicas: [] } } }]),
    );
    await writeFile(join(dir, 'gateway.json'), JSON.stringify(testConfig(empty)));
    gateway = runLanes(['gateway', '--config', join(dir, 'gateway.json'), '--json']);
    const listening = JSON.parse(await gateway.waitForLine((line) => line.includes('"listening"'), 30_000));
    gatewayUrl = listening.url;
    adminUrl = listening.adminUrl;
    const starts: Promise<void>[] = [];
    for (const { name, downstream } of CHAIN) {
      for (const lane of ['default', 'gray']) {
        const env = { LANES_SERVICE: name, LANES_LANE: lane, ...(downstream ? { DOWNSTREAM: downstream } : {}) };
        starts.push(startReplica(`${name}-${lane}`, env));
        if (name === 'b' && lane === 'gray')
          starts.push(startReplica('b-gray-drops', { ...env, FORWARD: 'traceparent' }));
      }
    }
    await Promise.all(starts);
  }, 120_000);

  afterAll(async () => {
    for (const replica of replicas.values()) replica.process.child.kill('SIGTERM');
    await Promise.all([...replicas.values()].map((replica) => replica.process.exit()));
    gateway?.child.kill('SIGTERM');
    await gateway?.exit();
    await rm(dir, { recursive: true, force: true });
  });

  it('counts no leak while every service passes the lane on', async () => {
    await configure('b-gray', { enabled: true });
    for (let i = 0; i < 3; i++) expect((await callChain()).lanes).toEqual(['a/gray', 'b/gray', 'c/gray']);
    expect(leakCount(await metrics())).toBe(0);
    expect(leakEvents()).toEqual([]);
  });

  it('reports the leak from b to c in gray when b forwards only traceparent', async () => {
    await configure('b-gray-drops', { enabled: true });
    const chain = await callChain();
    expect(chain.lanes).toEqual(['a/gray', 'b/gray', 'c/default']);
    const text = await metrics();
    expect(leakCount(text)).toBe(1);
    // What `lanes status` reads from the same text.
    expect(parseLaneLeaks(text)).toEqual([{ from: 'b', to: 'c', lane: 'gray', count: 1 }]);
    const event = JSON.parse(await gateway.waitForLine((line) => line.includes('"lane-leak"')));
    expect(event).toMatchObject({ event: 'lane-leak', traceId: chain.traceId, from: 'b', to: 'c', lane: 'gray' });
    expect(event.carried).toBeUndefined();
    await callChain();
    expect(leakCount(await metrics())).toBe(2);
    await waitFor(() => leakEvents().length === 2, 'the second lane-leak event');
  });

  it('counts nothing with leaks.enabled false, though the chain still leaks', async () => {
    await configure('b-gray-drops', { enabled: false });
    const before = leakEvents().length;
    const chain = await callChain();
    expect(chain.lanes).toEqual(['a/gray', 'b/gray', 'c/default']);
    expect(leakCount(await metrics())).toBe(2);
    // The gateway writes events in order: once the next reload is reported, a lane-leak event would have been too.
    await configure('b-gray', { enabled: true });
    expect(leakEvents()).toHaveLength(before);
  });
});

describe('lane-leak detection with --workers', () => {
  it('counts a leak whose hops share a worker, and /metrics adds up the workers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lanes-leaks-workers-'));
    const upstreams = await Promise.all([startUpstream('default'), startUpstream('gray')]);
    const [d, g] = upstreams;
    const lanes = { default: { replicas: [d!.url] }, gray: { replicas: [g!.url] } };
    const services = Object.fromEntries(CHAIN.map(({ name }) => [name, { match: { pathPrefix: `/${name}` }, lanes }]));
    await writeFile(join(dir, 'gateway.json'), JSON.stringify(testConfig(services, { accessLog: false })));
    const cli = runLanes(['gateway', '--config', join(dir, 'gateway.json'), '--json', '--workers', '2']);
    // One keep-alive connection: every hop of the chain reaches the same worker (connections are what the
    // workers share out), as when the calling services happen to share one.
    let pool: Pool | undefined;
    try {
      const listening = JSON.parse(await cli.waitForLine((line) => line.includes('"listening"'), 30_000));
      pool = new Pool(listening.url, { connections: 1 });
      const traceparent = newTraceparent();
      const hop = async (path: string, lane: boolean) => {
        const response = await pool!.request({
          path,
          method: 'GET',
          headers: { traceparent, ...(lane ? { tracestate: 'ctx=lane:gray' } : {}) },
        });
        await response.body.text();
        return response.headers['x-upstream'];
      };
      expect([await hop('/a', true), await hop('/b', true), await hop('/c', false)]).toEqual([
        'gray',
        'gray',
        'default',
      ]);
      const metrics = (await get(`${listening.adminUrl}/metrics`)).body;
      expect(leakCount(metrics)).toBe(1);
      const event = JSON.parse(await cli.waitForLine((line) => line.includes('"lane-leak"')));
      expect(event).toMatchObject({ from: 'b', to: 'c', lane: 'gray', traceId: traceparent.slice(3, 35) });
    } finally {
      await pool?.close();
      cli.child.kill('SIGTERM');
      await cli.exit();
      await Promise.all(upstreams.map((u) => u.close()));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
