import { describe, expect, it } from 'vitest';
import { TraceContextError } from './errors.js';
import { TraceState } from './tracestate.js';

const members = (n: number, prefix = 'k') => Array.from({ length: n }, (_, i) => `${prefix}${i}=v${i}`);

describe('TraceState.parse: accepted headers', () => {
  it.each([
    [
      'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
      [
        ['rojo', '00f067aa0ba902b7'],
        ['congo', 't61rcWkgMzE'],
      ],
    ],
    [
      'rojo=1 , \tcongo=2\t',
      [
        ['rojo', '1'],
        ['congo', '2'],
      ],
    ],
    [
      ' , ,rojo=1,,\t,congo=2, ',
      [
        ['rojo', '1'],
        ['congo', '2'],
      ],
    ],
    ['a= leading', [['a', ' leading']]],
    ['a=trailing   ', [['a', 'trailing']]],
    ['a=in side', [['a', 'in side']]],
    [
      'fw529a3039@dt=x,1t@s=y',
      [
        ['fw529a3039@dt', 'x'],
        ['1t@s', 'y'],
      ],
    ],
  ])('%j', (header, expected) => {
    expect(TraceState.parse(header).entries()).toEqual(expected);
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['only whitespace and commas', ' ,\t, ,'],
    ['empty array', []],
  ])('accepts an empty header (%s) as empty', (_, header) => {
    expect(TraceState.parse(header)).toBe(TraceState.empty);
  });

  it('combines several header fields in order', () => {
    expect(TraceState.parse(['a=1,b=2', 'c=3', '', 'd=4']).keys()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('accepts exactly 32 members, ignoring empty ones', () => {
    expect(TraceState.parse(members(32).join(', ,')).size).toBe(32);
  });
});

describe('TraceState.parse: headers discarded whole', () => {
  it.each([
    ['33 members', members(33).join(',')],
    ['33 members of which one repeats a key', [...members(32), 'k0=again'].join(',')],
    ['uppercase key', 'a=1,B=2'],
    ['member without =', 'a=1,b'],
    ['empty value', 'a=1,b='],
    ['whitespace-only value', 'a=1,b=   '],
    ['space before =', 'a =1'],
    ['space after key', 'a= 1,b =2'],
    ['= in value', 'a=1=2'],
    ['tab inside value', 'a=x\ty'],
    ['control char', 'a=x\u0001'],
    ['non-ASCII value', 'a=caf\u00e9'],
    ['value over 256 chars', `a=${'v'.repeat(257)}`],
    ['key over 256 chars', `${'k'.repeat(257)}=v`],
    ['junk after trailing whitespace', 'a=1\t b'],
    ['huge input', `a=1${' '.repeat(70_000)}`],
  ])('%s', (_, header) => {
    expect(TraceState.parse(header)).toBe(TraceState.empty);
    expect(TraceState.parse(header, { traceContextLevel: 1 }).size).toBe(0);
  });
});

describe('TraceState mutations', () => {
  const base = TraceState.parse('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');

  it('set adds a new member at the front (left)', () => {
    expect(base.set('ctx', 'lane:gray').serialize()).toBe('ctx=lane:gray,rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
  });

  it('set moves an updated member to the front and keeps the others in order', () => {
    expect(base.set('congo', 'ucfJifl5GOE').serialize()).toBe('congo=ucfJifl5GOE,rojo=00f067aa0ba902b7');
  });

  it('set leaves the original untouched (immutable)', () => {
    const updated = base.set('x', '1');
    expect(base.serialize()).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    expect(updated).not.toBe(base);
    expect(Object.isFrozen(base.entries())).toBe(true);
  });

  it('set on a full list drops the right-most member', () => {
    const full = TraceState.parse(members(32).join(','));
    const next = full.set('new', 'x');
    expect(next.size).toBe(32);
    expect(next.keys()[0]).toBe('new');
    expect(next.has('k31')).toBe(false);
    expect(next.has('k30')).toBe(true);
  });

  it('set of an existing key on a full list drops nothing else', () => {
    const full = TraceState.parse(members(32).join(','));
    const next = full.set('k31', 'x');
    expect(next.size).toBe(32);
    expect(next.keys().slice(0, 2)).toEqual(['k31', 'k0']);
  });

  it.each([
    ['BAD', 'v', 'TRACE_CONTEXT_INVALID_TRACESTATE_KEY', /"BAD"/],
    ['ok', 'a,b', 'TRACE_CONTEXT_INVALID_TRACESTATE_VALUE', /"a,b" for key "ok"/],
    ['ok', 'end ', 'TRACE_CONTEXT_INVALID_TRACESTATE_VALUE', /"end "/],
    ['ok', '', 'TRACE_CONTEXT_INVALID_TRACESTATE_VALUE', /""/],
  ])('set(%j, %j) throws %s naming the culprit', (key, value, code, message) => {
    expect(() => base.set(key, value)).toThrow(message);
    expect(() => base.set(key, value)).toThrow(expect.objectContaining({ code, name: 'TraceContextError' }));
  });

  it('delete removes a member and keeps the order of the rest', () => {
    const three = TraceState.parse('a=1,b=2,c=3');
    expect(three.delete('b').serialize()).toBe('a=1,c=3');
    expect(three.delete('zzz')).toBe(three);
    expect(TraceState.parse('a=1').delete('a')).toBe(TraceState.empty);
  });

  it('get, has, keys, size, toString', () => {
    expect(base.get('congo')).toBe('t61rcWkgMzE');
    expect(base.get('nobody')).toBeUndefined();
    expect(base.has('rojo')).toBe(true);
    expect(base.has('nobody')).toBe(false);
    expect(base.keys()).toEqual(['rojo', 'congo']);
    expect(base.size).toBe(2);
    expect(`${base}`).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
  });

  it('serializes without the optional whitespace it received', () => {
    expect(TraceState.parse(' a=1 ,\tb= x  ,').serialize()).toBe('a=1,b= x');
  });
});

describe('TraceState.fromEntries', () => {
  it('keeps the given order', () => {
    expect(
      TraceState.fromEntries([
        ['b', '1'],
        ['a', '2'],
      ]).serialize(),
    ).toBe('b=1,a=2');
  });

  it.each([
    [
      'duplicate key',
      [
        ['a', '1'],
        ['a', '2'],
      ],
      'TRACE_CONTEXT_DUPLICATE_TRACESTATE_KEY',
    ],
    ['33 entries', Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v']), 'TRACE_CONTEXT_TOO_MANY_TRACESTATE_MEMBERS'],
    ['bad key', [['A', '1']], 'TRACE_CONTEXT_INVALID_TRACESTATE_KEY'],
  ] as const)('throws on %s', (_, entries, code) => {
    expect(() => TraceState.fromEntries(entries as [string, string][])).toThrow(TraceContextError);
    expect(() => TraceState.fromEntries(entries as [string, string][])).toThrow(expect.objectContaining({ code }));
  });
});

describe('TraceState truncation', () => {
  const big = (key: string, size: number) => `${key}=${'x'.repeat(size - key.length - 1)}`;

  it('does nothing when the header fits', () => {
    const ts = TraceState.parse('a=1,b=2');
    expect(ts.truncate(7)).toBe(ts);
    expect(ts.serialize(7)).toBe('a=1,b=2');
  });

  it('removes members longer than 128 chars first, right-most first, no more than needed', () => {
    const header = [big('a', 100), big('l1', 129), 'b=1', big('l2', 200), 'c=2'].join(',');
    const ts = TraceState.parse(header);
    // Without l2 the list is 100+129+3+3 chars + 3 commas = 238.
    expect(ts.truncate(238).keys()).toEqual(['a', 'l1', 'b', 'c']);
    expect(ts.truncate(237).keys()).toEqual(['a', 'b', 'c']);
  });

  it('keeps a member of exactly 128 chars while larger ones exist', () => {
    const ts = TraceState.parse([big('edge', 128), big('large', 129)].join(','));
    expect(ts.truncate(200).keys()).toEqual(['edge']);
  });

  it('then removes members from the right end', () => {
    const ts = TraceState.parse('a=1,b=2,c=3,d=4');
    expect(ts.serialize(11)).toBe('a=1,b=2,c=3');
    expect(ts.serialize(10)).toBe('a=1,b=2');
    expect(ts.serialize(3)).toBe('a=1');
    expect(ts.serialize(2)).toBe('');
    expect(ts.truncate(0)).toBe(TraceState.empty);
  });

  it('applies the 512-char guidance to a realistic header', () => {
    const header = [...Array.from({ length: 20 }, (_, i) => big(`v${i}`, 30)), big('huge', 250)].join(',');
    const out = TraceState.parse(header).serialize(512);
    expect(out.length).toBeLessThanOrEqual(512);
    expect(out).not.toContain('huge=');
    expect(out.split(',')).toHaveLength(16);
  });

  it.each([-1, 1.5, Number.NaN])('rejects maxLength %d', (max) => {
    expect(() => TraceState.parse('a=1').serialize(max)).toThrow(
      expect.objectContaining({ code: 'TRACE_CONTEXT_INVALID_ARGUMENT' }),
    );
  });
});
