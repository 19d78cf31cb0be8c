import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { type LanesEvent, openProject, type ProjectSession } from '@lanes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliProcess, runLanes, runLanesInProcess } from './support/cli.js';
import { get, waitFor } from './support/gateway.js';
import { createProject, type RunningPlatform, startPlatform } from './support/lanes-project.js';
import { killReplicaProcesses, replicaProcesses } from './support/replica-processes.js';

// kill -9 of `deploy`, `promote` and `up` at several moments. Whatever the moment, each case ends the same way:
// every lane is supervised again (a serving replica killed afterwards is replaced), traffic tagged for a lane
// reaches it, and no replica process runs that the state does not count as live. The moments are picked from the
// state database's journal and the CLI's --json event lines, never by sleeping.

/** Bound for each wait; generous for a busy 2-core CI machine, never reached when things work. */
const WAIT_MS = 20_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function kill9(cli: CliProcess): Promise<number> {
  const pid = cli.child.pid!;
  cli.child.kill('SIGKILL');
  await cli.exit();
  return pid;
}

/** Waits until an operation of `kind` on `lane` is running with `step` journaled; returns its id. */
async function waitForStep(session: ProjectSession, kind: string, lane: string, step: string): Promise<number> {
  let id = 0;
  await waitFor(
    () => {
      const op = session.store
        .runningOperations()
        .find(
          (o) => o.kind === kind && o.laneKeys.some((k) => k.lane === lane) && o.journal.some((s) => s.step === step),
        );
      id = op?.id ?? 0;
      return id > 0;
    },
    `${kind} on ${lane} journaled ${step}`,
    WAIT_MS,
  );
  return id;
}

function servingPids(session: ProjectSession, lane: string): number[] {
  const record = session.store.getLane({ env: session.project.env, service: 'api', lane });
  if (!record) return [];
  return session.store
    .listReplicas({ laneKey: record, states: ['running'] })
    .filter((r) => r.revision === record.currentRevision && r.pid !== undefined && isAlive(r.pid))
    .map((r) => r.pid!);
}

/** The VERSION of the revision a lane serves (the traffic check itself is in `expectSupervisedAndClean`). */
function servedVersion(session: ProjectSession, lane: string): string | undefined {
  const key = { env: session.project.env, service: 'api', lane };
  const revision = session.store.getLane(key)?.currentRevision ?? undefined;
  return revision === undefined ? undefined : session.store.getRevision(key, revision)?.spec.run.env.VERSION;
}

/**
 * The end state every case must reach: no operation left running (the supervisor recovered the dead one), every
 * lane reachable with its tag, no replica process the state does not own, and every lane supervised.
 */
async function expectSupervisedAndClean(platform: RunningPlatform): Promise<void> {
  const { session } = platform;
  const { store } = session;
  await waitFor(() => store.runningOperations().length === 0, 'every dead operation recovered', WAIT_MS);
  const lanes = store.listLanes({ env: session.project.env }).map((l) => l.lane);
  expect(lanes).toContain('default');
  for (const lane of lanes) {
    const headers: Record<string, string> = lane === 'default' ? {} : { tracestate: `ctx=lane:${lane}` };
    let answered = '';
    await waitFor(
      async () => {
        const response = await get(platform.info.url, headers).catch(() => undefined);
        answered = response?.status === 200 ? String(response.json<{ lane: string }>().lane) : `${response?.status}`;
        return answered === lane;
      },
      `traffic tagged ${lane} reaches ${lane} (last answer: ${answered})`,
      WAIT_MS,
    );
  }
  const stateDir = session.project.stateDir;
  const owned = (replicaId: number) => {
    const replica = store.getReplica(replicaId);
    return replica !== undefined && ['starting', 'running', 'draining'].includes(replica.state);
  };
  await waitFor(
    () => replicaProcesses(stateDir).every((p) => owned(p.replicaId)),
    'no orphan replica process',
    WAIT_MS,
  );
  for (const lane of lanes) {
    const [victim] = servingPids(session, lane);
    expect(victim, `${lane} has a serving replica`).toBeDefined();
    process.kill(victim!, 'SIGKILL');
    await waitFor(
      () => servingPids(session, lane).some((pid) => pid !== victim),
      `the supervisor replaced ${lane}'s killed replica`,
      WAIT_MS,
    );
  }
}

