import { afterEach, describe, expect, it } from 'vitest';
import { AoiError, AoiErrorCode } from './errors.js';
import type { Command } from './parallel-protocol.js';
import type { EventBatch, WorldOptions } from './types.js';
import { liveAoiWorkers, WorkerPool } from './worker-pool.js';
import { AoiWorld } from './world.js';

const opened: AoiWorld[] = [];
const open = (options: WorldOptions): AoiWorld => {
  const world = new AoiWorld({ mode: 'batched', moveEvents: true, ...options });
  opened.push(world);
  return world;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((world) => world.close()));
  expect(liveAoiWorkers()).toBe(0);
});

/** A seeded linear congruential generator (Numerical Recipes' constants): a failure replays exactly. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** The batch as bytes: kinds, then watchers, then targets, of the first `count` events. */
const bytes = (batch: EventBatch): number[] => [
  batch.count,
  ...batch.kinds.subarray(0, batch.count),
  ...batch.watchers.subarray(0, batch.count),
  ...batch.targets.subarray(0, batch.count),
];

/**
 * A seeded random walk with adversarial boundaries, run on every world at once: positions on a lattice of 2.5 and
 * radii of 10 (leave 12.5), so distances of exactly a view or leave radius and positions exactly on cell and stripe
 * borders are common; a crowd that drifts across the map (the stripes move at every rebuild), teleports across
 * it, adds, removals (also of an id re-added in the same tick), radius and role changes. Every tick's events must be
 * the same bytes in every world.
 */
function walk(worlds: AoiWorld[], seed: number, ticks: number): number {
  const rnd = random(seed);
  const lattice = (span: number) => Math.round((rnd() * 2 - 1) * span) * 2.5;
  const alive = new Set<number>();
  let nextId = 0;
  let events = 0;
  const each = (fn: (world: AoiWorld) => void) => {
    for (const world of worlds) fn(world);
  };
  const add = () => {
    const id = nextId++;
    const entity = {
      x: lattice(16),
      y: lattice(16),
      viewRadius: 10,
      leaveRadius: rnd() < 0.5 ? 10 : 12.5,
      watcher: rnd() < 0.9,
      marker: rnd() < 0.9,
      tags: rnd() < 0.8 ? 1 : 2,
    };
    each((w) => w.add(id, entity));
    alive.add(id);
  };
  for (let i = 0; i < 160; i++) add();
  for (let t = 0; t < ticks; t++) {
    const drift = t % 20 < 10 ? 2.5 : -2.5;
    // Every seventh tick only a few entities change: the main thread's path for few dirty entities.
    const quiet = t % 7 === 6;
    // Teleports, radius and role changes, removals and adds every fifth tick (each forces a rebuild); moves only in
    // between, so worlds with a large skin re-check their pairs without a rebuild.
    const busy = t % 5 === 2;
    for (const id of alive) {
      if (quiet && rnd() < 0.97) continue;
      const r = busy ? rnd() : rnd() * 0.6;
      const { x, y } = worlds[0]!.position(id);
      if (r < 0.6) {
        const nx = x + (rnd() < 0.5 ? -2.5 : 2.5);
        const ny = y + drift * (rnd() < 0.7 ? 1 : 0);
        each((w) => w.move(id, nx, ny));
      } else if (r < 0.63) {
        const nx = lattice(30);
        const ny = lattice(30);
        each((w) => w.teleport(id, nx, ny));
      } else if (r < 0.65) {
        const view = 2.5 * Math.floor(rnd() * 6);
        const leave = view + 2.5 * Math.floor(rnd() * 2);
        each((w) => w.setRadius(id, view, leave));
      } else if (r < 0.66) {
        const watcher = rnd() < 0.5;
        each((w) => w.setRoles(id, { watcher }));
      }
    }
    if (busy) {
      const victim = [...alive][Math.floor(rnd() * alive.size)]!;
      each((w) => w.remove(victim));
      alive.delete(victim);
      if (rnd() < 0.5) {
        // The same id again in the same tick: its leaves must come before its new enters.
        const entity = { x: lattice(16), y: lattice(16), viewRadius: 10 };
        each((w) => w.add(victim, entity));
        alive.add(victim);
      } else add();
    }
    const expected = bytes(worlds[0]!.tick());
    events += expected[0]!;
    for (const world of worlds.slice(1)) expect(bytes(world.tick())).toEqual(expected);
  }
  for (const id of alive) {
    const view = worlds[0]!.viewOf(id);
    for (const world of worlds.slice(1)) expect(world.viewOf(id)).toEqual(view);
  }
  return events;
}

