import { AoiWorld } from '@lanes/aoi';
import { describe, expect, it } from 'vitest';
import { TraceErrorCode } from '../errors.js';
import { copyMoves, pushMove } from '../model/columns.js';
import { MemoryTrace } from '../model/memory-trace.js';
import type { TickRecord, TraceSink } from '../model/types.js';
import { recordWorld } from '../record/recorder.js';
import { simulate } from '../simulate/simulate.js';
import { MemoryTarget, type WriteTarget } from './io.js';
import { ChunkKind } from './layout.js';
import { plain, recordRun, writeBytes } from './test-support/recorded-runs.js';
import { chunkSpans } from './test-support/world-view.js';
import { ThreadedWriter } from './threaded-writer.js';
import { readTraceBytes } from './trace-reader.js';
import { TraceWriter } from './trace-writer.js';
import { resolveWriterOptions, type TraceWriterOptions } from './writer-options.js';

// Format 3.x with `background`: the whole writer on a worker thread (threaded-writer.ts). The golden digests with
// background are in predicted-bytes.test.ts; these check the pipeline around them.

function dense(): MemoryTrace {
  const trace = new MemoryTrace();
  simulate(
    { scenario: 'aoitesting-dense', entities: 300, ticks: 40, seed: 4, inject: { race: { rate: 0.02 } } },
    trace,
  );
  return trace;
}

const trace = dense();
const records = [...trace.ticks()];
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

/** A tick the model refuses: a move of an entity that does not exist. */
function bad(record: TickRecord): TickRecord {
  const moves = copyMoves(record.moves);
  pushMove(moves, 999_999, 1, 1, false, -1);
  return { ...record, moves };
}

/** The bytes of the inline writer given `list` (stopping where it throws, as a caller would). */
function inlineBytes(list: TickRecord[], options: TraceWriterOptions): Uint8Array {
  const target = new MemoryTarget();
  const writer = new TraceWriter(target, { ...options, background: false });
  writer.begin(trace.header);
  try {
    for (const record of list) writer.writeTick(record);
  } catch {
    // the inline writer refuses the bad tick at once and keeps every tick before it
  }
  writer.close();
  return target.bytes();
}

/** `list` as a reader gives it back (positions quantized) from the inline writer's file. */
const readBack = (list: TickRecord[]) => [...readTraceBytes(inlineBytes(list, { format: '3.1' })).ticks()].map(plain);

