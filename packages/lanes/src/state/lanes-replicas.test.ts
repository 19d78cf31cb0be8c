import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { LaneKey } from './lane-key.js';
import { laneKeyString } from './lane-key.js';
import { SAMPLES_PER_LANE } from './sample-queries.js';
import { StateStore, type StateStoreOptions } from './state-store.js';

const dirs: string[] = [];
const stores: StateStore[] = [];
function openStore(options?: StateStoreOptions): StateStore {
  const dir = mkdtempSync(join(tmpdir(), 'lanes-state-lanes-'));
  dirs.push(dir);
  const store = StateStore.open(dir, options);
  stores.push(store);
  return store;
}
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const gray: LaneKey = { env: 'dev', service: 'shop', lane: 'gray' };
const main: LaneKey = { env: 'dev', service: 'shop', lane: 'default' };
const cart: LaneKey = { env: 'dev', service: 'cart', lane: 'default' };

/** A lane with revision 1 current, as after a first deploy. */
function deployed(store: StateStore, key: LaneKey): number {
  const op = store.beginOperation('deploy', [key]);
  if (op.type !== 'started') throw new Error(op.type);
  store.upsertLane({ ...key, desiredReplicas: 2 });
  const spec = { run: { command: ['node'], cwd: '/', env: {}, portEnv: 'PORT' }, image: undefined, label: undefined };
  const n = store.addRevision(key, spec, op.operation.id);
  store.setCurrentRevision(key, n, op.operation.id);
  store.finishOperation(op.operation.id, 'succeeded');
  return n;
}

describe('lanes', () => {
  it('creates a lane with defaults and updates only the fields given', () => {
    let now = 100;
    const store = openStore({ now: () => now });
    expect(store.upsertLane({ ...gray, desiredReplicas: 2, ttlMs: 60_000 })).toEqual({
      ...gray,
      currentRevision: undefined,
      weight: 0,
      desiredReplicas: 2,
      ttlMs: 60_000,
      status: 'active',
      createdAt: 100,
      updatedAt: 100,
    });
    now = 200;
    expect(store.upsertLane({ ...gray, desiredReplicas: 3, weight: 5 })).toMatchObject({
      desiredReplicas: 3,
      weight: 5,
      ttlMs: 60_000,
      createdAt: 100,
      updatedAt: 100,
    });
    expect(store.upsertLane({ ...gray, desiredReplicas: 3, ttlMs: null }).ttlMs).toBeUndefined();
    expect(store.setLaneStatus(gray, 'deleting').status).toBe('deleting');
  });

  it('takes a whole lane record back with a change', () => {
    const store = openStore();
    deployed(store, gray);
    const lane = store.getLane(gray)!;
    expect(store.upsertLane({ ...lane, status: 'deleting' })).toEqual({ ...lane, status: 'deleting' });
  });

  it('lists lanes by env and service', () => {
    const store = openStore();
    for (const key of [gray, main, cart, { ...main, env: 'prod' }]) store.upsertLane({ ...key, desiredReplicas: 1 });
    expect(store.listLanes().map(laneKeyString)).toEqual([
      'dev/cart/default',
      'dev/shop/default',
      'dev/shop/gray',
      'prod/shop/default',
    ]);
    expect(store.listLanes({ env: 'dev', service: 'shop' }).map((l) => l.lane)).toEqual(['default', 'gray']);
    expect(store.listLanes({ env: 'prod' }).map(laneKeyString)).toEqual(['prod/shop/default']);
  });

  it('sets the weights of a service, zeroing lanes not named, or nothing when a lane is unknown', () => {
    const store = openStore();
    store.upsertLane({ ...main, desiredReplicas: 1, weight: 100 });
    store.upsertLane({ ...gray, desiredReplicas: 1 });
    store.upsertLane({ ...gray, lane: 'blue', desiredReplicas: 1, weight: 7 });
    store.upsertLane({ ...cart, desiredReplicas: 1, weight: 100 });
    const result = store.setWeights('dev', 'shop', { default: 90, gray: 10 });
    expect(result.type === 'set' && result.lanes.map((l) => [l.lane, l.weight])).toEqual([
      ['blue', 0],
      ['default', 90],
      ['gray', 10],
    ]);
    expect(store.setWeights('dev', 'shop', { default: 50, nope: 50 })).toEqual({ type: 'unknown-lane', lane: 'nope' });
    expect(store.getLane(main)?.weight).toBe(90);
    expect(store.getLane(cart)?.weight).toBe(100);
    expect(() => store.setWeights('dev', 'shop', { default: -1 })).toThrow(/weight/);
  });

  it('refuses to delete a lane with live replicas, then deletes it with its replica rows and samples', () => {
    const store = openStore();
    const n = deployed(store, gray);
    const replica = store.addReplica({ ...gray, revision: n, port: 4100, logFile: '/logs/gray-1.log', pid: 1234 });
    store.recordSample(gray, { running: 1, desired: 1, healthy: 1, requests: 5, errors5xx: 0 });
    const refused = store.deleteLane(gray);
    expect(refused).toMatchObject({ type: 'replicas-live', replicas: [{ id: replica.id }] });
    expect(store.getLane(gray)).toBeDefined();
    store.updateReplica(replica.id, { state: 'stopped', exitCode: 0 });
    expect(store.deleteLane(gray)).toMatchObject({ type: 'deleted', lane: { ...gray, currentRevision: n } });
    expect(store.listReplicas({ laneKey: gray })).toEqual([]);
    expect(store.recentSamples(gray, 10)).toEqual([]);
    expect(store.listRevisions(gray)).toHaveLength(1);
    expect(store.deleteLane(gray)).toEqual({ type: 'not-found' });
  });
});