/** Runs `commands` on a pool of 3 that one share fails in: the others must get past every barrier, and the run fail. */
async function expectOneShareFails(commands: Command[]): Promise<void> {
  const pool = new WorkerPool(3);
  try {
    let caught: unknown;
    try {
      pool.run(commands);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AoiError);
    expect((caught as AoiError).code).toBe(AoiErrorCode.WorkerFailed);
    expect((caught as AoiError).message).toMatch(/a worker thread failed/);
  } finally {
    await pool.close();
  }
}

describe('parallel grid', () => {
  it('starts its worker threads and gives the single-threaded event stream, byte for byte', () => {
    const worlds = [
      open({}),
      open({ workers: 2, callerShare: false }), // 2 worker threads, the caller waits
      open({ workers: 3, callerShare: false }),
      open({ workers: 2, callerShare: false, cellSize: 3 }), // reach over several cells: the hashed scan, by slots
      open({ workers: 2, callerShare: false, skin: 0 }), // a rebuild every tick
      open({ workers: 2, callerShare: false, skin: 40 }), // rebuilds every few ticks; pairs re-checked in between
      open({ workers: 2 }), // the caller's thread scans and re-checks a stripe of its own beside 1 worker thread
      open({ workers: 3, cellSize: 3 }),
    ];
    expect(liveAoiWorkers()).toBe(14);
    // Enough ticks for the crowd to drift over stripe borders between rebuilds and for many rebuilds.
    const events = walk(worlds, 0x5eed, 60);
    expect(events).toBeGreaterThan(1000);
  });

  it.each([1, 2, 3, 4])('gives the same stream with seed %i', (seed) => {
    walk(
      [
        open({}),
        open({ workers: 2, callerShare: false }),
        open({ workers: 2, callerShare: false, skin: 40 }),
        open({ workers: 2 }),
      ],
      seed,
      30,
    );
  });

  it('handles a world whose entities all sit in one row of cells (empty stripes) and an empty world', () => {
    const single = open({});
    const parallel = open({ workers: 3, callerShare: false });
    expect(bytes(parallel.tick())).toEqual(bytes(single.tick()));
    for (const world of [single, parallel])
      for (let i = 0; i < 50; i++) world.add(i, { x: i * 5, y: 0, viewRadius: 12 });
    expect(bytes(parallel.tick())).toEqual(bytes(single.tick()));
    for (const world of [single, parallel]) for (let i = 0; i < 50; i += 2) world.move(i, i * 5 + 2.5, 0);
    expect(bytes(parallel.tick())).toEqual(bytes(single.tick()));
    expect(parallel.viewOf(10)).toEqual(single.viewOf(10));
    expect(parallel.watchersOf(11)).toEqual(single.watchersOf(11));
  });

  it('cuts the stripes by pair work, not by entity count: a crowd is split between the shares', () => {
    // 4000 entities spread thin over the lower map, 1500 crowded into 8 cell rows at its top: cut by entity count,
    // one share gets only thin rows and the other the whole crowd, ten times the pairs.
    const world = open({ workers: 2, callerShare: false });
    const rnd = random(7);
    for (let i = 0; i < 4000; i++) world.add(i, { x: rnd() * 2000 - 1000, y: rnd() * 1000 - 1000, viewRadius: 20 });
    for (let i = 4000; i < 5500; i++) world.add(i, { x: rnd() * 200 - 100, y: 800 + rnd() * 200, viewRadius: 20 });
    world.tick();
    const { segments } = (world as unknown as { impl: { segments: Array<{ count: number }> } }).impl;
    const pairs = segments.map((segment) => segment.count);
    expect(pairs.length).toBe(2);
    expect(Math.min(...pairs)).toBeGreaterThan(0);
    expect(Math.max(...pairs) / Math.min(...pairs)).toBeLessThan(1.5);
  });

  it('close() terminates the workers; a later tick that needs them throws AOI_CLOSED', async () => {
    const world = open({ workers: 3 });
    world.add(1, { x: 0, y: 0, viewRadius: 5 });
    world.add(2, { x: 1, y: 0, viewRadius: 5 });
    expect(world.tick().enterCount).toBe(2);
    expect(liveAoiWorkers()).toBe(2);
    await world.close();
    expect(liveAoiWorkers()).toBe(0);
    await world.close(); // twice is fine
    expect(world.viewOf(1)).toEqual([2]);
    world.add(3, { x: 2, y: 0, viewRadius: 5 });
    let caught: unknown;
    try {
      world.tick();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AoiError);
    expect((caught as AoiError).code).toBe(AoiErrorCode.Closed);
  });

  it('turns a failing worker into AOI_WORKER_FAILED, and keeps failing after it', async () => {
    const pool = new WorkerPool(2);
    try {
      const sync = { end: 0, count: 0, moveEvents: false, checkSkin: false, merge: false };
      expect(
        pool
          .run([
            { op: 'all', sync },
            { op: 'all', sync },
          ])
          .map((r) => 'count' in r && r.count),
      ).toEqual([0, 0]);
      // A rebuild without its job: the worker throws, and says so instead of hanging the caller.
      const broken = { op: 'rebuild', sync } as unknown as Command;
      const attempt = (commands: Command[]) => {
        try {
          pool.run(commands);
        } catch (error) {
          return error;
        }
        return undefined;
      };
      const first = attempt([{ op: 'all', sync }, broken]);
      expect(first).toBeInstanceOf(AoiError);
      expect((first as AoiError).code).toBe(AoiErrorCode.WorkerFailed);
      expect((first as AoiError).fault).toBe('system');
      expect(
        attempt([
          { op: 'all', sync },
          { op: 'all', sync },
        ]),
      ).toBe(first);
    } finally {
      await pool.close();
    }
  });

  it('a share whose command is unreadable still releases the skin and merge barriers of a tick', async () => {
    const sync = { end: 0, count: 0, moveEvents: false, checkSkin: true, merge: true };
    const tick: Command = { op: 'all', sync };
    // Workers 0 and 2 test their slots, then wait at the skin barrier for all 3 shares; worker 1 gets a command
    // without its sync and throws on reading it, before it knows which barriers the tick has.
    await expectOneShareFails([tick, { op: 'rebuild' } as unknown as Command, tick]);
  });

  it('a share that fails in a rebuild still releases the barrier: the others finish and the tick fails', async () => {
    const sync = { end: 0, count: 0, moveEvents: false, checkSkin: false, merge: false };
    const job = { dense: true, cell: 1, skin: 0, gx0: 0, gy0: 0, w: 1, h: 1, from: 0, to: 1 };
    const rebuild: Command = { op: 'rebuild', sync, job };
    // Workers 0 and 2 scan and wait at the barrier for all 3 shares; worker 1 throws before it gets there.
    await expectOneShareFails([rebuild, { op: 'rebuild', sync } as unknown as Command, rebuild]);
  });

  it('rejects a bad workers option', () => {
    for (const workers of [-1, 1.5, 65, Number.NaN]) {
      expect(() => new AoiWorld({ workers })).toThrow(/workers must be an integer from 0 to 64/);
    }
    expect(() => new AoiWorld({ algorithm: 'brute-force', workers: 2 })).toThrow(/workers needs algorithm 'grid'/);
    expect(liveAoiWorkers()).toBe(0);
    // A world without workers has nothing to close.
    return new AoiWorld({ workers: 0 }).close();
  });
});