describe('TraceWriter, format 3.1, background: true', () => {
  const options: TraceWriterOptions = { format: '3.1', background: true, chunkTicks: 4, keyframeInterval: 9 };

  it('copies the columns: a caller that reuses its columns after writeTick (as the recorder does) changes nothing', () => {
    const target = new MemoryTarget();
    const writer = new TraceWriter(target, { ...options, backgroundTicks: 64 });
    writer.begin(trace.header);
    for (const record of records) {
      const moves = copyMoves(record.moves);
      writer.writeTick({ ...record, moves });
      // Overwritten before the worker has (necessarily) read the tick.
      moves.ids.fill(-7);
      moves.xs.fill(Number.NaN);
    }
    writer.close();
    expect(same(target.bytes(), writeBytes(trace, { ...options, background: false }))).toBe(true);
  });

  it('a recorder attached to an engine (its columns reused every tick) gets the inline writer’s bytes', () => {
    const world = new AoiWorld({ mode: 'batched' });
    const inline = new MemoryTarget();
    const threaded = new MemoryTarget();
    const writers = [inline, threaded].map(
      (target, i) => new TraceWriter(target, { format: '3.1', background: i === 1, chunkTicks: 3, backgroundTicks: 2 }),
    );
    // One recorder feeding both writers the very same records.
    const tee: TraceSink = {
      begin: (header) => {
        for (const writer of writers) writer.begin(header);
      },
      writeTick: (record) => {
        for (const writer of writers) writer.writeTick(record);
      },
    };
    const recorder = recordWorld(world, tee);
    for (let id = 0; id < 120; id++) world.add(id, { x: (id * 37) % 200, y: (id * 91) % 200, viewRadius: 30 });
    recorder.tick();
    for (let t = 1; t < 30; t++) {
      for (let id = t % 3; id < 120; id += 3) world.move(id, (id * 37 + t * 3) % 200, (id * 91 + t * 2) % 200);
      recorder.tick();
    }
    recorder.close();
    for (const writer of writers) writer.close();
    expect(readTraceBytes(inline.bytes()).lastTick).toBe(29);
    expect(same(threaded.bytes(), inline.bytes())).toBe(true);
  });

  it('a tick after lost ticks (its resync world, the reader’s lazy views included) is written as inline', () => {
    const run = recordRun({ ticks: 60, entities: 30, seed: 5 });
    const bytes = writeBytes(run, { chunkTicks: 5, keyframeInterval: 20, format: '3.1' });
    const victim = chunkSpans(bytes).find((span) => span.kind === ChunkKind.Ticks && span.firstTick > 25)!;
    const damaged = bytes.slice();
    damaged[victim.offset + 60]! ^= 0x10;
    const read = new MemoryTrace();
    read.begin(run.header);
    for (const record of readTraceBytes(damaged).ticks()) read.writeTick(record);
    expect([...read.ticks()].some((record) => record.resync !== undefined)).toBe(true);
    const inline = writeBytes(read, { format: '3.1', chunkTicks: 4 });
    expect(same(writeBytes(read, { format: '3.1', chunkTicks: 4, background: true }), inline)).toBe(true);
  });

  it('back-pressure: at most backgroundTicks ticks in flight; a caller that outruns the worker waits for it', () => {
    const writer = new ThreadedWriter(
      new MemoryTarget(),
      resolveWriterOptions({ ...options, backgroundTicks: 3 }),
      trace.header,
    );
    // The worker holds until the caller has waited on a full queue once (or 10 s: then the stall count below fails).
    writer.hold();
    let most = 0;
    for (const record of records) {
      writer.writeTick(record);
      most = Math.max(most, writer.inFlight);
    }
    expect(most).toBe(3);
    expect(writer.stalls).toBeGreaterThanOrEqual(1);
    writer.close();
  });

  it('flush() mid-chunk: every tick so far is in the target, readable without an index', () => {
    const target = new MemoryTarget();
    const writer = new TraceWriter(target, options);
    writer.begin(trace.header);
    for (const record of records.slice(0, 22)) writer.writeTick(record);
    writer.flush();
    expect(writer.bytesWritten).toBe(target.size);
    expect(writer.backlog()).toEqual({ ticks: 0, chunks: 0 });
    const reader = readTraceBytes(target.bytes());
    expect(reader.integrity.complete).toBe(false);
    expect([...reader.ticks()].map(plain)).toEqual(readBack(records.slice(0, 22)));
    for (const record of records.slice(22)) writer.writeTick(record);
    writer.close();
    const peer = new MemoryTarget();
    const inline = new TraceWriter(peer, { ...options, background: false });
    inline.begin(trace.header);
    for (const [i, record] of records.entries()) {
      if (i === 22) inline.flush();
      inline.writeTick(record);
    }
    inline.close();
    expect(same(target.bytes(), peer.bytes())).toBe(true);
  });

  it('close() mid-chunk ends the file as the inline writer does', () => {
    const target = new MemoryTarget();
    const writer = new TraceWriter(target, options);
    writer.begin(trace.header);
    for (const record of records.slice(0, 27)) writer.writeTick(record);
    writer.close();
    expect(writer.bytesWritten).toBe(target.size);
    expect(same(target.bytes(), inlineBytes(records.slice(0, 27), options))).toBe(true);
    expect(() => writer.writeTick(records[27]!)).toThrow(/closed/);
  });

  it('a bad record: its error is thrown on the caller with its code, later ticks are refused, the file ends before it', () => {
    const target = new MemoryTarget();
    const writer = new TraceWriter(target, { ...options, backgroundTicks: 1 });
    writer.begin(trace.header);
    const list = [...records.slice(0, 15), bad(records[15]!), ...records.slice(16)];
    let thrown: unknown;
    let at = -1;
    for (const [i, record] of list.entries()) {
      try {
        writer.writeTick(record);
      } catch (error) {
        thrown = error;
        at = i;
        break;
      }
    }
    if (thrown === undefined) {
      try {
        writer.flush();
      } catch (error) {
        thrown = error;
      }
    }
    expect((thrown as { code?: unknown }).code).toBe(TraceErrorCode.InvalidRecord);
    expect(String(thrown)).toMatch(/tick 15/);
    expect(at === -1 || at > 15).toBe(true);
    expect(() => writer.writeTick(list[at === -1 ? 20 : at]!)).toThrow(/failed/);
    writer.close();
    expect(same(target.bytes(), inlineBytes(list, options))).toBe(true);
    expect(readTraceBytes(target.bytes()).lastTick).toBe(records[14]!.tick);
  });

  it('an error the caller has not seen yet is thrown by close(), after the file is ended', () => {
    const target = new MemoryTarget();
    const writer = new TraceWriter(target, { ...options, backgroundTicks: 64 });
    writer.begin(trace.header);
    const list = [...records.slice(0, 10), bad(records[10]!)];
    for (const record of list) writer.writeTick(record);
    expect(() => writer.close()).toThrow(/tick 10/);
    const reader = readTraceBytes(target.bytes());
    expect(reader.integrity.complete).toBe(true);
    expect(reader.lastTick).toBe(records[9]!.tick);
    expect(() => writer.close()).not.toThrow();
  });

  it('a target that fails to write: the call throws, later ticks are refused (no file with a hole)', () => {
    let writes = 0;
    const target: WriteTarget = {
      write() {
        if (++writes === 3) throw new Error('disk full');
      },
      close() {},
    };
    const writer = new TraceWriter(target, { ...options, backgroundTicks: 2 });
    writer.begin(trace.header);
    expect(() => {
      for (const record of records) writer.writeTick(record);
      writer.flush();
    }).toThrow(/disk full/);
    expect(() => writer.writeTick(records.at(-1)!)).toThrow(/failed/);
    writer.close();
  });

  it('a worker that dies: the caller throws instead of hanging, close() ends, whole chunks stay readable', async () => {
    const target = new MemoryTarget();
    const writer = new ThreadedWriter(target, resolveWriterOptions({ ...options, backgroundTicks: 2 }), trace.header);
    for (const record of records.slice(0, 12)) writer.writeTick(record);
    writer.flush();
    const written = target.size;
    await writer.worker.terminate();
    expect(() => {
      for (const record of records.slice(12)) writer.writeTick(record);
      writer.flush();
    }).toThrow(/stopped/);
    expect(() => writer.close()).not.toThrow();
    expect(target.size).toBe(written);
    const reader = readTraceBytes(target.bytes());
    expect(reader.integrity.complete).toBe(false);
    expect([...reader.ticks()].map(plain)).toEqual(readBack(records.slice(0, 12)));
  });
});
