import { describe, expect, it } from 'vitest';
import { extractLane } from './extract-lane.js';
import { injectLane } from './inject-lane.js';
import { formatTraceparent, newTraceparent, parseTraceparent } from './traceparent.js';
import { TraceState } from './tracestate.js';

const L1 = { traceContextLevel: 1 } as const;
const L2 = { traceContextLevel: 2 } as const;
const TRACE = '12345678901234567890123456789012';
const PARENT = '1234567890123456';

// The three headers of issue 13 §5 that a Level 1 key grammar discards, though Level 2 allows them
// (https://www.w3.org/TR/trace-context-2/#key: `key = ( lcalpha / DIGIT ) 0*255 ( keychar )`, `@` is a keychar).
const LEVEL_2_KEYS = [
  ['foo@', 'an @ with nothing after it'],
  [`${'t'.repeat(242)}@v`, 't + 242 chars + @v'],
  [`t@${'v'.repeat(254)}`, 't@vvv… at the 256-char maximum'],
] as const;

describe('Level 2 tracestate keys (the default)', () => {
  it.each(LEVEL_2_KEYS)('keeps %s (%s) and the lane next to it', (key) => {
    const header = `${key}=1,ctx=lane:gray`;
    const ts = TraceState.parse(header);
    expect(ts.entries()).toEqual([
      [key, '1'],
      ['ctx', 'lane:gray'],
    ]);
    expect(TraceState.parse(header, L2).entries()).toEqual(ts.entries());
    expect(extractLane({ tracestate: header })).toEqual({ lane: 'gray', carrier: 'tracestate' });
    expect(injectLane('tracestate', header, 'blue')).toBe(`ctx=lane:blue,${key}=1`);
  });

  it.each(LEVEL_2_KEYS)('Level 1, by setting, discards the header with %s (%s)', (key) => {
    const header = `${key}=1,ctx=lane:gray`;
    expect(TraceState.parse(header, L1).size).toBe(0);
    expect(extractLane({ tracestate: header }, L1)).toBeUndefined();
    expect(injectLane('tracestate', header, 'blue', L1)).toBe('ctx=lane:blue');
  });

  it('still refuses what Level 2 forbids: a key over 256 chars, opening with @, uppercase', () => {
    for (const key of [`t@${'v'.repeat(255)}`, '@foo', 'Foo@x']) {
      expect(TraceState.parse(`${key}=1,ctx=lane:gray`).size, key).toBe(0);
    }
  });

  it('set validates keys by the level the tracestate was parsed with', () => {
    expect(TraceState.parse('a=1').set('a@b@c', 'x').get('a@b@c')).toBe('x');
    expect(() => TraceState.parse('a=1', L1).set('a@b@c', 'x')).toThrow(/tenant@system \(Trace Context Level 1\)/);
    expect(TraceState.parse('a=1', L1).set('a@b', 'x').level).toBe(1);
    expect(() => TraceState.fromEntries([['1abc', 'x']], L1)).toThrow(/is invalid/);
    expect(TraceState.fromEntries([['1abc', 'x']]).serialize()).toBe('1abc=x');
  });
});

describe('duplicated tracestate keys', () => {
  it('Level 2 keeps the left-most member of a repeated key and every other member', () => {
    expect(TraceState.parse('a=1,b=2,a=3').entries()).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(TraceState.parse(['foo=1', 'bar=2', 'foo=2']).serialize()).toBe('foo=1,bar=2');
    expect(TraceState.parse('foo=1,foo=1').serialize()).toBe('foo=1');
  });

  it('Level 2 reads the lane of the left-most ctx member', () => {
    expect(extractLane({ tracestate: 'ctx=lane:gray,ctx=lane:blue' })?.lane).toBe('gray');
    expect(extractLane({ tracestate: ['dd=1,ctx=lane:gray', 'dd=2,ctx=x'] })?.lane).toBe('gray');
    expect(injectLane('tracestate', 'dd=1,ctx=lane:gray,dd=2', 'blue')).toBe('ctx=lane:blue,dd=1');
  });

  it('Level 1 discards the whole header', () => {
    expect(TraceState.parse('a=1,b=2,a=3', L1).size).toBe(0);
    expect(extractLane({ tracestate: 'ctx=lane:gray,dd=1,dd=2' }, L1)).toBeUndefined();
  });

  it('counts repeats toward the 32-member limit of the list as received', () => {
    const list = Array.from({ length: 32 }, (_, i) => `k${i}=v`);
    expect(TraceState.parse([...list.slice(0, 31), 'k0=again'].join(',')).size).toBe(31);
    expect(TraceState.parse([...list, 'k0=again'].join(',')).size).toBe(0);
  });
});

describe('traceparent by level', () => {
  it('Level 2 reads the random-trace-id flag; Level 1 treats that bit as reserved', () => {
    const header = `00-${TRACE}-${PARENT}-03`;
    expect(parseTraceparent(header)).toMatchObject({ sampled: true, random: true, traceFlags: 3 });
    expect(parseTraceparent(header, L1)).toMatchObject({ sampled: true, random: false, traceFlags: 3 });
  });

  it('a higher version keeps only the flags the level defines', () => {
    const header = `cc-${TRACE}-${PARENT}-ff-future`;
    expect(parseTraceparent(header)).toMatchObject({ version: 0xcc, traceFlags: 3, random: true });
    expect(parseTraceparent(header, L1)).toMatchObject({ version: 0xcc, traceFlags: 1, random: false });
  });

  it('a new trace sets the random flag at Level 2 only, and output never carries reserved bits', () => {
    expect(formatTraceparent(newTraceparent())).toMatch(/-02$/);
    expect(formatTraceparent(newTraceparent({ sampled: true, ...L1 }))).toMatch(/-01$/);
    const received = parseTraceparent(`00-${TRACE}-${PARENT}-ff`, L1);
    expect(received && formatTraceparent({ ...received, parentId: 'fedcba9876543210' })).toMatch(/-01$/);
  });
});
