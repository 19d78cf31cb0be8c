import { pathToFileURL } from 'node:url';
import { NJS_LANES_FILE } from '@lanes/gateway';
import { extractLane, type LaneCarrier, removeLane, type TraceContextLevel } from '@lanes/trace-context';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { LANE_MATCH_CASES } from '../packages/lanes-aws/src/synth/lane-match-cases.js';
import { LANE_HEADER_PIECES } from './support/lane-header-pieces.js';

/** The pure part of njs/lanes.js, the file nginx runs: it must read lanes exactly as @lanes/trace-context does. */
interface NjsLanes {
  laneOf(
    headers: { tracestate?: string | undefined; baggage?: string | undefined },
    carriers: readonly LaneCarrier[],
    level: TraceContextLevel,
  ): string | undefined;
  removeMember(value: string, key: string): string;
}

let njs: NjsLanes;
beforeAll(async () => {
  njs = ((await import(pathToFileURL(NJS_LANES_FILE).href)) as { default: NjsLanes }).default;
});

const joined = (value: string | readonly string[] | undefined): string | undefined =>
  typeof value === 'string' || value === undefined ? value : value.join(',');

const header = fc.array(fc.constantFrom(...LANE_HEADER_PIECES), { maxLength: 8 }).map((parts) => parts.join(','));

describe('njs/lanes.js reads lanes as @lanes/trace-context does', () => {
  it.each(LANE_MATCH_CASES.map((c) => [c.name, c] as const))('case table: %s', (_name, c) => {
    const headers = { tracestate: joined(c.headers.tracestate), baggage: joined(c.headers.baggage) };
    const expected = extractLane(c.headers)?.lane;
    expect(njs.laneOf(headers, ['tracestate', 'baggage'], 2)).toBe(expected);
    // The table's own answer, where the lane exists for its service, is what the gateway routes by.
    if (c.lane !== 'default') expect(expected).toBe(c.lane);
  });

  it('agrees on random headers, both carrier orders, both Trace Context levels', () => {
    const carrierOrders: LaneCarrier[][] = [['tracestate', 'baggage'], ['baggage', 'tracestate'], ['baggage']];
    fc.assert(
      fc.property(
        fc.option(header, { nil: undefined }),
        fc.option(header, { nil: undefined }),
        fc.constantFrom(...carrierOrders),
        fc.constantFrom<TraceContextLevel>(1, 2),
        (tracestate, baggage, carriers, level) => {
          const expected = extractLane({ tracestate, baggage }, { carriers, traceContextLevel: level })?.lane;
          expect(njs.laneOf({ tracestate, baggage }, carriers, level)).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('strips lane members as removeLane does', () => {
    fc.assert(
      fc.property(header, (value) => {
        expect(njs.removeMember(value, 'ctx')).toBe(removeLane('tracestate', value));
        expect(njs.removeMember(value, 'lane')).toBe(removeLane('baggage', value));
      }),
      { numRuns: 2000 },
    );
  });
});
