import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get } from './support/gateway.js';
import { startUpstream, type Upstream } from './support/upstream.js';

const SERVICE = fileURLToPath(new URL('../packages/trace-context/conformance/w3c-test-service.js', import.meta.url));
const TRACE = '12345678901234567890123456789012';
const PARENT = '1234567890123456';

/** Starts the service the W3C suite drives, as a real process, and resolves with its /test URL. */
async function startService(level: 1 | 2): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [SERVICE, '--port', '0', '--level', String(level)], { stdio: 'pipe' });
  let out = '';
  child.stdout.setEncoding('utf8');
  for await (const chunk of child.stdout) {
    out += chunk;
    const url = /^listening (\S+)/m.exec(out)?.[1];
    if (url) return { child, url };
  }
  throw new Error(`the service exited before listening: ${out}`);
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

/** What the suite does: POST the list of callbacks with trace headers, then read what each callback received. */
async function drive(url: string, callbacks: string[], headers: Record<string, string | string[]>) {
  const body = JSON.stringify(callbacks.map((cb) => ({ url: cb, arguments: [] })));
  const flat = Object.entries({ 'content-type': 'application/json', ...headers }).flatMap(([name, value]) =>
    [value].flat().flatMap((v) => [name, v]),
  );
  const response = await request(url, { method: 'POST', headers: flat, body });
  return { status: response.statusCode, body: await response.body.text() };
}

describe.each([1, 2] as const)('the W3C suite test service at Trace Context level %i', (level) => {
  let service: { child: ChildProcess; url: string } | undefined;
  let harness: Upstream;

  beforeAll(async () => {
    harness = await startUpstream('harness');
    service = await startService(level);
  });
  afterAll(async () => {
    await stop(service?.child);
    await harness?.close();
  });

  const received = () => harness.seen.splice(0).map((seen) => seen.headers);

  it('continues a valid trace: same trace id, a new parent id per call, its own member on the left', async () => {
    const tracestate = ['foo@=1,bar=2', 'bar=3'];
    const cbs = [`${harness.url}/s.0`, `${harness.url}/s.1`];
    expect((await drive(service!.url, cbs, { traceparent: `00-${TRACE}-${PARENT}-03`, tracestate })).status).toBe(200);
    const calls = received();
    expect(calls).toHaveLength(2);
    const parents = calls.map((h) => {
      const [version, trace, parent, flags] = String(h.traceparent).split('-');
      expect([version, trace, flags]).toEqual(['00', TRACE, level === 2 ? '03' : '01']);
      expect(h.tracestate).toBe(level === 2 ? `lanes=${parent},foo@=1,bar=2` : `lanes=${parent}`);
      return parent;
    });
    expect(new Set([...parents, PARENT]).size).toBe(3);
  });

  it('restarts an invalid trace and drops its tracestate', async () => {
    const headers = { traceparent: [`00-${TRACE}-${PARENT}-01`, `00-${TRACE}-${PARENT}-01`], tracestate: 'foo=1' };
    expect((await drive(service!.url, [`${harness.url}/s.0`], headers)).status).toBe(200);
    const [call] = received();
    const [, trace, parent] = String(call?.traceparent).split('-');
    expect(trace).not.toBe(TRACE);
    expect(call?.tracestate).toBe(`lanes=${parent}`);
  });

  it('refuses a body that is not a list of loopback callbacks, saying why', async () => {
    expect(await drive(service!.url, ['http://example.com/x'], {})).toEqual({
      status: 400,
      body: JSON.stringify({ error: '[0].url: expected an http:// URL on a loopback host' }),
    });
    expect((await get(service!.url)).status).toBe(404);
    expect(received()).toEqual([]);
  });
});
