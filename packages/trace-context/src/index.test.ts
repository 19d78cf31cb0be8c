import { describe, expect, it } from 'vitest';
import * as api from './index.js';

describe('public API', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'BAGGAGE_MAX_BYTES',
        'Baggage',
        'DEFAULT_TRACE_CONTEXT_LEVEL',
        'LANE_BAGGAGE_KEY',
        'LANE_CARRIERS',
        'LANE_TRACESTATE_KEY',
        'LANE_TRACESTATE_PREFIX',
        'MAX_HEADER_INPUT_LENGTH',
        'TRACESTATE_LARGE_MEMBER',
        'TRACESTATE_MAX_MEMBERS',
        'TRACESTATE_RECOMMENDED_MAX_LENGTH',
        'TRACE_CONTEXT_ERROR_CODES',
        'TRACE_CONTEXT_LEVELS',
        'TRACE_FLAGS',
        'TraceContextError',
        'TraceState',
        'childTraceparent',
        'extractLane',
        'formatTraceparent',
        'injectLane',
        'isValidBaggageKey',
        'isValidLaneName',
        'isValidTraceStateKey',
        'isValidTraceStateValue',
        'isValidTraceparent',
        'isWellFormedPercentEncoding',
        'rawBaggageValue',
        'removeLane',
        'removeListMember',
        'newSpanId',
        'newTraceId',
        'newTraceparent',
        'parseTraceparent',
        'withLane',
      ].sort(),
    );
  });

  it('lists the carriers in default precedence order, frozen', () => {
    expect(api.LANE_CARRIERS).toEqual(['tracestate', 'baggage']);
    expect(Object.isFrozen(api.LANE_CARRIERS)).toBe(true);
  });

  it('runs the README examples as written', () => {
    const ts = api.TraceState.parse('congo=t61rcWkgMzE');
    expect(ts.set('rojo', '00f067aa0ba902b7').serialize()).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    const bag = api.Baggage.parse('userId=Am%C3%A9lie,serverNode=DF%2028;zone=eu');
    expect(bag.get('userId')).toBe('Am\u00e9lie');
    expect(bag.getEntry('serverNode')).toEqual({
      key: 'serverNode',
      value: 'DF 28',
      properties: [{ key: 'zone', value: 'eu' }],
    });
    expect(bag.set('lane', 'gray').serialize()).toBe('lane=gray,userId=Am%C3%A9lie,serverNode=DF%2028;zone=eu');
    expect(api.injectLane('tracestate', 'dd=s:1', 'gray')).toBe('ctx=lane:gray,dd=s:1');
  });

  it('TraceContextError carries a stable code and the repo error shape', () => {
    const error = new api.TraceContextError(api.TRACE_CONTEXT_ERROR_CODES.invalidLane, 'bad lane');
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'TraceContextError', code: 'TRACE_CONTEXT_INVALID_LANE', fault: 'user' });
  });
});