describe('replicas', () => {
  it('adds, updates and lists replicas', () => {
    let now = 1000;
    const store = openStore({ now: () => now });
    const n = deployed(store, gray);
    deployed(store, main);
    const a = store.addReplica({ ...gray, revision: n, port: 4100, logFile: '/logs/a.log' });
    expect(a).toEqual({
      id: a.id,
      ...gray,
      revision: n,
      port: 4100,
      operationId: undefined,
      pid: undefined,
      state: 'starting',
      startedAt: 1000,
      stoppedAt: undefined,
      logFile: '/logs/a.log',
      exitCode: undefined,
    });
    const b = store.addReplica({ ...main, revision: 1, port: 4101, logFile: '/logs/b.log', pid: 77, state: 'running' });
    expect(store.updateReplica(a.id, { pid: 55, state: 'running' })).toMatchObject({ pid: 55, state: 'running' });
    now = 2000;
    expect(store.updateReplica(a.id, { state: 'failed', exitCode: 1 })).toMatchObject({
      state: 'failed',
      exitCode: 1,
      stoppedAt: 2000,
    });
    expect(store.listReplicas({ states: ['running'] }).map((r) => r.id)).toEqual([b.id]);
    expect(store.listReplicas({ laneKey: gray }).map((r) => r.id)).toEqual([a.id]);
    expect(store.listReplicas().map((r) => r.id)).toEqual([a.id, b.id]);
    expect(store.listReplicas({ states: [] })).toEqual([]);
    expect(() => store.updateReplica(999, { state: 'stopped' })).toThrow(
      expect.objectContaining({ code: 'LANES_STATE_NOT_FOUND' }),
    );
  });

  it('records the starting operation, and a log file and start time learnt later', () => {
    const store = openStore({ now: () => 50 });
    const n = deployed(store, gray);
    const op = store.beginOperation('deploy', [gray]);
    if (op.type !== 'started') throw new Error(op.type);
    const replica = store.addReplica({ ...gray, revision: n, port: 4100, operationId: op.operation.id });
    expect(replica).toMatchObject({ operationId: op.operation.id, logFile: undefined, startedAt: 50 });
    expect(store.updateReplica(replica.id, { logFile: `/logs/${replica.id}.log`, startedAt: 60, pid: 9 })).toEqual({
      ...replica,
      logFile: `/logs/${replica.id}.log`,
      startedAt: 60,
      pid: 9,
    });
    expect(store.getReplica(replica.id)?.logFile).toBe(`/logs/${replica.id}.log`);
  });

  it('refuses a second live replica on the same port', () => {
    const store = openStore();
    const n = deployed(store, gray);
    store.addReplica({ ...gray, revision: n, port: 4100, logFile: '/logs/a.log' });
    expect(() => store.addReplica({ ...gray, revision: n, port: 4100, logFile: '/logs/b.log' })).toThrow(/UNIQUE/);
    expect(store.listReplicas()).toHaveLength(1);
  });
});

