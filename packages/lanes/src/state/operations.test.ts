import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LanesError } from '../errors.js';
import type { LaneKey } from './lane-key.js';
import { isProcessAlive } from './process-liveness.js';
import { OPERATION_KINDS } from './records.js';
import { StateStore, type StateStoreOptions } from './state-store.js';

const dirs: string[] = [];
const stores: StateStore[] = [];
function openStore(dir?: string, options?: StateStoreOptions): StateStore {
  const stateDir = dir ?? mkdtempSync(join(tmpdir(), 'lanes-state-ops-'));
  if (!dir) dirs.push(stateDir);
  const store = StateStore.open(stateDir, options);
  stores.push(store);
  return store;
}
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  expect(child.status).toBe(0);
  expect(isProcessAlive(child.pid)).toBe(false);
  return child.pid;
}

const gray: LaneKey = { env: 'dev', service: 'shop', lane: 'gray' };
const blue: LaneKey = { env: 'dev', service: 'shop', lane: 'blue' };
const main: LaneKey = { env: 'dev', service: 'shop', lane: 'default' };

function started(store: StateStore, ...args: Parameters<StateStore['beginOperation']>) {
  const result = store.beginOperation(...args);
  if (result.type !== 'started') throw new Error(`expected started, got ${JSON.stringify(result)}`);
  return result.operation;
}

describe('beginOperation', () => {
  it('locks a free lane and records the operation', () => {
    const store = openStore(undefined, { now: () => 1000, hostname: 'box' });
    const op = started(store, 'deploy', [gray]);
    expect(op).toMatchObject({
      kind: 'deploy',
      laneKeys: [gray],
      status: 'running',
      holderPid: process.pid,
      holderHostname: 'box',
      startedAt: 1000,
      heartbeatAt: 1000,
      finishedAt: undefined,
    });
    expect(store.runningOperations().map((o) => o.id)).toEqual([op.id]);
  });

  it('reports a lane held by a live process as busy, with who holds it', () => {
    const store = openStore();
    const op = started(store, 'deploy', [gray]);
    const second = store.beginOperation('route', [gray]);
    expect(second).toEqual({
      type: 'busy',
      laneKey: gray,
      holder: {
        operationId: op.id,
        kind: 'deploy',
        pid: process.pid,
        hostname: op.holderHostname,
        startTime: op.holderStartTime,
        startedAt: op.startedAt,
        heartbeatAt: op.heartbeatAt,
      },
    });
    expect(store.listOperations()).toHaveLength(1);
  });

  it('reports a lane held by a dead process as stale, and locks nothing', () => {
    const store = openStore();
    const pid = deadPid();
    const op = started(store, 'deploy', [gray], pid);
    const result = store.beginOperation('deploy', [gray]);
    expect(result).toEqual({ type: 'stale', laneKey: gray, operation: op });
    expect(store.runningOperations().map((o) => o.id)).toEqual([op.id]);
  });

  it.skipIf(process.platform !== 'linux')('records the holder start time and takes a reused pid for dead', () => {
    const store = openStore();
    const op = started(store, 'deploy', [gray]);
    expect(op.holderStartTime).toBe(Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[19]));
    expect(store.beginOperation('deploy', [gray]).type).toBe('busy');
    // The same pid, started at another time: the kernel gave the holder's pid to a new process.
    const db = new Database(store.file);
    db.prepare('UPDATE operations SET holder_start_time = holder_start_time - 1 WHERE id = ?').run(op.id);
    db.close();
    expect(store.isStale(store.getOperation(op.id)!)).toBe(true);
    expect(store.beginOperation('deploy', [gray])).toMatchObject({ type: 'stale', operation: { id: op.id } });
  });

  it.skipIf(process.platform !== 'linux')('takes a zombie holder for dead (the same rule as replicas)', async () => {
    // The background sleep's parent execs into a long sleep that never reaps it, so it stays a zombie.
    const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const [output] = (await once(parent.stdout!, 'data')) as [Buffer];
      const zombie = Number(output.toString().trim());
      const store = openStore();
      const op = started(store, 'deploy', [gray], zombie);
      while (!readFileSync(`/proc/${zombie}/stat`, 'utf8').includes(') Z ')) await sleep(20);
      expect(() => process.kill(zombie, 0)).not.toThrow();
      expect(store.beginOperation('deploy', [gray])).toMatchObject({ type: 'stale', operation: { id: op.id } });
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('treats a dead pid recorded on another machine as busy, since it cannot be checked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lanes-state-ops-'));
    dirs.push(dir);
    const elsewhere = openStore(dir, { hostname: 'other-machine' });
    const here = openStore(dir, { hostname: 'this-machine' });
    started(elsewhere, 'deploy', [gray], deadPid());
    expect(here.beginOperation('deploy', [gray]).type).toBe('busy');
  });

  it('locks several lanes all or nothing', () => {
    const store = openStore();
    const holder = started(store, 'deploy', [blue]);
    const result = store.beginOperation('gc', [gray, blue, main]);
    expect(result).toMatchObject({ type: 'busy', laneKey: blue, holder: { operationId: holder.id } });
    // gray and default were not locked by the refused operation.
    expect(store.beginOperation('deploy', [gray]).type).toBe('started');
    expect(store.beginOperation('deploy', [main]).type).toBe('started');
    store.finishOperation(holder.id, 'succeeded');
    expect(store.beginOperation('gc', [blue, blue]).type).toBe('started');
  });

  it('sorts and deduplicates the lane keys of an operation', () => {
    const store = openStore();
    const op = started(store, 'gc', [gray, main, blue, gray]);
    expect(op.laneKeys).toEqual([blue, main, gray]);
    expect(store.getOperation(op.id)?.laneKeys).toEqual([blue, main, gray]);
  });

  it('accepts every operation kind', () => {
    const store = openStore();
    for (const kind of OPERATION_KINDS) expect(started(store, kind, []).kind).toBe(kind);
  });
});