describe('kill -9 of deploy and promote at several moments leaves every lane supervised', () => {
  let dir: string;
  let platform: RunningPlatform;

  beforeAll(async () => {
    dir = await createProject({ api: { pathPrefix: '/', lanes: { gray: { run: { env: { VERSION: 'v1' } } } } } });
    platform = await startPlatform(dir);
  }, 60_000);
  afterAll(async () => {
    const stateDir = platform?.session.project.stateDir;
    await platform?.stop();
    if (stateDir) killReplicaProcesses(stateDir);
  });

  /** Kills `cli` once its operation journaled `step`; the operation's id and the killed pid. */
  async function killAt(cli: CliProcess, kind: string, step: string) {
    const operationId = await waitForStep(platform.session, kind, 'gray', step);
    return { operationId, deadPid: await kill9(cli) };
  }

  const deploy = (...set: string[]) =>
    runLanes(['deploy', '--project', dir, 'api', 'gray', ...set.flatMap((s) => ['--set', s]), '--json']);

  it('deploy killed after recording its revision, before a replica ran: the supervisor undoes it', async () => {
    const { operationId } = await killAt(deploy('VERSION=v2', 'SLOW_START_MS=30000'), 'deploy', 'revision-recorded');
    await expectSupervisedAndClean(platform);
    expect(platform.session.store.getOperation(operationId)!.status).toBe('reverted');
  }, 90_000);

  it('deploy killed while its new replica starts: recovered by the supervisor, not by the next command', async () => {
    const cli = deploy('VERSION=v3', 'SLOW_START_MS=30000');
    const { operationId, deadPid } = await killAt(cli, 'deploy', 'replica-started');
    await expectSupervisedAndClean(platform);
    expect(platform.session.store.getOperation(operationId)!.status).toBe('reverted');
    const recovering = platform.events.find(
      (e: LanesEvent) => e.code === 'OPERATION_RECOVERING' && e.message.includes(`#${operationId},`),
    );
    // The message names the CLI that died, not the supervisor that recovered.
    expect(recovering?.message).toContain(`left unfinished by pid ${deadPid}`);
    expect(recovering?.message).not.toContain(`pid ${process.pid}`);
  }, 90_000);

  it('deploy killed after traffic moved, while the old replica drains: the supervisor finishes it', async () => {
    const { operationId } = await killAt(deploy('VERSION=v4'), 'deploy', 'traffic-shifted');
    await expectSupervisedAndClean(platform);
    expect(platform.session.store.getOperation(operationId)!.status).toBe('succeeded');
    expect(servedVersion(platform.session, 'gray')).toBe('v4');
    const revision = platform.session.store.getLane({ env: 'dev', service: 'api', lane: 'gray' })!.currentRevision;

    // The retried job asks for the same revision: recovery already deployed it, so nothing is replaced again.
    const retry = deploy('VERSION=v4');
    expect(await retry.exit()).toBe(0);
    expect(retry.lines.join('\n')).toContain('finished by recovery');
    expect(platform.session.store.getLane({ env: 'dev', service: 'api', lane: 'gray' })!.currentRevision).toBe(
      revision,
    );
  }, 90_000);

  it('rollback killed after traffic moved: finished by the supervisor, a retry does not roll back twice', async () => {
    const gray = { env: 'dev', service: 'api', lane: 'gray' };
    const before = platform.session.store.getLane(gray)!.currentRevision!;
    const back = platform.session.store.previousRevision(gray)!;
    const cli = runLanes(['rollback', '--project', dir, 'api', 'gray', '--json']);
    const { operationId, deadPid } = await killAt(cli, 'rollback', 'traffic-shifted');
    await expectSupervisedAndClean(platform);
    expect(platform.session.store.getOperation(operationId)!.status).toBe('succeeded');
    expect(platform.session.store.getLane(gray)!.currentRevision).toBe(back);

    const retry = runLanes(['rollback', '--project', dir, 'api', 'gray']);
    expect(await retry.exit()).toBe(0);
    expect(retry.lines.join('\n')).toContain(`rollback #${operationId} (left unfinished by pid ${deadPid})`);
    expect(platform.session.store.getLane(gray)!.currentRevision).toBe(back);
    expect(back).not.toBe(before);
  }, 90_000);

  it('promote killed while default starts the new revision: undone, the lane still serves', async () => {
    // A revision that takes a moment to start, so the kill lands before default's traffic moves.
    expect(await deploy('VERSION=v5', 'SLOW_START_MS=1500').exit()).toBe(0);
    const cli = runLanes(['promote', '--project', dir, 'api', 'gray', '--json']);
    const { operationId } = await killAt(cli, 'promote', 'replica-started');
    await expectSupervisedAndClean(platform);
    expect(platform.session.store.getOperation(operationId)!.status).toBe('reverted');
    expect(platform.session.store.getLane({ env: 'dev', service: 'api', lane: 'gray' })).toBeDefined();
  }, 90_000);

  it('promote killed after default moved: finished by the supervisor, and a retried promote exits 0', async () => {
    // A canary at 10%: the recovery, like the promote, gives gray's share to default.
    platform.session.store.setWeights('dev', 'api', { default: 90, gray: 10 });
    const cli = runLanes(['promote', '--project', dir, 'api', 'gray', '--json']);
    const { operationId, deadPid } = await killAt(cli, 'promote', 'traffic-shifted');
    await expectSupervisedAndClean(platform);
    expect(platform.session.store.getOperation(operationId)!.status).toBe('succeeded');
    expect(platform.session.store.getLane({ env: 'dev', service: 'api', lane: 'gray' })).toBeUndefined();
    expect(servedVersion(platform.session, 'default')).toBe('v5');
    expect(platform.session.store.getLane({ env: 'dev', service: 'api', lane: 'default' })!.weight).toBe(100);

    // The CI job is retried: the promote it asked for is done, so it succeeds.
    const retry = runLanes(['promote', '--project', dir, 'api', 'gray']);
    expect(await retry.exit()).toBe(0);
    expect(retry.lines.join('\n')).toContain(`promote #${operationId} (left unfinished by pid ${deadPid})`);
    expect(retry.lines.join('\n')).toContain('finished by recovery');
  }, 90_000);
});

