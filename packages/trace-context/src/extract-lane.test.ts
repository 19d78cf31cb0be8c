import { describe, expect, it } from 'vitest';
import { extractLane, laneFromBaggage, laneFromTraceState } from './extract-lane.js';

const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('tracestate carrier: exact match', () => {
  it.each([
    ['ctx=lane:gray', 'gray'],
    ['dd=s:1,ctx=lane:gray', 'gray'],
    ['ctx=lane:gray , dd=s:1', 'gray'],
    ['\tctx=lane:gray\t,\tdd=s:1', 'gray'],
    ['  ctx=lane:gray   ', 'gray'],
    [',,ctx=lane:gray,,', 'gray'],
    ['ctx=lane:gray2', 'gray2'],
    ['ctx=lane:xgray', 'xgray'],
    ['ctx=lane:a-b', 'a-b'],
  ])('%j -> %j', (header, lane) => {
    expect(extractLane({ tracestate: header })).toEqual({ lane, carrier: 'tracestate' });
  });

  it('reads several header fields, as an array or joined by Node', () => {
    expect(extractLane({ tracestate: ['dd=s:1', 'ctx=lane:gray'] })?.lane).toBe('gray');
    expect(extractLane({ tracestate: 'dd=s:1, ctx=lane:gray' })?.lane).toBe('gray');
  });

  it.each([
    ['ctx=lane:GRAY', 'uppercase lane'],
    ['xctx=lane:gray', 'longer key'],
    ['ctxx=lane:gray', 'key with suffix'],
    ['ctx=lane:gray;x', 'junk after lane'],
    ['ctx=lane:', 'empty lane'],
    ['ctx=lane:-gray', 'lane not a DNS label'],
    ['ctx=Lane:gray', 'prefix case'],
    ['ctx=lanes:gray', 'other prefix'],
    ['ctx= lane:gray', 'leading space is part of the value'],
    ['ctx=gray', 'no prefix'],
    ['other@ctx=lane:gray', 'multi-tenant key'],
    ['ctx=lane:gray,BAD=1', 'another member invalid'],
    ['ctx=lane:gray,novalue', 'member without ='],
    [`ctx=lane:gray,${Array.from({ length: 32 }, (_, i) => `k${i}=v`).join(',')}`, '33 members'],
    [`ctx=lane:gray,x=${'v'.repeat(257)}`, 'oversized value elsewhere'],
    [`ctx=lane:gray${' '.repeat(70_000)}`, 'huge header'],
    ['', 'empty'],
  ])('%j yields nothing (%s)', (header) => {
    expect(extractLane({ tracestate: header })).toBeUndefined();
    expect(laneFromTraceState(header)).toBeUndefined();
  });
});

describe('baggage carrier', () => {
  it.each([
    ['lane=gray', 'gray'],
    ['userId=alice, lane = gray ,x=1', 'gray'],
    ['lane=gray;origin=ci', 'gray'],
    ['lane=gr%61y', 'gray'],
    ['bad member,lane=gray', 'gray'],
    ['lane=gray,lane=gray', 'gray'],
  ])('%j -> %j', (header, lane) => {
    expect(extractLane({ baggage: header })).toEqual({ lane, carrier: 'baggage' });
  });

  it.each([
    ['lane=GRAY', 'not a lane name'],
    ['Lane=gray', 'keys are case-sensitive'],
    ['xlane=gray', 'other key'],
    ['lane=gray%3Bx', 'decoded value is not a lane name'],
    ['lane=gray,lane=blue', 'conflicting duplicates'],
    ['lane=gray x', 'invalid member'],
    ['lane=', 'empty'],
    [`lane=gray${' '.repeat(70_000)}`, 'huge header'],
  ])('%j yields nothing (%s)', (header) => {
    expect(extractLane({ baggage: header })).toBeUndefined();
    expect(laneFromBaggage(header)).toBeUndefined();
  });

  it('ignores a lane member the size limit would drop', () => {
    const filler = `a=${'x'.repeat(8190)}`;
    expect(laneFromBaggage(`${filler},lane=gray`)).toBeUndefined();
    expect(laneFromBaggage(`lane=gray,${filler}`)).toBe('gray');
  });
});

describe('precedence and options', () => {
  const both = { tracestate: 'ctx=lane:gray', baggage: 'lane=blue' };

  it('tries tracestate then baggage by default', () => {
    expect(extractLane(both)).toEqual({ lane: 'gray', carrier: 'tracestate' });
  });

  it('follows the given carrier order', () => {
    expect(extractLane(both, { carriers: ['baggage', 'tracestate'] })).toEqual({ lane: 'blue', carrier: 'baggage' });
    expect(extractLane(both, { carriers: ['baggage'] })?.carrier).toBe('baggage');
    expect(extractLane(both, { carriers: [] })).toBeUndefined();
  });

  it('falls through to the next carrier when the first yields no valid lane', () => {
    expect(extractLane({ tracestate: 'ctx=lane:GRAY', baggage: 'lane=blue' })).toEqual({
      lane: 'blue',
      carrier: 'baggage',
    });
    expect(extractLane({ tracestate: 'ctx=lane:gray,a=x,', baggage: 'lane=blue' })?.carrier).toBe('tracestate');
    expect(extractLane({ tracestate: 'ctx=lane:gray,A=x', baggage: 'lane=blue' })?.carrier).toBe('baggage');
  });

  it('returns nothing when no carrier header is present', () => {
    expect(extractLane({})).toBeUndefined();
    expect(extractLane({ traceparent: TP })).toBeUndefined();
  });

  it('reads a tracestate without traceparent by default (seed compatibility)', () => {
    expect(extractLane({ tracestate: 'ctx=lane:gray' })?.lane).toBe('gray');
  });

  it('requireTraceparent discards a tracestate without a valid traceparent, as the spec says', () => {
    const strict = { requireTraceparent: true };
    expect(extractLane({ tracestate: 'ctx=lane:gray' }, strict)).toBeUndefined();
    expect(extractLane({ tracestate: 'ctx=lane:gray', traceparent: 'garbage' }, strict)).toBeUndefined();
    expect(extractLane({ tracestate: 'ctx=lane:gray', traceparent: [TP, TP] }, strict)).toBeUndefined();
    expect(extractLane({ tracestate: 'ctx=lane:gray', traceparent: TP }, strict)?.lane).toBe('gray');
  });

  it('requireTraceparent does not gate baggage', () => {
    expect(extractLane({ baggage: 'lane=blue' }, { requireTraceparent: true })?.lane).toBe('blue');
  });

  it('accepts Node IncomingMessage headers as they are', () => {
    const nodeHeaders: Record<string, string | string[] | undefined> = {
      host: 'svc',
      tracestate: 'dd=s:1, ctx=lane:gray',
      'set-cookie': ['a=1'],
    };
    expect(extractLane(nodeHeaders)?.lane).toBe('gray');
  });
});