describe('finishOperation', () => {
  it('ends the operation and releases its locks in the same step', () => {
    let now = 1000;
    const store = openStore(undefined, { now: () => now });
    const op = started(store, 'deploy', [gray, blue]);
    now = 2000;
    const finished = store.finishOperation(op.id, 'failed', 'replica exited with code 1');
    expect(finished).toMatchObject({ status: 'failed', finishedAt: 2000, error: 'replica exited with code 1' });
    expect(store.runningOperations()).toEqual([]);
    expect(store.beginOperation('deploy', [gray, blue]).type).toBe('started');
  });

  it('refuses to finish or journal an operation twice', () => {
    const store = openStore();
    const op = started(store, 'deploy', [gray]);
    store.finishOperation(op.id, 'succeeded');
    expect(() => store.finishOperation(op.id, 'failed')).toThrow(
      expect.objectContaining({ code: 'LANES_OPERATION_NOT_RUNNING' }),
    );
    expect(() => store.appendStep(op.id, 'late', {})).toThrow(LanesError);
    expect(store.getOperation(op.id)?.status).toBe('succeeded');
  });
});

describe('takeOverOperation', () => {
  it('hands a stale operation to the caller, who can then finish it and begin again', () => {
    const store = openStore();
    const dead = deadPid();
    const stale = started(store, 'deploy', [gray], dead);
    store.appendStep(stale.id, 'replica-started', { replicaId: 1, pid: 123, port: 4000 });
    const taken = store.takeOverOperation(stale.id);
    expect(taken).toMatchObject({ type: 'taken', operation: { id: stale.id, holderPid: process.pid } });
    // The lock is now held by a live process: busy, not stale.
    expect(store.beginOperation('deploy', [gray]).type).toBe('busy');
    expect(store.getJournal(stale.id).map((s) => [s.step, s.data])).toEqual([
      ['replica-started', { replicaId: 1, pid: 123, port: 4000 }],
      [
        'taken-over',
        { fromPid: dead, fromHostname: stale.holderHostname, toPid: process.pid, toHostname: stale.holderHostname },
      ],
    ]);
    store.finishOperation(stale.id, 'reverted');
    expect(store.beginOperation('deploy', [gray]).type).toBe('started');
  });

  it('lets only one of two stores recovering the same stale operation win', () => {
    const first = openStore();
    const dir = first.file.slice(0, -'/state.db'.length);
    const second = openStore(dir);
    const stale = started(first, 'deploy', [gray], deadPid());
    const results = [first.takeOverOperation(stale.id), second.takeOverOperation(stale.id)];
    expect(results.map((r) => r.type).sort()).toEqual(['busy', 'taken']);
    expect(results[1]).toMatchObject({ type: 'busy', holder: { operationId: stale.id, pid: process.pid } });
  });

  it('says finished when someone already finished the operation', () => {
    const store = openStore();
    const stale = started(store, 'deploy', [gray], deadPid());
    store.finishOperation(stale.id, 'reverted');
    expect(store.takeOverOperation(stale.id)).toMatchObject({ type: 'finished', operation: { status: 'reverted' } });
  });

  it('refuses to take over an operation whose holder is alive', () => {
    const store = openStore();
    const op = started(store, 'deploy', [gray]);
    expect(store.takeOverOperation(op.id, 4242)).toMatchObject({ type: 'busy', holder: { pid: process.pid } });
    expect(store.getOperation(op.id)?.holderPid).toBe(process.pid);
  });
});

