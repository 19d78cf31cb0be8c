import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { RevisionSpec } from '../model.js';
import type { LaneKey } from './lane-key.js';
import { StateStore } from './state-store.js';

const dirs: string[] = [];
const stores: StateStore[] = [];
function openStore(now: () => number = Date.now): StateStore {
  const dir = mkdtempSync(join(tmpdir(), 'lanes-state-rev-'));
  dirs.push(dir);
  const store = StateStore.open(dir, { now });
  stores.push(store);
  return store;
}
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const gray: LaneKey = { env: 'dev', service: 'shop', lane: 'gray' };

function spec(label: string): RevisionSpec {
  return {
    run: { command: ['node', 'server.js'], cwd: '/srv/shop', env: { MODE: label }, portEnv: 'PORT' },
    image: undefined,
    label,
  };
}

/** A deploy as the operations layer does it: lock, lane row, revision, current revision, finish. */
function deploy(store: StateStore, label: string): number {
  const begin = store.beginOperation('deploy', [gray]);
  if (begin.type !== 'started') throw new Error(begin.type);
  store.upsertLane({ ...gray, desiredReplicas: 1 });
  const n = store.addRevision(gray, spec(label), begin.operation.id);
  store.setCurrentRevision(gray, n, begin.operation.id);
  store.finishOperation(begin.operation.id, 'succeeded');
  return n;
}

function rollback(store: StateStore): number | undefined {
  const begin = store.beginOperation('rollback', [gray]);
  if (begin.type !== 'started') throw new Error(begin.type);
  const target = store.previousRevision(gray);
  if (target !== undefined) store.setCurrentRevision(gray, target, begin.operation.id);
  store.finishOperation(begin.operation.id, target === undefined ? 'failed' : 'succeeded');
  return target;
}

describe('revisions', () => {
  it('numbers revisions per lane and keeps their spec', () => {
    const store = openStore(() => 500);
    const op = store.beginOperation('deploy', [gray]);
    if (op.type !== 'started') throw new Error(op.type);
    const other = { ...gray, lane: 'blue' };
    expect(store.addRevision(gray, spec('v1'), op.operation.id)).toBe(1);
    expect(store.addRevision(gray, spec('v2'), op.operation.id)).toBe(2);
    expect(store.addRevision(other, spec('b1'), op.operation.id)).toBe(1);
    expect(store.getRevision(gray, 2)).toEqual({
      ...gray,
      number: 2,
      spec: { run: spec('v2').run, label: 'v2' },
      createdAt: 500,
      operationId: op.operation.id,
    });
    expect(store.getRevision(gray, 2)?.spec.image).toBeUndefined();
    expect(store.getRevision(gray, 3)).toBeUndefined();
    expect(store.listRevisions(gray).map((r) => r.spec.label)).toEqual(['v1', 'v2']);
  });

  it('tracks the current and previous revision across deploy, deploy, rollback, rollback', () => {
    let now = 1000;
    const store = openStore(() => now);
    now = 1000;
    expect(deploy(store, 'v1')).toBe(1);
    expect(store.getLane(gray)?.currentRevision).toBe(1);
    expect(store.previousRevision(gray)).toBeUndefined();
    now = 2000;
    expect(deploy(store, 'v2')).toBe(2);
    expect(store.previousRevision(gray)).toBe(1);
    now = 3000;
    expect(rollback(store)).toBe(1);
    expect(store.getLane(gray)).toMatchObject({ currentRevision: 1, updatedAt: 3000 });
    expect(store.previousRevision(gray)).toBe(2);
    now = 4000;
    expect(rollback(store)).toBe(2);
    expect(store.getLane(gray)?.currentRevision).toBe(2);
    expect(store.previousRevision(gray)).toBe(1);
    expect(store.laneHistory(gray).map((h) => [h.revision, h.fromTime, h.toTime])).toEqual([
      [1, 1000, 2000],
      [2, 2000, 3000],
      [1, 3000, 4000],
      [2, 4000, undefined],
    ]);
    now = 5000;
    expect(deploy(store, 'v3')).toBe(3);
    expect(store.previousRevision(gray)).toBe(2);
  });

  it('adds no history when the current revision is set again', () => {
    const store = openStore();
    deploy(store, 'v1');
    deploy(store, 'v2');
    const op = store.beginOperation('deploy', [gray]);
    if (op.type !== 'started') throw new Error(op.type);
    store.setCurrentRevision(gray, 2, op.operation.id);
    expect(store.laneHistory(gray)).toHaveLength(2);
    expect(store.previousRevision(gray)).toBe(1);
  });

  it('refuses to make an unknown revision current', () => {
    const store = openStore();
    deploy(store, 'v1');
    const op = store.beginOperation('deploy', [gray]);
    if (op.type !== 'started') throw new Error(op.type);
    expect(() => store.setCurrentRevision(gray, 9, op.operation.id)).toThrow(
      expect.objectContaining({ code: 'LANES_STATE_NOT_FOUND' }),
    );
    expect(store.getLane(gray)?.currentRevision).toBe(1);
  });

  it('keeps revisions of a deleted lane, continues their numbers, and forgets its history for rollback', () => {
    const store = openStore();
    deploy(store, 'v1');
    deploy(store, 'v2');
    expect(store.deleteLane(gray).type).toBe('deleted');
    expect(store.getLane(gray)).toBeUndefined();
    expect(store.previousRevision(gray)).toBeUndefined();
    expect(store.listRevisions(gray)).toHaveLength(2);
    expect(deploy(store, 'v3')).toBe(3);
    expect(store.previousRevision(gray)).toBeUndefined();
    expect(deploy(store, 'v4')).toBe(4);
    expect(store.previousRevision(gray)).toBe(3);
    expect(store.laneHistory(gray).every((h, i, all) => i === all.length - 1 || h.toTime !== undefined)).toBe(true);
  });

  it('agrees with a list model of the lane history over any sequence of deploys and rollbacks', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('deploy', 'rollback'), { maxLength: 25 }), (actions) => {
        const store = openStore();
        const history: number[] = [];
        let revisions = 0;
        for (const action of actions) {
          if (action === 'deploy') {
            revisions++;
            expect(deploy(store, `v${revisions}`)).toBe(revisions);
            history.push(revisions);
          } else {
            const expected = history.length >= 2 ? history[history.length - 2] : undefined;
            expect(rollback(store)).toBe(expected);
            if (expected !== undefined) history.push(expected);
          }
          expect(store.getLane(gray)?.currentRevision).toBe(history.at(-1));
          expect(store.previousRevision(gray)).toBe(history.at(-2));
        }
        expect(store.laneHistory(gray).map((h) => h.revision)).toEqual(history);
        store.close();
      }),
      { numRuns: 40 },
    );
  });
});
