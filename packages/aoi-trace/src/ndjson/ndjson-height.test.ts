// Height in NDJSON: recorded runs with z and half-heights survive the line round trip (Infinity as null), and bad
// height fields are refused with the field's path.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { heightOp, recordHeightRun } from '../format/test-support/height-runs.js';
import { plain } from '../format/test-support/recorded-runs.js';
import { ndjsonTickLine } from './ndjson-encode.js';
import { parseNdjsonLine } from './parse-ndjson-line.js';

describe('NDJSON with height', () => {
  it('round-trips every tick of recorded runs with z and half-heights (fast-check)', () => {
    let unbounded = 0;
    fc.assert(
      fc.property(fc.array(heightOp, { minLength: 5, maxLength: 60 }), (ops) => {
        const { trace } = recordHeightRun(ops);
        for (const record of trace.records) {
          const line = ndjsonTickLine(record);
          if (line.includes('"viewHeight":null')) unbounded++;
          const parsed = parseNdjsonLine(line, 1);
          expect(parsed.type).toBe('tick');
          if (parsed.type === 'tick') expect(plain(parsed.record)).toEqual(plain(record));
        }
      }),
      { numRuns: 150 },
    );
    expect(unbounded).toBeGreaterThan(0);
  });

  it('records a z of -0 as 0, so the NDJSON line gives back the recorded tick (a fast-check counterexample)', () => {
    const { trace } = recordHeightRun([
      { op: 'add', id: 1, x: 0, y: 0, z: -0, h: null },
      { op: 'tick' },
      { op: 'move', id: 1, x: 0, y: 1, z: -0 },
      { op: 'add', id: 2, x: 0, y: 0, z: null, h: null },
      { op: 'tick' },
      { op: 'move', id: 2, x: 0, y: 1, z: -0 },
      { op: 'tick' },
    ]);
    let zs = 0;
    for (const record of trace.records) {
      for (const entity of [...record.spawns, ...record.updates]) {
        if (entity.z === undefined) continue;
        zs++;
        expect(Object.is(entity.z, -0)).toBe(false);
      }
      const parsed = parseNdjsonLine(ndjsonTickLine(record), 1);
      expect(parsed.type === 'tick' && plain(parsed.record)).toEqual(plain(record));
    }
    expect(zs).toBeGreaterThan(0);
  });

  it('refuses a non-finite z and a negative half-height, naming the field', () => {
    const tick = (spawn: object) =>
      JSON.stringify({ type: 'tick', tick: 0, time: 0, spawns: [{ id: 1, x: 0, y: 0, ...spawn }] });
    expect(() => parseNdjsonLine(tick({ z: 'up' }), 3)).toThrow(/z/);
    expect(() => parseNdjsonLine(tick({ viewHeight: -1 }), 3)).toThrow(/viewHeight/);
    const ok = parseNdjsonLine(tick({ z: 2, viewHeight: null, leaveHeight: 4 }), 3);
    expect(ok.type === 'tick' && ok.record.spawns[0]).toMatchObject({
      z: 2,
      viewHeight: Number.POSITIVE_INFINITY,
      leaveHeight: 4,
    });
  });
});
