import { describe, expect, it } from 'vitest';
import { extractLane } from './extract-lane.js';
import { injectLane } from './inject-lane.js';
import { LANE_CARRIERS, type LaneCarrier, type LaneHeaders } from './lane-carriers.js';

/** Surrounding members each carrier should carry a lane through untouched. */
const NEIGHBOURS: Record<LaneCarrier, string> = {
  tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
  baggage: 'userId=alice,serverNode=DF%2028;p',
};

/** One suite, run against every carrier: what `extractLane` and `injectLane` promise whatever the carrier. */
describe.each(LANE_CARRIERS)('lane carrier conformance: %s', (carrier) => {
  const only = { carriers: [carrier] };
  const headers = (value: string | readonly string[] | undefined): LaneHeaders => ({ [carrier]: value });

  it('round-trips a lane through an absent header', () => {
    expect(extractLane(headers(injectLane(carrier, undefined, 'gray')), only)).toEqual({ lane: 'gray', carrier });
  });

  it('round-trips a lane through existing members and keeps them', () => {
    const out = injectLane(carrier, NEIGHBOURS[carrier], 'gray');
    expect(extractLane(headers(out), only)?.lane).toBe('gray');
    for (const neighbour of NEIGHBOURS[carrier].split(',')) expect(out).toContain(neighbour);
  });

  it('replaces a previous lane instead of adding a second one', () => {
    const once = injectLane(carrier, NEIGHBOURS[carrier], 'blue');
    const twice = injectLane(carrier, once, 'gray');
    expect(extractLane(headers(twice), only)?.lane).toBe('gray');
    expect(twice).not.toContain('blue');
  });

  it('reads the lane when it arrives in a second header field', () => {
    const out = injectLane(carrier, undefined, 'gray');
    expect(extractLane(headers([NEIGHBOURS[carrier], out]), only)?.lane).toBe('gray');
  });

  it('yields nothing from garbage and never throws', () => {
    for (const junk of ['', ',,,', '=', '\u0000\u00ff', 'lane', 'ctx=lane', '%%%', 'a'.repeat(100_000)]) {
      expect(extractLane(headers(junk), only)).toBeUndefined();
    }
  });
});
