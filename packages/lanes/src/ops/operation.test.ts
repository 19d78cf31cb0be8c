import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentIoHost } from '../io-host.js';
import type { Project } from '../model.js';
import type { LaneKey } from '../state/lane-key.js';
import { StateStore } from '../state/state-store.js';
import type { OpsContext } from './context.js';
import { beginOperation } from './operation.js';

const gray: LaneKey = { env: 'dev', service: 'shop', lane: 'gray' };
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const done of cleanup.splice(0)) done();
});

function context(): OpsContext {
  const dir = mkdtempSync(join(tmpdir(), 'lanes-begin-op-'));
  const store = StateStore.open(dir);
  cleanup.push(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { project: {} as Project, store, io: silentIoHost };
}

function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid;
}

describe('beginOperation', () => {
  it('waits for another process’s recovery of a killed operation instead of answering busy', async () => {
    const ctx = context();
    const killed = ctx.store.beginOperation('deploy', [gray], deadPid());
    if (killed.type !== 'started') throw new Error('setup');
    // Another process (here: this one, so it is alive) takes the stale lock over to recover it...
    expect(ctx.store.takeOverOperation(killed.operation.id).type).toBe('taken');
    const begun = beginOperation(ctx, 'deploy', [gray]);
    // ...and finishes the recovery once the command is already waiting for the lock.
    let settled = false;
    void begun.then(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(settled).toBe(false);
    ctx.store.finishOperation(killed.operation.id, 'reverted');
    expect((await begun).type).toBe('started');
  });

  it('answers busy at once for a lock held by a live command', async () => {
    const ctx = context();
    const live = ctx.store.beginOperation('deploy', [gray]);
    if (live.type !== 'started') throw new Error('setup');
    const begun = await beginOperation(ctx, 'promote', [gray]);
    expect(begun).toMatchObject({ type: 'busy', holder: { operationId: live.operation.id, pid: process.pid } });
  });
});
