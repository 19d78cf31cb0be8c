import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TraceErrorCode } from '../errors.js';
import { emptyEvents, emptyMoves, pushMove } from '../model/columns.js';
import { MemoryTrace } from '../model/memory-trace.js';
import type { TickRecord, TraceHeader } from '../model/types.js';
import { MemoryTarget } from './io.js';
import { Quantizer } from './quantizer.js';
import { recordRun, writeBytes } from './test-support/recorded-runs.js';
import { readTraceBytes } from './trace-reader.js';
import { TraceWriter } from './trace-writer.js';

const header = (quantum: number, epsilon: number): TraceHeader => ({
  source: 'test',
  startTime: 0,
  regionSize: 64,
  quantum,
  epsilon,
  tagNames: [],
  attributes: {},
});

/** One entity spawned at (0, 0), then one move per tick to each of `path`. */
function pathTrace(quantum: number, epsilon: number, path: Array<[number, number]>): MemoryTrace {
  const spawn = { id: 1, x: 0, y: 0, viewRadius: 1, leaveRadius: 1, watcher: true, marker: true, tags: [], cause: -1 };
  const tick = (t: number): TickRecord => {
    const moves = emptyMoves();
    if (t > 0) pushMove(moves, 1, path[t - 1]![0], path[t - 1]![1], false, -1);
    const base = { time: t, eventBase: 0, messages: [], updates: [], despawns: [], events: emptyEvents() };
    return { ...base, tick: t, spawns: t === 0 ? [spawn] : [], moves };
  };
  return new MemoryTrace(
    header(quantum, epsilon),
    Array.from({ length: path.length + 1 }, (_, t) => tick(t)),
  );
}

const positions = (trace: MemoryTrace | ReturnType<typeof readTraceBytes>) =>
  [...trace.ticks()].flatMap((r) => Array.from({ length: r.moves.count }, (_, i) => [r.moves.xs[i], r.moves.ys[i]]));

describe('.aoitrace positions', () => {
  it('are lossless for multiples of the quantum, binary and decimal quanta alike', () => {
    for (const quantum of [1 / 1024, 1 / 100, 0.5, 1]) {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: -1e9, max: 1e9 })), {
            minLength: 1,
            maxLength: 30,
          }),
          (steps) => {
            const path = steps.map(([a, b]) => [a / (1 / quantum), b / (1 / quantum)] as [number, number]);
            const trace = pathTrace(quantum, 0, path);
            expect(positions(readTraceBytes(writeBytes(trace)))).toEqual(positions(trace));
          },
        ),
        { numRuns: 40 },
      );
    }
  });

  it('are within half a quantum otherwise', () => {
    const quantum = 1 / 1024;
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: -1e6, max: 1e6, noNaN: true })),
          {
            minLength: 1,
            maxLength: 30,
          },
        ),
        (path) => {
          const got = positions(readTraceBytes(writeBytes(pathTrace(quantum, 0, path))));
          for (let i = 0; i < path.length; i++) {
            expect(Math.abs(got[i]![0]! - path[i]![0])).toBeLessThanOrEqual(quantum / 2);
            expect(Math.abs(got[i]![1]! - path[i]![1])).toBeLessThanOrEqual(quantum / 2);
          }
        },
      ),
      { numRuns: 60 },
    );
    expect(new Quantizer(0.01).decode(new Quantizer(0.01).encode(0.07))).toBe(0.07);
  });

  it('drops moves smaller than epsilon on both axes (against the last stored position), keeps teleports', () => {
    const path: Array<[number, number]> = [
      [0.1, 0.1], // < 0.25 on both axes: dropped
      [0.2, 0.2], // still < 0.25 from (0, 0): dropped
      [0.3, 0], // 0.3 on x: stored
      [0.3, 0.5], // 0.5 on y: stored
      [0.31, 0.51], // dropped
    ];
    const read = readTraceBytes(writeBytes(pathTrace(1 / 1024, 0.25, path)));
    expect(positions(read).map(([x, y]) => [Math.round(x! * 100) / 100, Math.round(y! * 100) / 100])).toEqual([
      [0.3, 0],
      [0.3, 0.5],
    ]);
    expect(read.stats().moves).toBe(2);
    // With a real run: every stored position is within epsilon + quantum / 2 of the true one, and fewer are stored.
    const exact = recordRun({ ticks: 60, steady: false, grain: 1 / 8 });
    const lossy = recordRun({ ticks: 60, steady: false, grain: 1 / 8, epsilon: 1 });
    const exactMoves = readTraceBytes(writeBytes(exact)).stats().moves;
    const lossyReader = readTraceBytes(writeBytes(lossy));
    expect(lossyReader.stats().moves).toBeLessThan(exactMoves * 0.8);
    const truth = [...lossy.ticks()].at(-1)!;
    const world = lossyReader.stateAt(truth.tick);
    const recorded = new MemoryTrace(lossy.header, lossy.records);
    const full = [...recorded.ticks()].reduce((state, r) => {
      state.apply(r);
      return state;
    }, lossyReader.stateAt(-1));
    for (const [id, entity] of full.entities) {
      expect(Math.abs(world.entities.get(id)!.x - entity.x)).toBeLessThan(1 + 1 / 2048);
      expect(Math.abs(world.entities.get(id)!.y - entity.y)).toBeLessThan(1 + 1 / 2048);
    }
  });

  it('rejects positions that are not finite, with INVALID_RECORD, and keeps the ticks before', () => {
    const target = new MemoryTarget();
    const writer = new TraceWriter(target);
    const trace = pathTrace(1 / 1024, 0, [
      [1, 1],
      [Number.NaN, 2],
    ]);
    writer.begin(trace.header);
    const [t0, t1, t2] = trace.records;
    writer.writeTick(t0!);
    writer.writeTick(t1!);
    expect(() => writer.writeTick(t2!)).toThrow(expect.objectContaining({ code: TraceErrorCode.InvalidRecord }));
    expect(() => writer.writeTick(t2!)).toThrow(/failed/);
    writer.close();
    expect([...readTraceBytes(target.bytes()).ticks()].map((r) => r.tick)).toEqual([0, 1]);
  });
});
