import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyEvents, emptyMoves, pushEvent, pushMove } from '../model/columns.js';
import { MemoryTrace } from '../model/memory-trace.js';
import { tickRecord } from '../model/test-support/tick-records.js';
import type { TickRecord, TraceHeader } from '../model/types.js';
import { plain, recordRun, writeBytes } from './test-support/recorded-runs.js';
import { openTraceReader, readTraceBytes } from './trace-reader.js';
import { openTraceWriter } from './trace-writer.js';

const dir = mkdtempSync(path.join(tmpdir(), 'aoitrace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('.aoitrace round trip', () => {
  it('gives back every field of every tick of a recorded engine run', () => {
    const trace = recordRun({ ticks: 150, entities: 80 });
    const kinds = { spawns: 0, despawns: 0, updates: 0, messages: 0, teleports: 0, parents: 0, causes: 0 };
    for (const r of trace.records) {
      kinds.spawns += r.spawns.length;
      kinds.despawns += r.despawns.length;
      kinds.updates += r.updates.length;
      kinds.messages += r.messages.length;
      kinds.parents += r.messages.filter((m) => m.parent).length;
      for (let i = 0; i < r.moves.count; i++) {
        kinds.teleports += r.moves.teleports[i]!;
        if (r.moves.causes[i] !== -1) kinds.causes++;
      }
    }
    // The run must exercise every part of the format, or the round trip proves little.
    for (const [name, count] of Object.entries(kinds)) expect(count, name).toBeGreaterThan(0);

    for (const options of [{}, { deflate: false }, { chunkTicks: 7, keyframeInterval: 20 }, { chunkBytes: 64 }]) {
      const reader = readTraceBytes(writeBytes(trace, options));
      expect(reader.header).toEqual(trace.header);
      const read = [...reader.ticks()];
      expect(read.map(plain)).toEqual(trace.records.map(plain));
      expect(reader.integrity).toEqual({ complete: true, corrupt: [] });
      expect(reader.firstTick).toBe(0);
      expect(reader.lastTick).toBe(149);
    }
  });

  it('keeps optional fields optional, gaps in tick numbers, odd times and explicit event bases', () => {
    const header: TraceHeader = {
      source: 'hand-made ✓',
      startTime: 1.5,
      regionSize: 32,
      quantum: 0.01,
      epsilon: 0,
      tagNames: [],
      attributes: { 'git.revision': 'abc', empty: '' },
    };
    const moves = emptyMoves();
    pushMove(moves, 5, 0.07, -123.45, true, 0);
    pushMove(moves, -3, 1e6, 2.5, false, -1);
    const events = emptyEvents();
    pushEvent(events, 0, 5, -3);
    pushEvent(events, 2, 5, -3);
    pushEvent(events, 1, -3, 5);
    const span = { traceId: 'not-hex-at-all', spanId: '' };
    const records: TickRecord[] = [
      {
        tick: 3,
        time: 10.25,
        eventBase: 7,
        messages: [],
        spawns: [
          { id: 5, x: 1, y: 2, viewRadius: 3.3, leaveRadius: 4, watcher: true, marker: false, tags: ['a'], cause: -1 },
          { id: -3, x: 0, y: 0, viewRadius: 0, leaveRadius: 0, watcher: false, marker: true, tags: [], cause: -1 },
        ],
        updates: [],
        moves: emptyMoves(),
        despawns: [],
        events: emptyEvents(),
      },
      {
        tick: 1000,
        time: -5,
        span,
        eventBase: 7,
        messages: [
          { name: 'm', span },
          { name: 'n', span, parent: span, entity: -3 },
        ],
        spawns: [],
        updates: [
          { id: 5, cause: 1 },
          { id: -3, tags: [], marker: false, cause: -1 },
          { id: 5, leaveRadius: 9, cause: 0 },
        ],
        moves,
        despawns: [5, -3],
        events,
      },
      tickRecord(1001, { time: Number.NaN }),
    ];
    const bytes = writeBytes(new MemoryTrace(header, records));
    const read = [...readTraceBytes(bytes).ticks()];
    expect(read.map(plain)).toEqual(records.map(plain));
    expect('viewRadius' in read[1]!.updates[0]!).toBe(false);
    expect(read[1]!.moves.xs[0]).toBe(0.07);
    expect('span' in read[0]!).toBe(false);
  });

  it('writes and reads files with positional I/O', () => {
    const trace = recordRun({ ticks: 40 });
    const file = path.join(dir, 'run.aoitrace');
    const writer = openTraceWriter(file, { chunkTicks: 8 });
    writer.begin(trace.header);
    for (const record of trace.ticks()) writer.writeTick(record);
    writer.close();
    const reader = openTraceReader(file);
    expect([...reader.ticks()].map(plain)).toEqual(trace.records.map(plain));
    const stats = reader.stats();
    expect(stats.ticks).toBe(40);
    expect(stats.moves).toBe(trace.records.reduce((n, r) => n + r.moves.count, 0));
    expect(stats.events).toBe(trace.records.reduce((n, r) => n + r.events.count, 0));
    expect(stats.chunks).toBe(5);
    reader.close();
  });
});
