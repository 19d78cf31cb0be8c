import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TraceErrorCode } from '../errors.js';
import { copyMoves, pushMove } from '../model/columns.js';
import type { TickRecord } from '../model/types.js';
import { MemoryTarget } from './io.js';
import { plain, recordRun, writeBytes } from './test-support/recorded-runs.js';
import { plainWorld, replayAll } from './test-support/world-view.js';
import { readTraceBytes } from './trace-reader.js';
import { openTraceWriter, TraceWriter } from './trace-writer.js';
import type { TraceWriterOptions } from './writer-options.js';

const dir = mkdtempSync(path.join(tmpdir(), 'aoitrace-bg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TraceWriter with background: true', () => {
  const trace = recordRun({ ticks: 150, entities: 80 });

  it('writes the same bytes as the inline writer, whatever the chunking, cadence and queue size', () => {
    const cases: TraceWriterOptions[] = [
      {},
      { deflate: false },
      { chunkTicks: 7, keyframeInterval: 20 },
      { chunkBytes: 64, backgroundQueue: 1 },
      { keyframeWork: 200, chunkTicks: 3 },
    ];
    for (const options of cases) {
      const inline = writeBytes(trace, options);
      const background = writeBytes(trace, { ...options, background: true });
      expect(Buffer.compare(Buffer.from(background), Buffer.from(inline)), JSON.stringify(options)).toBe(0);
    }
  });

  it('gives back every tick, and stateAt from its keyframes equals a full replay', () => {
    const bytes = writeBytes(trace, { background: true, chunkTicks: 5, keyframeInterval: 12 });
    const reader = readTraceBytes(bytes);
    expect(reader.stats().keyframes).toBeGreaterThan(5);
    expect([...reader.ticks()].map(plain)).toEqual(trace.records.map(plain));
    const worlds = replayAll(trace.records);
    for (const tick of [13, 40, 77, 149]) expect(plainWorld(reader.stateAt(tick))).toEqual(worlds.get(tick));
  });

  it('close() waits for the worker: the file is complete and bytesWritten is its size', () => {
    const file = path.join(dir, 'bg.aoitrace');
    const writer = openTraceWriter(file, { background: true, chunkTicks: 4 });
    writer.begin(trace.header);
    for (const record of trace.records) writer.writeTick(record);
    writer.close();
    const bytes = readFileSync(file);
    expect(writer.bytesWritten).toBe(bytes.length);
    expect(Buffer.compare(bytes, Buffer.from(writeBytes(trace, { chunkTicks: 4 })))).toBe(0);
    expect(readTraceBytes(bytes).integrity).toEqual({ complete: true, corrupt: [] });
  });

  it('after flush(), the file so far holds every tick written, readable without an index (a crash right then)', () => {
    const target = new MemoryTarget();
    const writer = new TraceWriter(target, { background: true, chunkTicks: 9, keyframeInterval: 25 });
    writer.begin(trace.header);
    for (const record of trace.records.slice(0, 100)) writer.writeTick(record);
    writer.flush();
    expect(writer.bytesWritten).toBe(target.size);
    const reader = readTraceBytes(target.bytes());
    expect(reader.integrity.complete).toBe(false);
    expect([...reader.ticks()].map(plain)).toEqual(trace.records.slice(0, 100).map(plain));
    writer.close();
  });

  it('throws INVALID_RECORD on a bad tick at once, and close() keeps every tick before it', () => {
    const bad = (record: TickRecord): TickRecord => {
      const moves = copyMoves(record.moves);
      pushMove(moves, 999_999, 1, 1, false, -1);
      return { ...record, moves };
    };
    const results = [false, true].map((background) => {
      const target = new MemoryTarget();
      const writer = new TraceWriter(target, { background, chunkTicks: 6 });
      writer.begin(trace.header);
      for (const record of trace.records.slice(0, 60)) writer.writeTick(record);
      let code: unknown;
      try {
        writer.writeTick(bad(trace.records[60]!));
      } catch (error) {
        code = (error as { code?: unknown }).code;
      }
      expect(code).toBe(TraceErrorCode.InvalidRecord);
      expect(() => writer.writeTick(trace.records[61]!)).toThrow(/failed/);
      writer.close();
      return target.bytes();
    });
    expect(Buffer.compare(Buffer.from(results[1]!), Buffer.from(results[0]!))).toBe(0);
    const reader = readTraceBytes(results[1]!);
    expect(reader.lastTick).toBe(59);
    expect(reader.integrity.complete).toBe(true);
  });
});