describe('journal and listing', () => {
  it('reads back appended steps in order, with their JSON data and time', () => {
    let now = 10;
    const store = openStore(undefined, { now: () => now });
    const op = started(store, 'deploy', [gray]);
    now = 12;
    store.appendStep(op.id, 'revision-recorded', { revision: 3 });
    now = 13;
    store.appendStep(op.id, 'replica-started', { replicaId: 7, pid: 999, port: 4001, tags: ['a', null] });
    now = 14;
    expect(store.appendStep(op.id, 'traffic-shifted')).toEqual({ seq: 3, step: 'traffic-shifted', data: null, at: 14 });
    const journal = [
      { seq: 1, step: 'revision-recorded', data: { revision: 3 }, at: 12 },
      { seq: 2, step: 'replica-started', data: { replicaId: 7, pid: 999, port: 4001, tags: ['a', null] }, at: 13 },
      { seq: 3, step: 'traffic-shifted', data: null, at: 14 },
    ];
    expect(store.getJournal(op.id)).toEqual(journal);
    expect(store.getOperation(op.id)?.journal).toEqual(journal);
    expect(store.runningOperations()[0]?.journal).toEqual(journal);
  });

  it('gives a stale operation with its journal, for recovery', () => {
    const store = openStore();
    const stale = started(store, 'deploy', [gray], deadPid());
    store.appendStep(stale.id, 'replica-started', { lane: 'dev/shop/gray', replicaId: 4 });
    const result = store.beginOperation('deploy', [gray]);
    expect(result.type === 'stale' && result.operation.journal.map((s) => s.data)).toEqual([
      { lane: 'dev/shop/gray', replicaId: 4 },
    ]);
  });

  it('updates the heartbeat of a running operation only', () => {
    let now = 100;
    const store = openStore(undefined, { now: () => now });
    const op = started(store, 'deploy', [gray]);
    now = 200;
    store.heartbeat(op.id);
    expect(store.getOperation(op.id)?.heartbeatAt).toBe(200);
    store.finishOperation(op.id, 'succeeded');
    now = 300;
    store.heartbeat(op.id);
    expect(store.getOperation(op.id)?.heartbeatAt).toBe(200);
  });

  it('lists operations newest first, filtered by lane and status', () => {
    const store = openStore();
    const a = started(store, 'deploy', [gray]);
    store.finishOperation(a.id, 'succeeded');
    const b = started(store, 'deploy', [blue]);
    const c = started(store, 'route', [gray]);
    expect(store.listOperations().map((o) => o.id)).toEqual([c.id, b.id, a.id]);
    expect(store.listOperations({ laneKey: gray }).map((o) => o.id)).toEqual([c.id, a.id]);
    expect(store.listOperations({ status: 'running' }).map((o) => o.id)).toEqual([c.id, b.id]);
    expect(store.listOperations({ laneKey: gray, status: 'succeeded' }).map((o) => o.id)).toEqual([a.id]);
    expect(store.listOperations({ limit: 1 }).map((o) => o.id)).toEqual([c.id]);
    expect(store.runningOperations().map((o) => o.id)).toEqual([b.id, c.id]);
  });
});