describe('ports', () => {
  it('skips ports reserved or used by live replicas, and reuses released and stopped ones', () => {
    const store = openStore();
    const n = deployed(store, gray);
    expect(store.allocatePort(4000, 4003)).toEqual({ type: 'allocated', port: 4000 });
    expect(store.allocatePort(4000, 4003)).toEqual({ type: 'allocated', port: 4001 });
    const replica = store.addReplica({ ...gray, revision: n, port: 4001, logFile: '/logs/a.log' });
    expect(store.allocatePort(4000, 4003)).toEqual({ type: 'allocated', port: 4002 });
    expect(store.allocatePort(4000, 4003)).toEqual({ type: 'allocated', port: 4003 });
    expect(store.allocatePort(4000, 4003)).toEqual({ type: 'exhausted', min: 4000, max: 4003 });
    store.releasePort(4000);
    store.updateReplica(replica.id, { state: 'stopped' });
    expect(store.allocatePort(4000, 4003)).toEqual({ type: 'allocated', port: 4000 });
    expect(store.allocatePort(4000, 4003)).toEqual({ type: 'allocated', port: 4001 });
  });

  it('frees the reservations of a dead process', async () => {
    const { spawnSync } = await import('node:child_process');
    const store = openStore();
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    expect(store.allocatePort(5000, 5001, dead)).toEqual({ type: 'allocated', port: 5000 });
    expect(store.allocatePort(5000, 5001)).toEqual({ type: 'allocated', port: 5000 });
  });

  it('never hands out a port twice, for any sequence of allocations and releases', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(-1), fc.nat({ max: 9 })), { maxLength: 40 }), (actions) => {
        const store = openStore();
        const held = new Set<number>();
        for (const action of actions) {
          if (action >= 0) {
            const port = 6000 + action;
            store.releasePort(port);
            held.delete(port);
            continue;
          }
          const result = store.allocatePort(6000, 6009);
          if (held.size === 10) {
            expect(result.type).toBe('exhausted');
          } else {
            const lowestFree = [...Array(10).keys()].map((i) => 6000 + i).find((p) => !held.has(p));
            expect(result).toEqual({ type: 'allocated', port: lowestFree });
            held.add(lowestFree!);
          }
        }
        store.close();
      }),
      { numRuns: 50 },
    );
  });
});

describe('samples', () => {
  it('keeps the last samples of each lane, newest first', () => {
    const store = openStore();
    deployed(store, gray);
    deployed(store, main);
    for (let i = 0; i < SAMPLES_PER_LANE + 20; i++) {
      store.recordSample(gray, { at: i, running: i, desired: 2, healthy: 1, requests: 10, errors5xx: 0 });
    }
    store.recordSample(main, { at: 7, running: 2, desired: 2, healthy: 2, requests: 1, errors5xx: 1 });
    expect(store.recentSamples(gray, 3).map((s) => s.at)).toEqual([119, 118, 117]);
    const all = store.recentSamples(gray, 1000);
    expect(all).toHaveLength(SAMPLES_PER_LANE);
    expect(all.at(-1)?.at).toBe(20);
    expect(store.recentSamples(main, 5)).toEqual([
      { ...main, at: 7, running: 2, desired: 2, healthy: 2, requests: 1, errors5xx: 1 },
    ]);
    expect(store.recordSample(cart, { running: 0, desired: 1, healthy: 0, requests: 0, errors5xx: 0 })).toEqual({
      type: 'lane-not-found',
    });
  });
});
