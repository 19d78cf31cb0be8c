import { AoiWorld } from '@lanes/aoi';
import { describe, expect, it } from 'vitest';
import { TraceError, TraceErrorCode } from '../errors.js';
import { MemoryTrace } from '../model/memory-trace.js';
import { recordWorld } from '../record/recorder.js';
import { MemoryTarget } from './io.js';
import { Limits } from './limits.js';
import { readTraceBytes } from './trace-reader.js';
import { TraceWriter } from './trace-writer.js';

// A world past the format's view-pair limit (limits.ts): the writer refuses the chunk that crosses it, then every
// later tick, and close() leaves a file that reads back every tick before that chunk. Format 3.1 checks the limit
// itself (it logs no view changes for the packer); 2.x's packer checks it.

/** A clump growing by `perTick` entities a tick at one point, all in each other's view, until past the limit. */
function clump(perTick: number): MemoryTrace {
  const world = new AoiWorld({ mode: 'batched' });
  const trace = new MemoryTrace();
  let time = 0;
  const recorder = recordWorld(world, trace, { now: () => (time += 10) });
  let id = 0;
  // n entities make n * (n - 1) pairs: grow until a few ticks past the limit.
  while (id * (id - 1) <= Limits.viewPairs + 4 * perTick * id) {
    for (let k = 0; k < perTick; k++) world.add(id++, { x: (id % 7) * 0.25, y: 0, viewRadius: 10 });
    recorder.tick();
  }
  recorder.close();
  return trace;
}

const trace = clump(150);
const records = [...trace.ticks()];

describe.each([
  { format: '2.2', background: false },
  { format: '3.1', background: false },
  { format: '2.2', background: true },
  { format: '3.1', background: true },
] as const)('TraceWriter $format (background: $background) past the view-pair limit', ({ format, background }) => {
  it('throws AOITRACE_LIMIT, refuses later ticks, and closes a file with every tick before the refused chunk', () => {
    const target = new MemoryTarget();
    const writer = new TraceWriter(target, { format, background, chunkTicks: 1 });
    writer.begin(trace.header);
    let refused: unknown;
    let at = -1;
    for (const [i, record] of records.entries()) {
      try {
        writer.writeTick(record);
      } catch (error) {
        refused = error;
        at = i;
        break;
      }
    }
    if (refused === undefined) {
      try {
        writer.flush();
      } catch (error) {
        refused = error;
        at = records.length;
      }
    }
    expect(refused).toBeInstanceOf(TraceError);
    expect((refused as TraceError).code).toBe(TraceErrorCode.Limit);
    expect((refused as TraceError).message).toMatch(/view pairs, over the limit/);
    expect(at).toBeGreaterThan(0);
    // A caller that catches the error and goes on is refused, not handed a file with a hole.
    expect(() => writer.writeTick(records[Math.min(at, records.length - 1)]!)).toThrow(/failed/);
    // 2.x's background packer fails on its worker: the jobs in flight are lost, so close() says so again and leaves
    // no index; the reader then finds the chunks by a scan and calls the file cut. Elsewhere the writer drops the
    // refused chunk itself and close() indexes every chunk before it.
    const lost = format === '2.2' && background;
    if (lost) expect(() => writer.close()).toThrow(/view pairs, over the limit/);
    else writer.close();
    const reader = readTraceBytes(target.bytes(), { strict: !lost });
    const ticks = [...reader.ticks()].map((t) => t.tick);
    expect(ticks.length).toBeGreaterThan(0);
    expect(ticks).toEqual(records.slice(0, ticks.length).map((r) => r.tick));
    expect(ticks.length).toBeLessThan(at);
    expect(reader.verify().complete).toBe(!lost);
  }, 120_000);
});
