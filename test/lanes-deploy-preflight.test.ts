import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openProject } from '@lanes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLanesInProcess } from './support/cli.js';
import { createProject } from './support/lanes-project.js';

// A command or working folder that is not there fails every start attempt the same way: it is named before
// anything starts (exit 2), not after the circuit breaker has tried maxStartFailures times (exit 3).
describe('lanes deploy checks that the revision can start before it starts anything', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await createProject({ api: { pathPrefix: '/' } });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function nothingStarted(): Promise<void> {
    const session = await openProject({ dir, io: { notify: () => undefined } });
    try {
      const gray = { env: session.project.env, service: 'api', lane: 'gray' };
      expect(session.store.getLane(gray)).toBeUndefined();
      expect(session.store.listReplicas({ laneKey: gray })).toEqual([]);
    } finally {
      session.close();
    }
  }

  it('names a --cwd that does not exist, exit 2', async () => {
    const result = await runLanesInProcess(['deploy', '--project', dir, 'api', 'gray', '--cwd', 'no-such-folder']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(join(dir, 'no-such-folder'));
    expect(result.stderr).toContain('the working directory does not exist');
    expect(result.stderr).toContain('nothing was deployed');
    await nothingStarted();
  });

  it('names a command that is not on PATH, exit 2', async () => {
    const result = await runLanesInProcess([
      'deploy',
      '--project',
      dir,
      'api',
      'gray',
      '--command',
      'lanes-no-such-binary --port 1',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('lanes-no-such-binary was not found on PATH');
    await nothingStarted();
  });

  it('names a relative program that does not exist in the working folder, exit 2', async () => {
    const result = await runLanesInProcess(['deploy', '--project', dir, 'api', 'gray', '--command', './missing.sh']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${join(dir, 'missing.sh')} does not exist`);
    await nothingStarted();
  });
});
