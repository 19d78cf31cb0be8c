import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractLane } from './extract-lane.js';
import { injectLane } from './inject-lane.js';
import { TraceState, type TraceStateEntry } from './tracestate.js';

const chars = (s: string) => fc.constantFrom(...s.split(''));
const LC = 'abcdefghijklmnopqrstuvwxyz';
const LC_DIGIT = `${LC}0123456789`;
const tail = (max: number) => fc.string({ unit: chars(`${LC_DIGIT}_-*/`), maxLength: max });
const VALUE_CHARS = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i))
  .filter((c) => c !== ',' && c !== '=')
  .join('');

const traceStateKey = fc.oneof(
  fc.tuple(chars(LC), tail(20)).map(([a, b]) => a + b),
  fc.tuple(chars(LC_DIGIT), tail(12), chars(LC), tail(13)).map(([t, tt, s, st]) => `${t}${tt}@${s}${st}`),
  // Level 2 only: `@` anywhere after the first char, any number of them.
  fc.tuple(chars(LC_DIGIT), fc.string({ unit: chars(`${LC_DIGIT}_-*/@`), maxLength: 20 })).map(([a, b]) => a + b),
);
const traceStateValue = fc
  .tuple(fc.string({ unit: chars(VALUE_CHARS), maxLength: 40 }), chars(VALUE_CHARS.slice(1)))
  .map(([body, last]) => body + last);
const traceStateEntries = (max = 32, forbiddenKey?: string) =>
  fc.uniqueArray(
    fc.tuple(traceStateKey, traceStateValue).filter(([k]) => k !== forbiddenKey),
    { selector: ([k]) => k, maxLength: max },
  );
const ows = fc.string({ unit: chars(' \t'), maxLength: 3 });
const laneName = fc.oneof(
  chars(LC_DIGIT),
  fc
    .tuple(chars(LC_DIGIT), fc.string({ unit: chars(`${LC_DIGIT}-`), maxLength: 61 }), chars(LC_DIGIT))
    .map(([a, mid, z]) => a + mid + z),
);

const KEY = {
  1: /^(?:[a-z][a-z0-9_\-*/]{0,255}|[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13})$/,
  2: /^[a-z0-9][a-z0-9_\-*/@]{0,255}$/,
} as const;
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

/** A deliberately naive reading of the spec's ABNF, as an oracle for the single-pass scanner. */
function referenceParse(header: string, level: 1 | 2): TraceStateEntry[] {
  const out: TraceStateEntry[] = [];
  let members = 0;
  for (const raw of header.split(',')) {
    const member = raw.replace(/^[ \t]+|[ \t]+$/g, '');
    if (member === '') continue;
    const eq = member.indexOf('=');
    const key = member.slice(0, eq);
    const value = member.slice(eq + 1);
    if (eq < 0 || !KEY[level].test(key) || !VALUE.test(value)) return [];
    members++;
    if (out.some(([k]) => k === key)) {
      if (level === 1) return [];
      continue;
    }
    out.push([key, value]);
  }
  return members > 32 ? [] : out;
}

const run = { numRuns: 400 };