describe('lanes status names a lock whose holder died', () => {
  it('says "held by dead pid N" instead of busy', async () => {
    const dir = await createProject({ api: { pathPrefix: '/' } });
    const session = await openProject({ dir, io: { notify: () => undefined } });
    try {
      const gray = { env: session.project.env, service: 'api', lane: 'gray' };
      session.store.upsertLane({ ...gray, desiredReplicas: 1 });
      const dead = spawnSync(process.execPath, ['-e', '']).pid;
      const begun = session.store.beginOperation('deploy', [gray], dead);
      expect(begun.type).toBe('started');
      const status = await runLanesInProcess(['status', '--project', dir]);
      expect(status.code).toBe(0);
      expect(status.stdout).toContain(`held by dead pid ${dead}`);
      expect(status.stdout).not.toContain('busy');
      const json = JSON.parse((await runLanesInProcess(['status', '--project', dir, '--json'])).stdout);
      const row = json.lanes.find((lane: { name: string }) => lane.name === 'gray');
      expect(row.busy).toBeUndefined();
      expect(row.staleLock).toContain(`held by dead pid ${dead}`);
    } finally {
      session.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('lanes up stops replica processes that no lane owns', () => {
  it("stops a process carrying this project's replica markers whose replica the state does not know", async () => {
    const dir = await createProject({ api: { pathPrefix: '/' } });
    const session = await openProject({ dir, io: { notify: () => undefined } });
    const stateDir = session.project.stateDir;
    session.close();
    // What a command killed at the wrong moment leaves: a replica process running on, owned by no row.
    const orphan = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, LANES_STATE_DIR: stateDir, LANES_REPLICA_ID: '999' },
    });
    let platform: RunningPlatform | undefined;
    try {
      await waitFor(() => replicaProcesses(stateDir).some((p) => p.pid === orphan.pid), 'the orphan runs', WAIT_MS);
      platform = await startPlatform(dir);
      await waitFor(() => !isAlive(orphan.pid!), 'lanes up stopped the orphan', WAIT_MS);
      const stopped = platform.events.find((e) => e.code === 'ORPHAN_REPLICA_STOPPED');
      expect(stopped?.message).toContain(`pid ${orphan.pid}`);
    } finally {
      orphan.kill('SIGKILL');
      await platform?.stop();
      killReplicaProcesses(stateDir);
    }
  }, 60_000);
});

describe('kill -9 of lanes up during its start leaves nothing unsupervised', () => {
  let dir: string;
  let session: ProjectSession;
  let platform: RunningPlatform | undefined;
  let up: CliProcess | undefined;

  beforeAll(async () => {
    // Replicas take a moment to listen, so a kill lands while one is starting.
    dir = await createProject({ api: { pathPrefix: '/', env: { SLOW_START_MS: '700' }, lanes: { gray: {} } } });
    session = await openProject({ dir, io: { notify: () => undefined } });
  }, 60_000);
  afterAll(async () => {
    if (up && up.child.exitCode === null && up.child.signalCode === null) up.child.kill('SIGKILL');
    await platform?.stop();
    killReplicaProcesses(session.project.stateDir);
    session.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** `lanes up` killed while it starts a replica under an `up` lock, then the platform started again on the state. */
  async function killUpWhileAReplicaStartsThenUpAgain(): Promise<void> {
    up = runLanes(['up', '--project', dir]);
    await waitForStep(session, 'up', 'gray', 'replica-started');
    await kill9(up);
    platform = await startPlatform(dir, { keepDir: true });
    await expectSupervisedAndClean(platform);
  }

  it('first up killed while it deploys the declared lanes: the next up brings them back, no orphan', async () => {
    await killUpWhileAReplicaStartsThenUpAgain();
    await platform!.stop();
    platform = undefined;
  }, 90_000);

  it('up killed while its supervisor restarts a lane: the next up recovers the lock, no 0/0/1, no orphan', async () => {
    // The previous platform stopped every replica: this up restores them, under an `up` lock per lane.
    await killUpWhileAReplicaStartsThenUpAgain();
  }, 90_000);
});
