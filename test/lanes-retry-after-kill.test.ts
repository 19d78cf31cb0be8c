import { rm } from 'node:fs/promises';
import { openProject, type ProjectSession } from '@lanes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLanes, runLanesInProcess } from './support/cli.js';
import { createProject } from './support/lanes-project.js';
import { killReplicaProcesses } from './support/replica-processes.js';

// A CI job killed mid-operation is retried. With the platform down, the retried command itself recovers the dead
// operation (finishing it, since traffic had moved); it must then answer as that operation, exit 0, instead of
// failing ("nothing to promote") or doing it a second time (a second rollback).
describe('a command retried after kill -9 answers as the operation recovery finished', () => {
  let dir: string;
  let session: ProjectSession;
  const gray = { env: 'dev', service: 'api', lane: 'gray' };

  beforeAll(async () => {
    dir = await createProject({ api: { pathPrefix: '/' } });
    session = await openProject({ dir, io: { notify: () => undefined } });
    for (const version of ['v1', 'v2']) {
      const deployed = await runLanesInProcess([
        'deploy',
        '--project',
        dir,
        'api',
        'gray',
        '--set',
        `VERSION=${version}`,
      ]);
      expect(deployed.code, deployed.stderr).toBe(0);
    }
  }, 60_000);
  afterAll(async () => {
    await runLanesInProcess(['down', '--project', dir]);
    // Whatever a failed assertion left running: every replica of this project, found by its markers.
    killReplicaProcesses(session.project.stateDir);
    session.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function killAfterTrafficMoved(args: string[]): Promise<{ pid: number; operationId: number }> {
    const cli = runLanes([...args, '--project', dir, '--json']);
    await cli.waitForLine((line) => line.includes('"TRAFFIC_SHIFTED"'), 30_000);
    const pid = cli.child.pid!;
    cli.child.kill('SIGKILL');
    await cli.exit();
    const operation = session.store.runningOperations().find((o) => o.holderPid === pid);
    expect(operation, 'the killed command left its operation running').toBeDefined();
    return { pid, operationId: operation!.id };
  }

  it('deploy: a retry of the same revision exits 0 and replaces nothing', async () => {
    const killed = await killAfterTrafficMoved(['deploy', 'api', 'gray', '--set', 'VERSION=v3']);
    const retry = await runLanesInProcess(['deploy', '--project', dir, 'api', 'gray', '--set', 'VERSION=v3']);
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.stdout).toContain(
      `deploy #${killed.operationId} (left unfinished by pid ${killed.pid}) was finished by recovery`,
    );
    const revision = session.store.getLane(gray)!.currentRevision!;
    expect(session.store.getRevision(gray, revision)!.spec.run.env.VERSION).toBe('v3');
    expect(session.store.getOperation(killed.operationId)!.journal).toContainEqual(
      expect.objectContaining({ step: 'revision-recorded', data: expect.objectContaining({ revision }) }),
    );
  }, 90_000);

  it('rollback: the retry exits 0 and does not roll back a second time', async () => {
    const back = session.store.previousRevision(gray)!;
    const killed = await killAfterTrafficMoved(['rollback', 'api', 'gray']);
    const retry = await runLanesInProcess(['rollback', '--project', dir, 'api', 'gray']);
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.stdout).toContain(
      `rollback #${killed.operationId} (left unfinished by pid ${killed.pid}) was finished by recovery`,
    );
    expect(retry.stderr).toContain(`left unfinished by pid ${killed.pid}`);
    expect(session.store.getLane(gray)!.currentRevision).toBe(back);
    // Answered once: the next rollback is a new one.
    const again = await runLanesInProcess(['rollback', '--project', dir, 'api', 'gray']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toContain('finished by recovery');
    expect(session.store.getLane(gray)!.currentRevision).not.toBe(back);
  }, 90_000);

  it('promote: the retry exits 0 with "finished by recovery", not "no serving revision"', async () => {
    const killed = await killAfterTrafficMoved(['promote', 'api', 'gray']);
    const retry = await runLanesInProcess(['promote', '--project', dir, 'api', 'gray']);
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.stdout).toContain(
      `promote #${killed.operationId} (left unfinished by pid ${killed.pid}) was finished by recovery`,
    );
    expect(session.store.getLane(gray)).toBeUndefined();
    expect(session.store.getOperation(killed.operationId)!.status).toBe('succeeded');
  }, 90_000);
});
