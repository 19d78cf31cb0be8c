import { extractLane } from '@lanes/trace-context';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  type AlbRegexAssumptions,
  albConditionMatches,
  albRegexMatch,
  albWildcardMatch,
  isPortableRegex,
} from './alb-rule-model.js';
import {
  ALB_RULE_LIMITS,
  conditionsLimitProblem,
  type HeaderMatchOptions,
  laneRegex,
  laneRuleMatches,
  ruleLimitProblem,
  rulesPerLane,
  wildcardCount,
} from './header-match.js';

const FULL: HeaderMatchOptions = { carriers: ['tracestate', 'baggage'], mode: 'wildcard', ows: true };
const REGEX: HeaderMatchOptions = { carriers: ['tracestate', 'baggage'], mode: 'regex', ows: true };
const STRICT: AlbRegexAssumptions = { anchoring: 'full', caseSensitive: true };

/** Whether any of the lane's rules for this header routes a request whose header fields are `fields`. */
function routes(
  lane: string,
  header: 'tracestate' | 'baggage',
  fields: string[],
  options = FULL,
  assume = STRICT,
): boolean {
  return laneRuleMatches(lane, options)
    .filter((rule) => rule.header === header)
    .some((rule) =>
      albConditionMatches(
        rule.syntax === 'regex' ? { header, regexValues: rule.values } : { header, values: rule.values },
        { [header]: fields },
        assume,
      ),
    );
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

describe('regex rules', () => {
  const longest = 'l'.repeat(63);

  test('fit ALB limits for the longest lane name, without a single * or ?', () => {
    for (const rule of laneRuleMatches(longest, REGEX)) {
      expect(ruleLimitProblem(rule)).toBeUndefined();
      expect(rule.values).toHaveLength(1);
      expect(wildcardCount(rule.values[0] ?? '*')).toBe(0);
      expect(rule.values[0]?.length).toBeLessThanOrEqual(ALB_RULE_LIMITS.valueLength);
    }
  });

  test('use only the subset where ALB and JavaScript regexes agree, so the model may use JavaScript', () => {
    for (const carrier of ['tracestate', 'baggage'] as const)
      expect(isPortableRegex(laneRegex(carrier, 'gray'))).toBe(true);
    for (const other of ['a*', 'a?', '(?=a)', '\\d', 'a+', '\\p{L}']) expect(isPortableRegex(other), other).toBe(false);
    expect(() => albRegexMatch('a*', 'a', STRICT)).toThrow(/portable/);
  });

  test('are anchored: full match and search agree, and text around the header value never matters', () => {
    const assume = { ...STRICT, anchoring: 'search' } as const;
    for (const value of ['ctx=lane:gray', 'xctx=lane:gray', 'ctx=lane:gray2', 'a=1 ,\tctx=lane:gray\t, b=2']) {
      const pattern = laneRegex('tracestate', 'gray');
      expect(albRegexMatch(pattern, value, assume), value).toBe(albRegexMatch(pattern, value, STRICT));
    }
  });

  test('one rule per lane and carrier', () => {
    expect(rulesPerLane(REGEX)).toBe(2);
    expect(rulesPerLane({ ...REGEX, carriers: ['tracestate'] })).toBe(1);
    expect(rulesPerLane({ ...REGEX, carriers: ['baggage'], ows: false })).toBe(1);
    expect(rulesPerLane({ carriers: ['baggage'], ows: true })).toBe(1);
  });

  test.each([
    ['ctx=lane:gray', true],
    ['dd=s:1,\tctx=lane:gray  ,congo=t61rcWkgMzE', true],
    ['ctx=lane:gray2', false],
    ['ctx=lane:gra', false],
    ['xctx=lane:gray', false],
    ['dd=ctx=lane:gray', false],
  ])('tracestate %s routes to gray: %s', (value, expected) => {
    expect(routes('gray', 'tracestate', [value], REGEX)).toBe(expected);
  });

  test.each([
    ['lane=gray', true],
    ['k=v , lane\t=  gray ;p=1, x=y', true],
    ['lane=gray2', false],
    ['k=v;lane=gray', false],
    ['xlane=gray', false],
  ])('baggage %s routes to gray: %s', (value, expected) => {
    expect(routes('gray', 'baggage', [value], REGEX)).toBe(expected);
  });

  test('case: exact when ALB regexes respect case; GRAY reaches gray if they ignore it, never another lane', () => {
    expect(routes('gray', 'tracestate', ['ctx=lane:GRAY'], REGEX)).toBe(false);
    const loose = { ...STRICT, caseSensitive: false };
    expect(routes('gray', 'tracestate', ['ctx=lane:GRAY'], REGEX, loose)).toBe(true);
    expect(routes('gray2', 'tracestate', ['ctx=lane:GRAY'], REGEX, loose)).toBe(false);
  });
});

describe('wildcard rules', () => {
  test('every rule fits ALB limits for the longest lane name', () => {
    const lane = 'l'.repeat(63);
    for (const options of [FULL, { carriers: ['tracestate'], mode: 'wildcard', ows: false } as HeaderMatchOptions]) {
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
    expect(laneRuleMatches('gray', { carriers: ['tracestate'], mode: 'wildcard', ows: false })).toHaveLength(2);
    expect(laneRuleMatches('gray', { carriers: ['baggage'], mode: 'wildcard', ows: false })).toHaveLength(2);
  });

  test('repeated header fields: ALB searches each field', () => {
    expect(routes('gray', 'tracestate', ['dd=s:1', 'ctx=lane:gray'])).toBe(true);
    expect(routes('gray', 'tracestate', ['dd=s:1', 'ctx=lane:gray2'])).toBe(false);
  });
});

// Valid, lowercase headers (what extractLane accepts and lanes clients send), with optional whitespace.
const laneName = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
const vendorKey = fc.stringMatching(/^[a-z][a-z0-9_*/-]{0,6}$/).filter((k) => k !== 'ctx');
const vendorValue = fc.stringMatching(/^[!-+\--<>-~]{1,8}$/);
const wildcardSeparator = fc.constantFrom(',', ', ');
const anySeparator = fc.constantFrom(',', ', ', ' ,', '\t,\t', ' , ', ',  ');

function joinMembers(members: string[], seps: string[]): string {
  return members.reduce((out, member, i) => (i === 0 ? member : `${out}${seps[i % seps.length] ?? ','}${member}`), '');
}

describe.each([
  ['regex', REGEX, anySeparator],
  ['wildcard', FULL, wildcardSeparator],
] as const)('%s rules agree with extractLane (property)', (_mode, options, separator) => {
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
          expect(routes(ruleLane, 'tracestate', [header], options)).toBe(lane === ruleLane);
          if (otherLane !== lane) expect(routes(otherLane, 'tracestate', [header], options)).toBe(false);
        },
      ),
    );
  });

  test('baggage: a lane rule routes exactly the requests extractLane puts in that lane', () => {
    const property = fc.stringMatching(/^;[a-z]{1,4}(=[a-z0-9]{1,4})?$/);
    fc.assert(
      fc.property(
        laneName,
        fc.array(
          fc.tuple(
            vendorKey.filter((k) => /^[a-z0-9_-]+$/.test(k) && k !== 'lane'),
            fc.stringMatching(/^[a-z0-9:]{1,6}$/),
          ),
          { maxLength: 4 },
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
          expect(routes(ruleLane, 'baggage', [header], options)).toBe(lane === ruleLane);
        },
      ),
    );
  });

  test('the rules for gray never match a header carrying only gray2', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(vendorKey, vendorValue), { maxLength: 4 }),
        fc.nat(),
        separator,
        (vendors, at, sep) => {
          const members = vendors.map(([k, v]) => `${k}=${v}`);
          members.splice(at % (members.length + 1), 0, 'ctx=lane:gray2');
          expect(routes('gray', 'tracestate', [members.join(sep)], options)).toBe(false);
          const bag = members.map((m) => (m === 'ctx=lane:gray2' ? 'lane=gray2' : m.replace(/[^a-z0-9=,_-]/g, 'x')));
          expect(routes('gray', 'baggage', [bag.join(sep)], options)).toBe(false);
        },
      ),
    );
  });
});