describe('TraceState properties', () => {
  it('parse(serialize(x)) equals x', () => {
    fc.assert(
      fc.property(traceStateEntries(), (entries) => {
        const ts = TraceState.fromEntries(entries);
        expect(TraceState.parse(ts.serialize()).entries()).toEqual(entries);
      }),
      run,
    );
  });

  it('optional whitespace, empty members and field splits do not change the result', () => {
    fc.assert(
      fc.property(
        traceStateEntries(),
        fc.array(ows, { minLength: 66, maxLength: 66 }),
        fc.integer({ min: 0, max: 32 }),
        (entries, spaces, split) => {
          const parts = entries.map(([k, v], i) => `${spaces[2 * i]}${k}=${v}${spaces[2 * i + 1]}`);
          const fields = [`${parts.slice(0, split).join(',')},${spaces[64]},`, parts.slice(split).join(',')];
          expect(TraceState.parse(fields).entries()).toEqual(entries);
        },
      ),
      run,
    );
  });

  it('agrees with a naive reference parser on arbitrary input', () => {
    const member = fc.oneof(
      fc.tuple(traceStateKey, traceStateValue).map(([k, v]) => `${k}=${v}`),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('', ' ', 'A=1', 'a=', 'a==', 'a=b\t', '@x=1', 'a=1', 'a=2', 'x@=3', `${'k'.repeat(257)}=v`),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(ows, member, ows), { maxLength: 36 }), (members) => {
        const header = members.map(([a, m, b]) => a + m + b).join(',');
        expect(TraceState.parse(header).entries()).toEqual(referenceParse(header, 2));
        expect(TraceState.parse(header, { traceContextLevel: 1 }).entries()).toEqual(referenceParse(header, 1));
      }),
      { numRuns: 1000 },
    );
  });

  it('set matches a list model: the key moves to the front, at most 32 members', () => {
    const op = fc.oneof(
      fc.tuple(fc.constant('set' as const), traceStateKey, traceStateValue),
      fc.tuple(fc.constant('delete' as const), traceStateKey, fc.constant('')),
    );
    fc.assert(
      fc.property(traceStateEntries(), fc.array(op, { maxLength: 40 }), (entries, ops) => {
        let ts = TraceState.fromEntries(entries);
        let model: TraceStateEntry[] = [...entries];
        for (const [kind, key, value] of ops) {
          model = model.filter(([k]) => k !== key);
          if (kind === 'set') {
            model = [[key, value] as const, ...model].slice(0, 32);
            ts = ts.set(key, value);
          } else ts = ts.delete(key);
        }
        expect(ts.entries()).toEqual(model);
      }),
      run,
    );
  });

  it('serialize(maxLength) fits, keeps whole members in order, and never drops needlessly', () => {
    fc.assert(
      fc.property(traceStateEntries(), fc.integer({ min: 0, max: 600 }), (entries, max) => {
        const ts = TraceState.fromEntries(entries);
        const out = ts.serialize(max);
        expect(out.length).toBeLessThanOrEqual(max);
        const kept = TraceState.parse(out).entries();
        const order = kept.map((e) => entries.findIndex(([k]) => k === e[0]));
        expect(order).toEqual([...order].sort((a, b) => a - b));
        for (const e of kept) expect(entries).toContainEqual(e);
        if (ts.serialize().length <= max) expect(out).toBe(ts.serialize());
      }),
      run,
    );
  });

  it('extractLane(injectLane(x)) finds any valid lane among any valid members', () => {
    fc.assert(
      fc.property(traceStateEntries(32, 'ctx'), laneName, (entries, lane) => {
        const header = injectLane('tracestate', TraceState.fromEntries(entries).serialize(), lane);
        expect(extractLane({ tracestate: header })).toEqual({ lane, carrier: 'tracestate' });
        expect(TraceState.parse(header).size).toBe(Math.min(32, entries.length + 1));
      }),
      run,
    );
  });

  it('finds ctx=lane:<lane> anywhere in a hand-written header with optional whitespace', () => {
    fc.assert(
      fc.property(traceStateEntries(31, 'ctx'), laneName, fc.nat(), ows, ows, (entries, lane, at, a, b) => {
        const parts = entries.map(([k, v]) => `${k}=${v}`);
        parts.splice(at % (parts.length + 1), 0, `${a}ctx=lane:${lane}${b}`);
        expect(extractLane({ tracestate: parts.join(' ,') })?.lane).toBe(lane);
      }),
      run,
    );
  });

  it('random input never throws, and the lane agrees with the full parser', () => {
    const unit = fc.oneof(
      chars('ctx=lane:gray,; \t@%AB1-_*/'),
      fc.constantFrom('ctx=lane:gray', 'k=v', 'ctx='),
      fc.string({ unit: 'binary', maxLength: 1 }),
    );
    const member = fc.oneof(
      fc.tuple(traceStateKey, traceStateValue).map(([k, v]) => `${k}=${v}`),
      laneName.map((lane) => `ctx=lane:${lane}`),
      fc.constantFrom('ctx=lane:GRAY', 'ctx=lane:gray;x', 'ctx=lane:', 'ctx= lane:a', 'xctx=lane:a', 'ctx=lane:-a'),
      fc.string({ unit, maxLength: 8 }),
    );
    const structured = fc
      .array(fc.tuple(ows, member, ows), { maxLength: 6 })
      .map((m) => m.map(([a, x, b]) => a + x + b).join(','));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit, maxLength: 60 }), structured), (header) => {
        const value = TraceState.parse(header).get('ctx');
        const expected = value?.match(/^lane:([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)$/)?.[1];
        expect(extractLane({ tracestate: header })?.lane).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
