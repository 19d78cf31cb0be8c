import { describe, expect, it } from 'vitest';
import { Baggage } from './baggage.js';
import { TraceContextError } from './errors.js';
import { injectLane, withLane } from './inject-lane.js';
import { TraceState } from './tracestate.js';

describe('injectLane: tracestate', () => {
  it('adds ctx at the front of the received members', () => {
    expect(injectLane('tracestate', 'rojo=1,congo=2', 'gray')).toBe('ctx=lane:gray,rojo=1,congo=2');
  });

  it('moves an existing ctx to the front with the new lane', () => {
    expect(injectLane('tracestate', 'rojo=1, ctx=lane:blue ,congo=2', 'gray')).toBe('ctx=lane:gray,rojo=1,congo=2');
  });

  it('starts a new tracestate when none or an invalid one was received', () => {
    expect(injectLane('tracestate', undefined, 'gray')).toBe('ctx=lane:gray');
    expect(injectLane('tracestate', 'a=1,B=2', 'gray')).toBe('ctx=lane:gray');
    expect(injectLane('tracestate', 'a=1,a=2', 'gray', { traceContextLevel: 1 })).toBe('ctx=lane:gray');
  });

  it('keeps the list at 32 members by dropping the right-most', () => {
    const full = Array.from({ length: 32 }, (_, i) => `k${i}=v`).join(',');
    const out = TraceState.parse(injectLane('tracestate', full, 'gray'));
    expect(out.size).toBe(32);
    expect(out.get('ctx')).toBe('lane:gray');
    expect(out.has('k31')).toBe(false);
  });
});

describe('injectLane: baggage', () => {
  it('sets lane first and keeps other members, encoded', () => {
    expect(injectLane('baggage', 'userId=Am%C3%A9lie, lane=blue;p', 'gray')).toBe('lane=gray,userId=Am%C3%A9lie');
  });

  it('works without a received header', () => {
    expect(injectLane('baggage', undefined, 'gray')).toBe('lane=gray');
    expect(Baggage.parse(injectLane('baggage', ['a=1', 'b=2'], 'gray')).keys()).toEqual(['lane', 'a', 'b']);
  });
});

describe('injectLane / withLane: errors and shape', () => {
  it.each(['GRAY', '', '-x', 'a'.repeat(64), 'gray;x'])('throws TRACE_CONTEXT_INVALID_LANE for %j', (lane) => {
    expect(() => injectLane('tracestate', undefined, lane)).toThrow(TraceContextError);
    expect(() => injectLane('baggage', undefined, lane)).toThrow(
      expect.objectContaining({ code: 'TRACE_CONTEXT_INVALID_LANE' }),
    );
  });

  it('withLane writes the tracestate by default', () => {
    expect(withLane({ tracestate: 'a=1', baggage: 'b=2' }, 'gray')).toEqual({ tracestate: 'ctx=lane:gray,a=1' });
  });

  it('withLane writes every carrier asked for', () => {
    expect(withLane({ baggage: 'b=2' }, 'gray', ['tracestate', 'baggage'])).toEqual({
      tracestate: 'ctx=lane:gray',
      baggage: 'lane=gray,b=2',
    });
    expect(withLane({}, 'gray', 'baggage')).toEqual({ baggage: 'lane=gray' });
  });
});
