import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLanes } from './support/cli.js';
import { testConfig, upstreamOf, waitFor } from './support/gateway.js';
import { startUpstream, type Upstream } from './support/upstream.js';

function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('lanes gateway --engine nginx', () => {
  let dir: string;
  let a: Upstream;
  let b: Upstream;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lanes-nginx-cli-'));
    [a, b] = await Promise.all([startUpstream('a'), startUpstream('b')]);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('runs nginx on the rendered config, reloads it on SIGHUP and stops it with itself', async () => {
    const file = join(dir, 'gateway.json');
    const config = (url: string) => JSON.stringify(testConfig({ shop: { lanes: { default: { replicas: [url] } } } }));
    await writeFile(file, config(a.url));
    const cli = runLanes(['gateway', '--engine', 'nginx', '--config', file, '--json']);
    let url = '';
    try {
      const first = JSON.parse(await cli.waitForLine(() => true));
      expect(first).toMatchObject({ event: 'listening' });
      url = first.url;
      expect(await upstreamOf(url, { tracestate: 'ctx=lane:gray' })).toBe('a');
      await writeFile(file, config(b.url));
      cli.child.kill('SIGHUP');
      await cli.waitForLine((line) => line.includes('"reloaded"'));
      await waitFor(async () => (await upstreamOf(url)) === 'b', 'b serves after SIGHUP', 15_000);
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exit(), cli.stderr()).toBe(0);
    // The nginx master and its workers went with the command: nothing listens on the port any more.
    expect(await refusesConnections(url)).toBe(true);
  });

  it('fails when nginx dies under it, saying so', async () => {
    const file = join(dir, 'dies.json');
    await writeFile(file, JSON.stringify(testConfig({ shop: { lanes: { default: { replicas: [a.url] } } } })));
    const cli = runLanes(['gateway', '--engine', 'nginx', '--config', file, '--json']);
    try {
      const url: string = JSON.parse(await cli.waitForLine((line) => line.includes('"listening"'))).url;
      // The nginx master is the command's child process.
      const master = Number(execFileSync('ps', ['-o', 'pid=', '--ppid', String(cli.child.pid)], { encoding: 'utf8' }));
      expect(master).toBeGreaterThan(0);
      process.kill(master, 'SIGKILL');
      expect(await cli.exit()).toBe(1);
      expect(cli.stderr()).toMatch(/nginx exited unexpectedly \(code null, signal SIGKILL\)/);
      // Its workers went too: nothing holds the port any more.
      await waitFor(async () => refusesConnections(url), 'the port is free');
    } finally {
      cli.child.kill('SIGTERM');
    }
  });

  it('refuses a setting nginx cannot honour, naming it', async () => {
    const file = join(dir, 'tokens.json');
    const raw = testConfig(
      { shop: { lanes: { default: { replicas: [a.url] } } } },
      { engine: 'nginx', admission: { trustedHops: 2 } },
    );
    await writeFile(file, JSON.stringify(raw));
    const cli = runLanes(['gateway', '--config', file]);
    expect(await cli.exit()).toBe(2);
    expect(cli.stderr()).toMatch(/admission\.trustedHops: trusted proxy hops .* not supported by the nginx engine/);
  });
});
