import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { findReplicaProcess, replicaMarkers } from './find-replica-process.js';
import { findFreePort } from './ports.js';
import { startReplica } from './start-replica.js';
import { stopReplica } from './stop-replica.js';
import { waitHealthy } from './wait-healthy.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('findReplicaProcess', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0)) await step();
  });

  it('finds a replica by its markers, and only that replica', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'lanes-find-'));
    cleanup.push(() => rm(stateDir, { recursive: true, force: true }));
    const run = {
      command: [process.execPath, join(fixtures, 'http-server.mjs')],
      cwd: fixtures,
      env: {},
      portEnv: 'PORT',
    };
    const started = [7, 8].map(async (id) => {
      const port = await findFreePort();
      const replica = startReplica({
        run,
        port,
        logFile: join(stateDir, `r${id}.log`),
        extraEnv: replicaMarkers(stateDir, id),
      });
      if (replica.type !== 'started') throw new Error(replica.message);
      cleanup.push(() => stopReplica(replica.pid));
      await waitHealthy({ url: `http://127.0.0.1:${port}`, path: '/healthz', timeoutMs: 10_000, pid: replica.pid });
      return replica.pid;
    });
    const [seven, eight] = await Promise.all(started);
    expect(findReplicaProcess(stateDir, 7)).toBe(seven);
    expect(findReplicaProcess(stateDir, 8)).toBe(eight);
    expect(findReplicaProcess(stateDir, 9)).toBeUndefined();
    expect(findReplicaProcess(`${stateDir}-other`, 7)).toBeUndefined();
  });
});
