// Traces made by the real engine + recorder, with the engine-side truth collected through a listener.

import { type AlgorithmName, AoiWorld } from '@lanes/aoi';
import { MemoryTrace } from '../../model/memory-trace.js';
import { recordWorld } from '../../record/recorder.js';
import { mulberry32 } from '../../simulate/mulberry32.js';

export type Op =
  | { kind: 'add'; id: number; x: number; y: number; view: number; leave: number; watcher?: boolean }
  | { kind: 'move' | 'teleport'; id: number; x: number; y: number; message?: string }
  | { kind: 'remove'; id: number };

/** Ops per tick: tick i applies `ticks[i]`. */
export type Script = readonly (readonly Op[])[];

export interface TruthEvent {
  tick: number;
  kind: 'enter' | 'exit';
  watcher: number;
  target: number;
}

export interface Run {
  trace: MemoryTrace;
  /** Every event the engine delivered to its listener, with the tick it happened in. */
  truth: TruthEvent[];
  /** Per tick: watcher -> its view as the engine reports it (`world.viewOf`), for every live entity. */
  views: Map<number, number[]>[];
  /** Per tick: id -> position after the tick. */
  positions: Map<number, { x: number; y: number }>[];
}

export const SENDER = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

export function runScript(script: Script, algorithm: AlgorithmName = 'grid', regionSize = 16): Run {
  let tick = 0;
  const truth: TruthEvent[] = [];
  const world = new AoiWorld({
    mode: 'batched',
    algorithm,
    listener: {
      enter: (watcher, target) => truth.push({ tick, kind: 'enter', watcher, target }),
      leave: (watcher, target) => truth.push({ tick, kind: 'exit', watcher, target }),
    },
  });
  const trace = new MemoryTrace();
  let clock = 1_700_000_000_000;
  const recorder = recordWorld(world, trace, { regionSize, now: () => (clock += 50), tagNames: ['unit'] });
  const alive = new Set<number>();
  const views: Map<number, number[]>[] = [];
  const positions: Map<number, { x: number; y: number }>[] = [];
  for (; tick < script.length; tick++) {
    for (const op of script[tick]!) {
      if (op.kind === 'add') {
        world.add(op.id, { x: op.x, y: op.y, viewRadius: op.view, leaveRadius: op.leave, watcher: op.watcher ?? true });
        alive.add(op.id);
      } else if (op.kind === 'remove') {
        world.remove(op.id);
        alive.delete(op.id);
      } else {
        if (op.message) recorder.beginMessage(op.message, { entity: op.id, traceparent: SENDER });
        world[op.kind](op.id, op.x, op.y);
        if (op.message) recorder.endMessage();
      }
    }
    recorder.tick();
    views.push(new Map([...alive].map((id) => [id, world.viewOf(id)])));
    positions.push(new Map([...alive].map((id) => [id, world.position(id)!])));
  }
  recorder.close();
  return { trace, truth, views, positions };
}

/**
 * The hand-built scenario (regionSize 16). Entity 1 sees 10 units, 2 sees 5, 3 is a chest (seen, sees nothing).
 *   tick 0: 1 at (0,0), 2 at (20,0), 3 at (100,100)  -> nothing
 *   tick 1: 2 moves to (8,0)                          -> enter(1,2) #0
 *   tick 2: 2 moves to (4,0)                          -> enter(2,1) #1
 *   tick 3: 2 teleports to (30,0)                     -> exit(1,2) #2, exit(2,1) #3
 *   tick 4: 3 moves to (1,1)                          -> enter(1,3) #4
 *   tick 5: nothing
 *   tick 6: 2 moves to (2,0) (message 'move-request') -> enter(1,2) #5, enter(2,1) #6, enter(2,3) #7
 *   tick 7: 1 is removed                              -> exit(1,2) #8, exit(1,3) #9, exit(2,1) #10
 *   tick 8: nothing
 */
export const HAND_SCRIPT: Script = [
  [
    { kind: 'add', id: 1, x: 0, y: 0, view: 10, leave: 10 },
    { kind: 'add', id: 2, x: 20, y: 0, view: 5, leave: 5 },
    { kind: 'add', id: 3, x: 100, y: 100, view: 0, leave: 0, watcher: false },
  ],
  [{ kind: 'move', id: 2, x: 8, y: 0 }],
  [{ kind: 'move', id: 2, x: 4, y: 0 }],
  [{ kind: 'teleport', id: 2, x: 30, y: 0 }],
  [{ kind: 'move', id: 3, x: 1, y: 1 }],
  [],
  [{ kind: 'move', id: 2, x: 2, y: 0, message: 'move-request' }],
  [{ kind: 'remove', id: 1 }],
  [],
];

export interface RandomScriptOptions {
  entities?: number;
  ticks?: number;
  view?: number;
  /** Leave radius = view * this. */
  leaveFactor?: number;
  /** Coordinates are multiples of this, so they round-trip through any quantum. */
  step?: number;
}

/** Entities walking in a 100x100 box, with teleports, removals, re-adds and messages. */
export function randomScript(seed: number, options: RandomScriptOptions = {}): Op[][] {
  const { entities = 30, ticks = 60, view = 12, leaveFactor = 1.25, step = 1 / 8 } = options;
  const rand = mulberry32(seed);
  const coord = () => Math.round((rand() * 100) / step) * step;
  const place = new Map<number, { x: number; y: number }>();
  const script: Op[][] = [[]];
  for (let id = 0; id < entities; id++) {
    const at = { x: coord(), y: coord() };
    place.set(id, at);
    script[0]!.push({ kind: 'add', id, ...at, view, leave: view * leaveFactor });
  }
  for (let tick = 1; tick < ticks; tick++) {
    const ops: Op[] = [];
    for (const [id, at] of place) {
      const r = rand();
      if (r < 0.02) {
        ops.push({ kind: 'remove', id });
        place.delete(id);
      } else if (r < 0.05) {
        const to = { x: coord(), y: coord() };
        ops.push({ kind: 'teleport', id, ...to });
        place.set(id, to);
      } else if (r < 0.7) {
        const walk = (v: number) => Math.min(100, Math.max(0, v + Math.round(((rand() - 0.5) * 8) / step) * step));
        const to = { x: walk(at.x), y: walk(at.y) };
        ops.push({ kind: 'move', id, ...to, ...(rand() < 0.2 ? { message: 'move-request' } : {}) });
        place.set(id, to);
      }
    }
    for (let id = 0; id < entities; id++) {
      if (!place.has(id) && rand() < 0.1 && !ops.some((op) => op.kind === 'remove' && op.id === id)) {
        const at = { x: coord(), y: coord() };
        place.set(id, at);
        ops.push({ kind: 'add', id, ...at, view, leave: view * leaveFactor });
      }
    }
    script.push(ops);
  }
  return script;
}
