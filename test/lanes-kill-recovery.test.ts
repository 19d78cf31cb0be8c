import { isProcessAlive } from '@lanes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLanes } from './support/cli.js';
import { get, waitFor } from './support/gateway.js';
import { createProject, deployApi, type RunningPlatform, startPlatform } from './support/lanes-project.js';

describe('a CLI killed with kill -9 mid-operation loses nothing', () => {
  let dir: string;
  let platform: RunningPlatform;
  const gray = { env: 'dev', service: 'api', lane: 'gray' };

  beforeAll(async () => {
    dir = await createProject({ api: { pathPrefix: '/', lanes: { gray: { run: { env: { VERSION: 'v1' } } } } } });
    platform = await startPlatform(dir);
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
  });

  function journalOf(operationId: number) {
    return platform.session.store.getOperation(operationId)!.journal;
  }

  it('undoes a deploy killed before traffic moved: the started replica is stopped, the old revision serves', async () => {
    const cli = runLanes([
      'deploy',
      '--project',
      dir,
      'api',
      'gray',
      '--set',
      'VERSION=v2',
      '--set',
      'SLOW_START_MS=30000',
      '--json',
    ]);
    let operationId = 0;
    await waitFor(
      () => {
        const op = platform.session.store.runningOperations().find((o) => o.laneKeys.some((k) => k.lane === 'gray'));
        if (op?.journal.some((s) => s.step === 'replica-started')) operationId = op.id;
        return operationId > 0;
      },
      'the deploy started a replica',
      15_000,
    );
    const orphan = (journalOf(operationId).find((s) => s.step === 'replica-started')!.data as { pid: number }).pid;
    const deadPid = cli.child.pid!;
    cli.child.kill('SIGKILL');
    await cli.exit();

    // The supervisor (within a pass) or the next command on the lane, whichever comes first, finds the stale
    // lock and undoes the dead deploy; then the command does its own work.
    const next = runLanes(['deploy', '--project', dir, 'api', 'gray', '--set', 'VERSION=v3']);
    expect(await next.exit(), next.stderr()).toBe(0);
    const recovering = [
      next.stderr(),
      ...platform.events.filter((e) => e.code === 'OPERATION_RECOVERING').map((e) => e.message),
    ].join('\n');
    // The message names the CLI that died, not the one recovering.
    expect(recovering).toContain(`recovering deploy #${operationId}, left unfinished by pid ${deadPid}`);
    expect(isProcessAlive(orphan)).toBe(false);
    const dead = platform.session.store.getOperation(operationId)!;
    expect(dead.status).toBe('reverted');
    expect((await get(platform.info.url, { tracestate: 'ctx=lane:gray' })).json()).toMatchObject({
      lane: 'gray',
      version: 'v3',
    });
  });

  it('finishes a deploy killed after traffic moved: the old replicas are stopped, the new revision serves', async () => {
    const before = platform.session.store.listReplicas({ laneKey: gray, states: ['running'] });
    const cli = runLanes(['deploy', '--project', dir, 'api', 'gray', '--set', 'VERSION=v4', '--json']);
    await cli.waitForLine((line) => line.includes('"TRAFFIC_SHIFTED"'), 20_000);
    cli.child.kill('SIGKILL');
    await cli.exit();
    // The kill landed in the drain pause: the old replicas still run, the lock is stale.
    expect(before.some((r) => r.pid !== undefined && isProcessAlive(r.pid))).toBe(true);

    const result = await deployApi(platform.session, gray.lane, { VERSION: 'v5' });
    expect(result.type).toBe('deployed');
    const recovered = platform.events.find((e) => e.code === 'OPERATION_RECOVERED' && e.message.includes('finished'));
    expect(recovered).toBeDefined();
    for (const replica of before) expect(replica.pid !== undefined && isProcessAlive(replica.pid)).toBe(false);
    expect((await get(platform.info.url, { tracestate: 'ctx=lane:gray' })).json()).toMatchObject({ version: 'v5' });
  });
});
