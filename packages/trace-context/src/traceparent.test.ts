import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TraceContextError } from './errors.js';
import { newSpanId, newTraceId } from './random-id.js';
import {
  childTraceparent,
  formatTraceparent,
  isValidTraceparent,
  newTraceparent,
  parseTraceparent,
} from './traceparent.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const valid = (flags = '01', version = '00') => `${version}-${TRACE}-${PARENT}-${flags}`;

describe('parseTraceparent: valid', () => {
  it.each([
    ['00', 0, false, false],
    ['01', 1, true, false],
    ['02', 2, false, true],
    ['03', 3, true, true],
    ['09', 9, true, false],
    ['ff', 255, true, true],
  ])('flags %s -> traceFlags %i, sampled %s, random %s', (flags, traceFlags, sampled, random) => {
    expect(parseTraceparent(valid(flags))).toEqual({
      version: 0,
      traceId: TRACE,
      parentId: PARENT,
      traceFlags,
      sampled,
      random,
    });
  });

  it('accepts a one-element array and surrounding optional whitespace', () => {
    expect(parseTraceparent([valid()])?.traceId).toBe(TRACE);
    expect(parseTraceparent(` \t${valid()}\t `)?.parentId).toBe(PARENT);
  });
});

describe('parseTraceparent: invalid', () => {
  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['empty array', []],
    ['two fields', [valid(), valid()]],
    ['two fields joined by Node', `${valid()}, ${valid()}`],
    ['version ff', valid('01', 'ff')],
    ['uppercase version', valid('01', 'AA')],
    ['one-char version', `0-${TRACE}-${PARENT}-01`],
    ['version 00 too long', `${valid()}-extra`],
    ['version 00 trailing garbage', `${valid()}x`],
    ['version 00 too short', valid().slice(0, 54)],
    ['uppercase trace id', `00-${TRACE.toUpperCase()}-${PARENT}-01`],
    ['uppercase parent id', `00-${TRACE}-00F067AA0BA902B7-01`],
    ['uppercase flags', valid('0A')],
    ['non-hex trace id', `00-${TRACE.slice(0, 31)}g-${PARENT}-01`],
    ['non-hex flags', valid('0x')],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${PARENT}-01`],
    ['all-zero parent id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['short trace id', `00-${TRACE.slice(1)}-${PARENT}-011`],
    ['wrong separator', `00_${TRACE}-${PARENT}-01`],
    ['missing separator before flags', `00-${TRACE}-${PARENT}001`],
    ['future version shorter than 55', `01-${TRACE}-${PARENT}-0`],
    ['future version without dash after flags', `01-${TRACE}-${PARENT}-01x`],
    ['future version joined by Node', `01-${TRACE}-${PARENT}-01, 01-${TRACE}-${PARENT}-01`],
  ])('%s', (_, input) => {
    expect(parseTraceparent(input)).toBeUndefined();
    expect(isValidTraceparent(input)).toBe(false);
  });

  it('rejects a huge value without scanning it', () => {
    expect(parseTraceparent(`${valid()}${' '.repeat(70_000)}`)).toBeUndefined();
  });
});

describe('parseTraceparent: future versions', () => {
  it('reads the first four fields of a longer future-version header', () => {
    expect(parseTraceparent(`cc-${TRACE}-${PARENT}-01-what-the-future-will-be-like`)).toEqual({
      version: 0xcc,
      traceId: TRACE,
      parentId: PARENT,
      traceFlags: 1,
      sampled: true,
      random: false,
    });
  });

  it('reads a future version of exactly 55 chars', () => {
    expect(parseTraceparent(valid('03', '01'))?.version).toBe(1);
  });

  it('keeps only the flag bits this spec defines for a future version', () => {
    expect(parseTraceparent(valid('ff', '02'))?.traceFlags).toBe(3);
  });

  it('still refuses all-zero ids in a future version', () => {
    expect(parseTraceparent(`01-${'0'.repeat(32)}-${PARENT}-01-x`)).toBeUndefined();
  });
});

describe('formatTraceparent', () => {
  it('writes version 00 and only the defined flags', () => {
    const parsed = parseTraceparent(`cc-${TRACE}-${PARENT}-ff-future`);
    expect(parsed).toBeDefined();
    if (parsed) expect(formatTraceparent(parsed)).toBe(valid('03'));
    expect(formatTraceparent({ traceId: TRACE, parentId: PARENT, sampled: false, random: false })).toBe(valid('00'));
    expect(formatTraceparent({ traceId: TRACE, parentId: PARENT, sampled: false, random: true })).toBe(valid('02'));
  });

  it('round-trips a version 00 header with defined flags', () => {
    for (const flags of ['00', '01', '02', '03']) {
      const parsed = parseTraceparent(valid(flags));
      expect(parsed && formatTraceparent(parsed)).toBe(valid(flags));
    }
  });

  it.each([
    ['short trace id', { traceId: TRACE.slice(1), parentId: PARENT }],
    ['all-zero trace id', { traceId: '0'.repeat(32), parentId: PARENT }],
    ['uppercase parent id', { traceId: TRACE, parentId: PARENT.toUpperCase() }],
    ['all-zero parent id', { traceId: TRACE, parentId: '0'.repeat(16) }],
  ])('throws TRACE_CONTEXT_INVALID_TRACEPARENT on %s', (_, ids) => {
    const format = () => formatTraceparent({ ...ids, sampled: true, random: false });
    expect(format).toThrow(TraceContextError);
    expect(format).toThrow(/must be \d+ lowercase hex/);
    try {
      format();
    } catch (error) {
      expect((error as TraceContextError).code).toBe('TRACE_CONTEXT_INVALID_TRACEPARENT');
    }
  });
});

describe('ids and derived traceparents', () => {
  it('mints lowercase hex ids of the right size that are not all zero and do not repeat', () => {
    const traceIds = new Set(Array.from({ length: 2000 }, newTraceId));
    const spanIds = new Set(Array.from({ length: 2000 }, newSpanId));
    expect(traceIds.size).toBe(2000);
    expect(spanIds.size).toBe(2000);
    for (const id of traceIds) expect(id).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    for (const id of spanIds) expect(id).toMatch(/^(?!0{16})[0-9a-f]{16}$/);
  });

  it('childTraceparent keeps the trace, changes the parent, clears reserved flags', () => {
    const parent = parseTraceparent(valid('ff'));
    if (!parent) throw new Error('fixture must parse');
    const child = childTraceparent(parent);
    expect(child.traceId).toBe(TRACE);
    expect(child.parentId).not.toBe(PARENT);
    expect(child).toMatchObject({ version: 0, traceFlags: 3, sampled: true, random: true });
    expect(parseTraceparent(formatTraceparent(child))).toEqual(child);
  });

  it('childTraceparent never sets the random flag on a trace it did not start', () => {
    const parent = parseTraceparent(valid('01'));
    if (!parent) throw new Error('fixture must parse');
    expect(childTraceparent(parent, { sampled: false })).toMatchObject({
      random: false,
      sampled: false,
      traceFlags: 0,
    });
  });

  it('newTraceparent starts a random trace, unsampled by default', () => {
    const tp = newTraceparent();
    expect(tp).toMatchObject({ version: 0, sampled: false, random: true, traceFlags: 2 });
    expect(newTraceparent({ sampled: true }).traceFlags).toBe(3);
    expect(parseTraceparent(formatTraceparent(tp))).toEqual(tp);
  });
});

describe('traceparent properties', () => {
  const hex = (n: number) =>
    fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), minLength: n, maxLength: n });
  const ORACLE = /^([0-9a-f]{2})-((?!0{32})[0-9a-f]{32})-((?!0{16})[0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/s;

  it('parse(format(x)) equals x for any valid ids and flags', () => {
    fc.assert(
      fc.property(hex(32), hex(16), fc.boolean(), fc.boolean(), (traceId, parentId, sampled, random) => {
        fc.pre(/[1-9a-f]/.test(traceId) && /[1-9a-f]/.test(parentId));
        const tp = { version: 0, traceId, parentId, traceFlags: (sampled ? 1 : 0) | (random ? 2 : 0), sampled, random };
        expect(parseTraceparent(formatTraceparent(tp))).toEqual(tp);
      }),
    );
  });

  it('agrees with a regex oracle on near-valid and random input, and never throws', () => {
    const field = fc.oneof(hex(2), fc.constantFrom('ff', '00', '01', 'A0', '0', '000'));
    const nearValid = fc
      .tuple(field, fc.oneof(hex(32), fc.constant('0'.repeat(32))), hex(16), field, fc.constantFrom('', '-x', 'x', ' '))
      .map(([v, t, p, f, rest]) => `${v}-${t}-${p}-${f}${rest}`);
    fc.assert(
      fc.property(fc.oneof(nearValid, fc.string({ maxLength: 70 })), (input) => {
        const m = ORACLE.exec(input.replace(/^[ \t]+|[ \t]+$/g, ''));
        const version = m ? Number.parseInt(m[1] ?? '', 16) : -1;
        const ok = m !== null && version !== 255 && (version === 0 ? m[5] === undefined : true);
        expect(parseTraceparent(input) !== undefined).toBe(ok);
        if (ok) expect(parseTraceparent(input)?.traceId).toBe(m?.[2]);
      }),
      { numRuns: 2000 },
    );
  });
});
