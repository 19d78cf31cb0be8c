// Recorded engine runs for the format tests: a real AoiWorld driven by a seeded script through the real recorder,
// with every kind of change (spawns, despawns, radius/role/tag updates, messages with and without a sender,
// teleports), and helpers to write a trace to bytes and compare ticks field by field.

import { AoiWorld } from '@lanes/aoi';
import { MemoryTrace } from '../../model/memory-trace.js';
import type { TickRecord } from '../../model/types.js';
import { recordWorld } from '../../record/recorder.js';
import { mulberry32 } from '../../simulate/mulberry32.js';
import { MemoryTarget } from '../io.js';
import { TraceWriter } from '../trace-writer.js';
import type { TraceWriterOptions } from '../writer-options.js';

export interface RunOptions {
  ticks?: number;
  entities?: number;
  seed?: number;
  /** Positions are multiples of this (so a quantum that divides it is lossless). @default 1/4 */
  grain?: number;
  quantum?: number;
  epsilon?: number;
  /** Keep velocities (the common game case) instead of random walks. @default true */
  steady?: boolean;
}

/** Records a scripted run of a real engine. */
export function recordRun(options: RunOptions = {}): MemoryTrace {
  const { ticks = 120, entities = 60, seed = 7, grain = 1 / 4, steady = true } = options;
  const rnd = mulberry32(seed);
  const snap = (v: number) => Math.round(v / grain) * grain;
  const world = new AoiWorld({ mode: 'batched' });
  const trace = new MemoryTrace();
  let time = 1_700_000_000_000;
  const recorder = recordWorld(world, trace, {
    tagNames: ['player', 'npc', 'boss'],
    quantum: options.quantum ?? 1 / 1024,
    epsilon: options.epsilon ?? 0,
    attributes: { scenario: 'format-test', seed: String(seed) },
    now: () => (time += 100),
  });
  const velocity = new Map<number, [number, number]>();
  let nextId = 1;
  const spawn = () => {
    const id = nextId++;
    const viewRadius = 10 + Math.floor(rnd() * 20);
    world.add(id, {
      x: snap(rnd() * 200),
      y: snap(rnd() * 200),
      viewRadius,
      leaveRadius: rnd() < 0.5 ? viewRadius : viewRadius + 5,
      tags: 1 + Math.floor(rnd() * 7),
      watcher: rnd() < 0.9,
    });
    velocity.set(id, [snap((rnd() - 0.5) * 3), snap((rnd() - 0.5) * 3)]);
  };
  for (let i = 0; i < entities; i++) spawn();
  recorder.tick();
  for (let t = 1; t < ticks; t++) {
    const ids = [...velocity.keys()];
    for (const id of ids) {
      const [vx, vy] = velocity.get(id)!;
      const { x, y } = world.position(id);
      if (steady && rnd() < 0.9) world.move(id, x + vx, y + vy);
      else if (!steady) world.move(id, snap(x + (rnd() - 0.5) * 4), snap(y + (rnd() - 0.5) * 4));
    }
    if (t % 7 === 0) {
      const id = ids[Math.floor(rnd() * ids.length)]!;
      recorder.beginMessage('teleport-request', {
        entity: id,
        ...(t % 14 === 0 ? { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } : {}),
      });
      world.teleport(id, snap(rnd() * 200), snap(rnd() * 200));
      recorder.endMessage();
    }
    if (t % 11 === 0) {
      recorder.beginMessage('spawn-wave');
      spawn();
      spawn();
      recorder.endMessage();
    }
    if (t % 13 === 0 && ids.length > 4) {
      const id = ids[Math.floor(rnd() * ids.length)]!;
      world.remove(id);
      velocity.delete(id);
    }
    if (t % 17 === 0) {
      const id = [...velocity.keys()][0]!;
      world.setRadius(id, 15, 25);
      world.setRoles(id, { tags: 4, marker: t % 34 === 0 });
    }
    recorder.tick();
  }
  recorder.close();
  return trace;
}

/** Writes a whole trace into memory and returns the file's bytes. */
export function writeBytes(trace: MemoryTrace, options: TraceWriterOptions = {}): Uint8Array {
  const target = new MemoryTarget();
  const writer = new TraceWriter(target, options);
  writer.begin(trace.header);
  for (const record of trace.ticks()) writer.writeTick(record);
  writer.close();
  return target.bytes();
}

/** A TickRecord as plain data (columns cut to their counts), for deep equality. */
export function plain(record: TickRecord): object {
  const { moves, events } = record;
  return {
    ...record,
    moves: {
      ids: [...moves.ids.subarray(0, moves.count)],
      xs: [...moves.xs.subarray(0, moves.count)],
      ys: [...moves.ys.subarray(0, moves.count)],
      teleports: [...moves.teleports.subarray(0, moves.count)],
      causes: [...moves.causes.subarray(0, moves.count)],
    },
    events: {
      kinds: [...events.kinds.subarray(0, events.count)],
      watchers: [...events.watchers.subarray(0, events.count)],
      targets: [...events.targets.subarray(0, events.count)],
    },
  };
}
