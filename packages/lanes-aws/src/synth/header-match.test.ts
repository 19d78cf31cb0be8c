import { extractLane } from '@lanes/trace-context';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  ALB_RULE_LIMITS,
  albConditionMatches,
  albWildcardMatch,
  conditionsLimitProblem,
  type HeaderMatchOptions,
  laneRuleMatches,
  ruleLimitProblem,
  wildcardCount,
} from './header-match.js';

const FULL: HeaderMatchOptions = { carriers: ['tracestate', 'baggage'], ows: true };

/** Whether any of the lane's rules for this header routes a request whose header fields are `fields`. */
function routes(lane: string, header: 'tracestate' | 'baggage', fields: string[], options = FULL): boolean {
  return laneRuleMatches(lane, options)
    .filter((rule) => rule.header === header)
    .some((rule) => albConditionMatches(rule.values, fields));
}

describe('albWildcardMatch (ALB value semantics)', () => {
  test.each([
    ['ctx=lane:gray', 'ctx=lane:gray', true],
    ['ctx=lane:gray', 'CTX=LANE:GRAY', true],
    ['ctx=lane:gray', 'ctx=lane:gray2', false],
    ['*ctx=lane:gray*', 'ctx=lane:gray2', true],
    ['*,ctx=lane:gray', 'a=1,ctx=lane:gray', true],
    ['*,ctx=lane:gray', ',ctx=lane:gray', true],
    ['ctx=lane:gr?y', 'ctx=lane:gray', true],
    ['ctx=lane:gr?y', 'ctx=lane:gry', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
  ])('%s vs %s', (pattern, value, expected) => {
    expect(albWildcardMatch(pattern, value)).toBe(expected);
  });

  test('agrees with a regular-expression model', () => {
    const chars = fc.constantFrom('a', 'b', ',', '*', '?');
    fc.assert(
      fc.property(
        fc.string({ unit: chars, maxLength: 8 }),
        fc.string({ unit: fc.constantFrom('a', 'b', ','), maxLength: 10 }),
        (p, v) => {
          const regex = new RegExp(`^${[...p].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c)).join('')}$`, 's');
          expect(albWildcardMatch(p, v)).toBe(regex.test(v));
        },
      ),
    );
  });
});

describe('lane rules', () => {
  test('every rule fits ALB limits for the longest lane name', () => {
    const lane = 'l'.repeat(63);
    for (const options of [FULL, { carriers: ['tracestate'], ows: false } as HeaderMatchOptions]) {
      for (const rule of laneRuleMatches(lane, options)) {
        expect(ruleLimitProblem(rule)).toBeUndefined();
        expect(rule.values.length).toBeLessThanOrEqual(ALB_RULE_LIMITS.valuesPerCondition);
        expect(rule.values.reduce((n, v) => n + wildcardCount(v), 0)).toBeLessThanOrEqual(
          ALB_RULE_LIMITS.wildcardsPerRule,
        );
      }
    }
  });

  test('the documented limits: 3 values per condition, 5 values and 5 wildcards per rule in total, 128 characters', () => {
    expect(ALB_RULE_LIMITS).toMatchObject({
      valuesPerCondition: 3,
      valuesPerRule: 5,
      wildcardsPerRule: 5,
      valueLength: 128,
    });
    expect(conditionsLimitProblem('r', [['a', 'b', 'c']])).toBeUndefined();
    expect(conditionsLimitProblem('r', [['a', 'b', 'c', 'd']])).toMatch(/4 values in one condition, ALB allows 3/);
    // Values are counted over all conditions of the rule: 3 + 3 is within each condition but over the rule.
    expect(
      conditionsLimitProblem('r', [
        ['a', 'b', 'c'],
        ['d', 'e'],
      ]),
    ).toBeUndefined();
    expect(
      conditionsLimitProblem('r', [
        ['a', 'b', 'c'],
        ['d', 'e', 'f'],
      ]),
    ).toMatch(/6 values, ALB allows 5 per rule/);
    expect(conditionsLimitProblem('r', [['*a*', '*b*'], ['c?']])).toBeUndefined();
    expect(conditionsLimitProblem('r', [['*a*', '*b*'], ['*c*']])).toMatch(/6 wildcards, ALB allows 5 per rule/);
    expect(conditionsLimitProblem('r', [['x'.repeat(128)]])).toBeUndefined();
    expect(conditionsLimitProblem('r', [['x'.repeat(129)]])).toMatch(/129 characters, ALB allows 128/);
  });

  test('rule count per carrier and OWS setting', () => {
    expect(laneRuleMatches('gray', FULL)).toHaveLength(5);
    expect(laneRuleMatches('gray', { carriers: ['tracestate'], ows: false })).toHaveLength(2);
    expect(laneRuleMatches('gray', { carriers: ['baggage'], ows: false })).toHaveLength(2);
  });

  test.each([
    ['ctx=lane:gray'],
    ['ctx=lane:gray,dd=s:1'],
    ['dd=s:1,ctx=lane:gray'],
    ['dd=s:1, ctx=lane:gray'],
    ['dd=s:1,ctx=lane:gray,congo=t61rcWkgMzE'],
    ['dd=s:1, ctx=lane:gray, congo=t61rcWkgMzE'],
  ])('tracestate %s routes to gray, never to gray2 or gra', (value) => {
    expect(routes('gray', 'tracestate', [value])).toBe(true);
    expect(routes('gray2', 'tracestate', [value])).toBe(false);
    expect(routes('gra', 'tracestate', [value])).toBe(false);
  });

  test.each([
    ['ctx=lane:gray2'],
    ['xctx=lane:gray'],
    ['dd=s:1,ctx=lane:gray2'],
    ['a=ctx=lane:gray'],
    ['ctx=lane:grayx,b=1'],
  ])('tracestate %s does not route to gray', (value) => {
    expect(routes('gray', 'tracestate', [value])).toBe(false);
  });

  test.each([['lane=gray'], ['lane=gray;ttl=60'], ['a=1,lane=gray'], ['a=1, lane=gray;p'], ['lane=gray,a=1']])(
    'baggage %s routes to gray only',
    (value) => {
      expect(routes('gray', 'baggage', [value])).toBe(true);
      expect(routes('gray2', 'baggage', [value])).toBe(false);
    },
  );

  test('repeated header fields: ALB searches each field', () => {
    expect(routes('gray', 'tracestate', ['dd=s:1', 'ctx=lane:gray'])).toBe(true);
    expect(routes('gray', 'tracestate', ['dd=s:1', 'ctx=lane:gray2'])).toBe(false);
  });

  test('ALB ignores case: GRAY reaches lane gray, while extractLane sees no lane', () => {
    expect(routes('gray', 'tracestate', ['ctx=lane:GRAY'])).toBe(true);
    expect(extractLane({ tracestate: 'ctx=lane:GRAY' })).toBeUndefined();
  });
});

// Valid, lowercase headers (what extractLane accepts and lanes clients send), with OWS of zero or one space.
const laneName = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
const vendorKey = fc.stringMatching(/^[a-z][a-z0-9_*/-]{0,6}$/).filter((k) => k !== 'ctx');
const vendorValue = fc.stringMatching(/^[!-+\--<>-~]{1,8}$/);
const separator = fc.constantFrom(',', ', ');

function joinMembers(members: string[], seps: string[]): string {
  return members.reduce((out, member, i) => (i === 0 ? member : `${out}${seps[i % seps.length] ?? ','}${member}`), '');
}

describe('ALB rules agree with extractLane (property)', () => {
  test('tracestate: a lane rule routes exactly the requests extractLane puts in that lane', () => {
    fc.assert(
      fc.property(
        laneName,
        laneName,
        fc.array(fc.tuple(vendorKey, vendorValue), { maxLength: 5 }),
        fc.option(fc.tuple(laneName, fc.nat()), { nil: undefined }),
        fc.array(separator, { minLength: 1, maxLength: 3 }),
        (ruleLane, otherLane, vendors, ctx, seps) => {
          const unique = [...new Map(vendors).entries()].map(([k, v]) => `${k}=${v}`);
          const members = [...unique];
          if (ctx) members.splice(ctx[1] % (members.length + 1), 0, `ctx=lane:${ctx[0]}`);
          if (members.length === 0) return;
          const header = joinMembers(members, seps);
          const lane = extractLane({ tracestate: header }, { carriers: ['tracestate'] })?.lane;
          expect(routes(ruleLane, 'tracestate', [header])).toBe(lane === ruleLane);
          if (otherLane !== lane) expect(routes(otherLane, 'tracestate', [header])).toBe(false);
        },
      ),
    );
  });

  test('baggage: a lane rule routes only requests extractLane puts in that lane', () => {
    const property = fc.stringMatching(/^;[a-z]{1,4}(=[a-z0-9]{1,4})?$/);
    fc.assert(
      fc.property(
        laneName,
        fc.array(
          fc.tuple(
            vendorKey.filter((k) => /^[a-z0-9_-]+$/.test(k) && k !== 'lane'),
            fc.stringMatching(/^[a-z0-9:]{1,6}$/),
          ),
          {
            maxLength: 4,
          },
        ),
        fc.option(fc.tuple(laneName, fc.nat(), fc.option(property, { nil: undefined })), { nil: undefined }),
        fc.array(separator, { minLength: 1, maxLength: 3 }),
        (ruleLane, vendors, laneMember, seps) => {
          const members = vendors.map(([k, v]) => `${k}=${v}`);
          if (laneMember) {
            const [lane, at, prop] = laneMember;
            members.splice(at % (members.length + 1), 0, `lane=${lane}${prop ?? ''}`);
          }
          if (members.length === 0) return;
          const header = joinMembers(members, seps);
          const lane = extractLane({ baggage: header }, { carriers: ['baggage'] })?.lane;
          expect(routes(ruleLane, 'baggage', [header])).toBe(lane === ruleLane);
        },
      ),
    );
  });

  test('the patterns for gray never match a header carrying only gray2', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(vendorKey, vendorValue), { maxLength: 4 }),
        fc.nat(),
        separator,
        (vendors, at, sep) => {
          const members = vendors.map(([k, v]) => `${k}=${v}`);
          members.splice(at % (members.length + 1), 0, 'ctx=lane:gray2');
          expect(routes('gray', 'tracestate', [members.join(sep)])).toBe(false);
          const bag = members.map((m) => (m === 'ctx=lane:gray2' ? 'lane=gray2' : m.replace(/[^a-z0-9=,_-]/g, 'x')));
          expect(routes('gray', 'baggage', [bag.join(sep)])).toBe(false);
        },
      ),
    );
  });
});
