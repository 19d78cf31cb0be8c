import { describe, expect, it } from 'vitest';
import { MemoryTarget } from '../format/io.js';
import { readTraceBytes } from '../format/trace-reader.js';
import { TraceWriter } from '../format/trace-writer.js';
import { NDJSON_HEADER_DEFAULTS } from '../ndjson/ndjson-format.js';
import { parseNdjsonLine } from '../ndjson/parse-ndjson-line.js';
import { TickValidator } from '../ndjson/tick-validator.js';
import { positionLimit, TRACE_LIMITS } from './trace-limits.js';
import type { TickRecord, TraceHeader } from './types.js';

const header: TraceHeader = { ...NDJSON_HEADER_DEFAULTS, source: 'limits' };

/** A tick as a producer sends it (an NDJSON line), parsed: the path import and ingest take. */
function tick(n: number, fields: object = {}): TickRecord {
  const parsed = parseNdjsonLine(JSON.stringify({ type: 'tick', tick: n, time: n, ...fields }), 1);
  if (parsed.type !== 'tick') throw new Error('not a tick');
  return parsed.record;
}

const spawn = (id: number, x: number, radius = 1) => ({ id, x, y: 0, viewRadius: radius });
const moveTo = (id: number, x: number) => [{ id, x, y: 0, teleport: true }];

/**
 * Validates the ticks in order (as import and ingest do); writes the accepted ones with a keyframe after each, reads
 * the file back and returns the first rejection and what the reader saw.
 */
function throughTheFormat(records: TickRecord[]) {
  const validator = new TickValidator(header);
  const target = new MemoryTarget();
  const writer = new TraceWriter(target, { keyframeInterval: 1, chunkTicks: 1 });
  writer.begin(header);
  let rejection: string | undefined;
  for (const record of records) {
    const error = validator.check(record);
    if (error !== undefined) {
      rejection ??= error.message;
      continue;
    }
    writer.writeTick(record);
    validator.apply(record);
  }
  writer.close();
  const reader = readTraceBytes(target.bytes());
  const verified = reader.verify();
  const last = validator.state.tick;
  const entities = [...reader.stateAt(last).entities.values()].map((e) => [e.x, e.viewRadius]);
  return {
    rejection,
    damaged: verified.corrupt.length + (verified.complete ? 0 : 1),
    ticks: [...reader.ticks()].map((r) => r.tick),
    entities,
  };
}

describe('trace limits: what validation accepts, the format stores and reads back', () => {
  const xMax = positionLimit(header.quantum);

  it('positions up to 2^48 quanta', () => {
    expect(xMax).toBe(2 ** 38);
    const result = throughTheFormat([tick(0, { spawns: [spawn(1, -xMax)] }), tick(1, { moves: moveTo(1, xMax) })]);
    expect(result).toMatchObject({ rejection: undefined, damaged: 0, ticks: [0, 1], entities: [[xMax, 1]] });
    for (const x of [xMax + 1, -xMax - 1, 1e308]) {
      const past = throughTheFormat([tick(0, { spawns: [spawn(1, 0)] }), tick(1, { moves: moveTo(1, x) })]);
      expect(past.rejection).toMatch(
        /^tick 1: \$\.moves\[0\]\.x \(entity 1\): x = .* is beyond ±274877906944, the largest position \.aoitrace stores/,
      );
      expect(past.ticks).toEqual([0]);
    }
    expect(throughTheFormat([tick(0, { spawns: [spawn(1, 0), spawn(2, 1e308)] })]).rejection).toMatch(
      /^tick 0: \$\.spawns\[1\]\.x \(entity 2\): x = 1e\+308 is beyond ±274877906944/,
    );
  });

  it('ticks up to 2^52 - 1', () => {
    const max = TRACE_LIMITS.maxTick;
    const at = throughTheFormat([tick(0, { spawns: [spawn(1, 0)] }), tick(max - 1), tick(max)]);
    expect(at).toMatchObject({ rejection: undefined, damaged: 0, ticks: [0, max - 1, max] });
    const past = throughTheFormat([tick(0, { spawns: [spawn(1, 0)] }), tick(max + 1), tick(max + 2)]);
    expect(past.rejection).toMatch(/^tick 4503599627370496: \$\.tick: 4503599627370496 is over 4503599627370495/);
    expect(past).toMatchObject({ damaged: 0, ticks: [0] });
  });

  it('radii up to 2^511, whose square is still finite', () => {
    const max = TRACE_LIMITS.maxRadius;
    expect(Number.isFinite(max * max)).toBe(true);
    expect(throughTheFormat([tick(0, { spawns: [spawn(1, 0, max)] })])).toMatchObject({
      rejection: undefined,
      entities: [[0, max]],
    });
    const past = throughTheFormat([tick(0, { spawns: [spawn(1, 0, 1.34e154)] })]);
    expect(past.rejection).toMatch(
      /\$\.spawns\[0\]\.viewRadius \(entity 1\): viewRadius 1\.34e\+154 must be a finite number 0\.\.2\^511/,
    );
    const update = throughTheFormat([
      tick(0, { spawns: [spawn(1, 0)] }),
      tick(1, { updates: [{ id: 1, viewRadius: 1, leaveRadius: Number.MAX_VALUE, cause: -1 }] }),
    ]);
    expect(update.rejection).toMatch(/^tick 1: \$\.updates\[0\]\.leaveRadius \(entity 1\): /);
  });

  it('event ids below 2^53', () => {
    const events = [{ kind: 'enter', watcher: 1, target: 1 }];
    const past = throughTheFormat([
      tick(0, { spawns: [spawn(1, 0)] }),
      tick(1, { eventBase: Number.MAX_SAFE_INTEGER, events }),
    ]);
    expect(past.rejection).toMatch(/^tick 1: \$\.eventBase: the ids of this tick's events would pass 2\^53 - 1/);
  });

  it('strings that UTF-8 can hold (no lone surrogates)', () => {
    const line = '{"type":"tick","tick":0,"time":0,"spawns":[{"id":1,"x":0,"y":0,"tags":["ok","\\ud800"]}]}';
    expect(() => parseNdjsonLine(line, 2)).toThrow(/\$\.spawns\[0\]\.tags\[1\]: has a lone surrogate/);
    expect(() => parseNdjsonLine('{"type":"header","source":"\\udfff"}', 1)).toThrow(/\$\.source: has a lone/);
    expect(() => parseNdjsonLine('{"type":"header","attributes":{"\\ud800":"x"}}', 1)).toThrow(/\$\.attributes/);
    const pair = parseNdjsonLine('{"type":"header","source":"\\ud83d\\ude00"}', 1);
    expect(pair).toMatchObject({ type: 'header', header: { source: '😀' } });
  });
});
