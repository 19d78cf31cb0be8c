import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from './ports.js';
import { readLastLines } from './read-last-lines.js';
import { startReplica } from './start-replica.js';
import { stopReplica } from './stop-replica.js';
import { waitHealthy } from './wait-healthy.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

let workDir: string;
const startedPids: number[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'lanes-health-'));
});

afterEach(async () => {
  await Promise.all(startedPids.splice(0).map((pid) => stopReplica(pid, { graceMs: 200 })));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

async function start(script: string) {
  const port = await findFreePort();
  const logFile = join(workDir, `${script}-${port}.log`);
  const run = { command: [process.execPath, join(fixtures, script)], cwd: fixtures, env: {}, portEnv: 'PORT' };
  const result = startReplica({ run, port, logFile });
  if (result.type !== 'started') throw new Error(result.message);
  startedPids.push(result.pid);
  return { pid: result.pid, logFile, url: `http://127.0.0.1:${port}` };
}

describe('waitHealthy', () => {
  it('waits through refused connections until a slow replica listens', async () => {
    const replica = await start('slow-start.mjs');
    const health = await waitHealthy({ url: replica.url, path: '/healthz', timeoutMs: 10_000, pid: replica.pid });
    expect(health).toEqual({ type: 'healthy', afterMs: expect.any(Number) });
  });

  it('ends with exited, well before the timeout, when the command crashes; its log keeps the error', async () => {
    const replica = await start('crash.mjs');
    // The timeout is far beyond the test's own: reaching it would fail the test.
    const health = await waitHealthy({ url: replica.url, path: '/healthz', timeoutMs: 60_000, pid: replica.pid });
    expect(health.type).toBe('exited');
    const lastLines = await readLastLines(replica.logFile, 3);
    expect(lastLines).toContain('fatal: cannot connect to database at db.invalid:5432');
  });

  it('times out with the reason of the last failed check', async () => {
    const replica = await start('http-server.mjs');
    // Listening first, so that every check of the timed wait gets the same answer.
    expect((await waitHealthy({ ...replica, path: '/healthz', timeoutMs: 10_000 })).type).toBe('healthy');
    const health = await waitHealthy({
      url: replica.url,
      path: '/not-a-health-path',
      timeoutMs: 800,
      intervalMs: 50,
      pid: replica.pid,
    });
    expect(health).toEqual({
      type: 'timeout',
      afterMs: expect.any(Number),
      lastError: 'GET /not-a-health-path answered 404',
    });
  });

  it('rejects with the reason of its signal when it aborts', async () => {
    const replica = await start('http-server.mjs');
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('deploy cancelled')), 300);
    const waiting = waitHealthy({
      url: replica.url,
      path: '/not-a-health-path',
      timeoutMs: 60_000,
      pid: replica.pid,
      signal: controller.signal,
    });
    await expect(waiting).rejects.toThrow('deploy cancelled');
  });

  it('keeps a base path of the url', async () => {
    const replica = await start('http-server.mjs');
    const health = await waitHealthy({ url: `${replica.url}/`, path: 'healthz', timeoutMs: 10_000, pid: replica.pid });
    expect(health.type).toBe('healthy');
  });
});
