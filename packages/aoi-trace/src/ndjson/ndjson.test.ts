import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AoiWorld } from '@lanes/aoi';
import { afterAll, describe, expect, it } from 'vitest';
import { TraceError, TraceErrorCode } from '../errors.js';
import { MemoryTrace } from '../model/memory-trace.js';
import { recordWorld } from '../record/recorder.js';
import { NdjsonReader } from './ndjson-reader.js';
import { NdjsonWriter } from './ndjson-writer.js';
import { parseNdjsonLine } from './parse-ndjson-line.js';

const dir = mkdtempSync(join(tmpdir(), 'aoi-ndjson-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A recorded engine run with spawns, moves, teleports, role changes, removals, messages and move events. */
function engineRun(): MemoryTrace {
  const world = new AoiWorld({ mode: 'batched', moveEvents: true });
  const trace = new MemoryTrace();
  let now = 1_700_000_000_000;
  const recorder = recordWorld(world, trace, { tagNames: ['player', 'npc'], now: () => (now += 50) });
  for (let id = 0; id < 40; id++) {
    world.add(id, { x: id * 2.5, y: (id * 7) % 13, viewRadius: 6, leaveRadius: 8, tags: (id % 2) + 1 });
  }
  recorder.tick();
  for (let step = 1; step <= 30; step++) {
    recorder.beginMessage('move-request', {
      entity: step % 40,
      traceparent: step % 2 ? '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' : undefined,
    });
    for (let id = step % 3; id < 40; id += 3)
      if (world.has(id)) world.move(id, id * 2.5 + step * 0.375, ((id * 7 + step) % 13) + 0.125);
    recorder.endMessage();
    if (step === 7) world.teleport(4, 90, 1);
    if (step === 9) world.setRadius(5, 3, 9);
    if (step === 11) world.remove(6);
    if (step === 12) world.add(6, { x: 1, y: 1, viewRadius: 2, watcher: false });
    recorder.tick();
  }
  recorder.close();
  return trace;
}

function writeFile(name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n'));
  return path;
}

function readError(path: string): TraceError {
  try {
    for (const _ of new NdjsonReader(path).ticks());
  } catch (error) {
    if (error instanceof TraceError) return error;
    throw error;
  }
  throw new Error('expected the reader to fail');
}

const header = '{"type":"header","source":"go-server","tagNames":["player"]}';

describe('aoi-trace NDJSON', () => {
  it('round-trips an engine run through a file: the same header and tick records, field by field', () => {
    const original = engineRun();
    const path = join(dir, 'run.ndjson');
    const fd = openSync(path, 'w');
    const writer = new NdjsonWriter(fd);
    writer.begin(original.header);
    for (const record of original.ticks()) writer.writeTick(record);
    writer.close();
    closeSync(fd);

    // Small blocks so lines straddle reads.
    const reader = new NdjsonReader(path, { blockBytes: 97 });
    expect(reader.header).toEqual(original.header);
    const read = [...reader.ticks()];
    expect(read).toHaveLength(original.records.length);
    for (const [i, record] of read.entries()) expect(record).toEqual(original.records[i]);
    expect(read.some((record) => record.moves.teleports.includes(1))).toBe(true);
    expect(read.some((record) => record.events.kinds.includes(2))).toBe(true);
    expect(read.some((record) => record.messages.some((m) => m.parent !== undefined))).toBe(true);
    expect([...reader.ticks({ from: 10, to: 12 })].map((r) => r.tick)).toEqual([10, 11, 12]);
  });

  it('writes one line per record to a string array and a text sink alike', () => {
    const original = engineRun();
    const lines: string[] = [];
    const chunks: string[] = [];
    for (const writer of [new NdjsonWriter(lines), new NdjsonWriter({ write: (c) => chunks.push(c) })]) {
      writer.begin(original.header);
      for (const record of original.ticks()) writer.writeTick(record);
    }
    expect(lines).toHaveLength(original.records.length + 1);
    expect(chunks.join('')).toBe(`${lines.join('\n')}\n`);
    const tick = parseNdjsonLine(lines[3]!, 4);
    expect(tick.type === 'tick' && tick.record).toEqual(original.records[2]);
  });

  it('fills in what producers leave out with the documented defaults', () => {
    const path = writeFile('minimal.ndjson', [
      '{"type":"header"}',
      '{"type":"tick","tick":5,"time":100,"spawns":[{"id":1,"x":0,"y":0},{"id":2,"x":1,"y":0,"viewRadius":3}],' +
        '"events":[{"kind":"enter","watcher":1,"target":2},{"kind":"leave","watcher":2,"target":1}]}',
      '',
      '{"type":"tick","tick":6,"time":150,"moves":[{"id":2,"x":4,"y":0,"teleport":true}]}\r',
    ]);
    const reader = new NdjsonReader(path);
    expect(reader.header).toMatchObject({ source: 'unknown', regionSize: 64, quantum: 1 / 1024, epsilon: 0 });
    const [first, second] = [...reader.ticks()];
    expect(first!.spawns[0]).toEqual({
      id: 1,
      x: 0,
      y: 0,
      viewRadius: 0,
      leaveRadius: 0,
      watcher: true,
      marker: true,
      tags: [],
      cause: -1,
    });
    expect(first!.spawns[1]!.leaveRadius).toBe(3);
    expect([...first!.events.kinds]).toEqual([0, 1]);
    expect(first!.eventBase).toBe(0);
    expect(second!.eventBase).toBe(2);
    expect([second!.moves.teleports[0], second!.moves.causes[0]]).toEqual([1, -1]);
  });

  it('fails at the first bad line with its number and the JSON path, after yielding the good ones', () => {
    const path = writeFile('bad.ndjson', [
      header,
      '{"type":"tick","tick":1,"time":0,"spawns":[{"id":1,"x":0,"y":0}]}',
      '',
      '{"type":"tick","tick":2,"time":0,"moves":[{"id":1,"x":1,"y":1},{"id":7,"x":1,"y":1}]}',
    ]);
    const seen: number[] = [];
    let error: TraceError | undefined;
    try {
      for (const record of new NdjsonReader(path).ticks()) seen.push(record.tick);
    } catch (caught) {
      error = caught as TraceError;
    }
    expect(seen).toEqual([1]);
    expect(error?.details).toMatchObject({ line: 4, path: '$.moves[1].id', tick: 2 });
    expect(error?.message).toMatch(/^line 4: tick 2: \$\.moves\[1\]\.id \(entity 7\)/);
  });

  it('is strict on types, names the line and path, and rejects other formats', () => {
    const cases: [string, string, string][] = [
      ['{"type":"tick","tick":1,"time":0,"moves":[{"id":1,"x":"3","y":0}]}', '$.moves[0].x', 'must be a number'],
      ['{"type":"tick","tick":1,"time":0,"spawns":[{"id":1.5,"x":0,"y":0}]}', '$.spawns[0].id', 'integer'],
      ['{"type":"tick","tick":1,"time":0,"events":[{"kind":"blink","watcher":1,"target":1}]}', '$.events[0].kind', ''],
      ['{"type":"tick","tick":1,"time":0,"despawns":"1"}', '$.despawns', 'must be an array'],
      ['{"type":"tick","tick":1}', '$.time', 'must be a number'],
      ['{"type":"tick","tick":1,"time":0,"spawns":[{"id":1,"x":0,"y":0,"tags":["x"]}]}', '$.spawns[0].tags[0]', ''],
      ['{"type":"tick","tick":1,"time":0,"span":{"traceId":"abc","spanId":"b7ad6b7169203331"}}', '$.span.traceId', ''],
      ['{"type":"tick","tick":1,"time":0', '$', 'not valid JSON'],
      ['[1,2]', '$', 'one JSON object'],
      ['{"type":"header"}', '$.type', 'second header'],
    ];
    cases.forEach(([line, path, reason], i) => {
      const error = readError(writeFile(`types-${i}.ndjson`, [header, line]));
      expect(error.code).toBe(TraceErrorCode.InvalidRecord);
      expect(error.details).toMatchObject({ line: 2, path });
      expect(error.message).toContain(reason);
    });
    expect(() => new NdjsonReader(writeFile('v2.ndjson', ['{"type":"header","version":2}']))).toThrow(
      expect.objectContaining({ code: TraceErrorCode.BadFormat, details: { line: 1, path: '$.version' } }),
    );
    expect(() => new NdjsonReader(writeFile('no-header.ndjson', ['{"type":"tick","tick":1,"time":0}']))).toThrow(
      /line 1: \$\.type: the first line must be the header/,
    );
    expect(() => new NdjsonReader(writeFile('empty.ndjson', ['', '']))).toThrow(/empty/);
  });

  it('rejects overlapping event ids and lines over the length limit', () => {
    const overlap = writeFile('overlap.ndjson', [
      header,
      '{"type":"tick","tick":1,"time":0,"spawns":[{"id":1,"x":0,"y":0},{"id":2,"x":0,"y":0}],' +
        '"events":[{"kind":"enter","watcher":1,"target":2}]}',
      '{"type":"tick","tick":2,"time":0,"eventBase":0}',
    ]);
    expect(readError(overlap).details).toMatchObject({ line: 3, path: '$.eventBase' });
    const long = writeFile('long.ndjson', [header, `{"type":"tick","tick":1,"time":0,"x":"${'a'.repeat(500)}"}`]);
    expect(() => [...new NdjsonReader(long, { maxLineBytes: 100, blockBytes: 64 }).ticks()]).toThrow(
      expect.objectContaining({ details: { line: 2, path: '$' } }),
    );
    expect(readFileSync(long, 'utf8').length).toBeGreaterThan(500);
  });
});
