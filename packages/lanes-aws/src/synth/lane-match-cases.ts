/**
 * One table of requests and the lane they reach, run against the local gateway (`extractLane` as its lane selector
 * uses it, and a running gateway in `test/lane-match-cases.test.ts`) and against the ALB listener rules that synth
 * writes, through the reference model of ALB matching (`lane-match-cases.test.ts`). Every case where ALB and the
 * gateway disagree says so and why; `docs/aws.md` lists each kind of difference (a test checks it does).
 */

/** The service the cases route for, and the lanes it has. `pr-7` is a lane it does not have. */
export const CASE_SERVICE = 'shop';
export const CASE_LANES = ['default', 'gray', 'gray2', 'blue'] as const;

/** Why ALB sends a request elsewhere than the gateway. `docs/aws.md` explains each under the same name. */
export const DIFFERENCES = {
  'upper case': 'the gateway reads lowercase names only; ALB wildcard values (and regexes, if ALB ignores case) do not',
  'whole-list validity':
    'the gateway discards a tracestate that breaks the grammar anywhere or has over 32 members; ALB matches the member alone',
  'repeated key':
    'the gateway reads the left-most of repeated tracestate ctx members (Trace Context Level 2); ALB takes the lane whose rule has the lowest priority',
  'missing lane':
    "the gateway takes the first carrier with a lane, even one the service lacks (then default); ALB has rules only for the service's lanes, so a later carrier's lane matches",
  'conflicting members':
    'the gateway ignores two different lane members; ALB takes the lane whose rule has the lowest priority',
  'percent-encoding': 'the gateway decodes a percent-encoded baggage value; ALB compares the text as sent',
  'property validity': "the gateway drops a baggage member with malformed properties; ALB ignores what follows ';'",
  'wildcard whitespace':
    'wildcard values know only "," and ", " around a member; tabs, several spaces, a space before "," or around "=" fall back to default',
} as const;
export type Difference = keyof typeof DIFFERENCES;

/** Where ALB sends a request when that is not where the gateway sends it. */
export interface AlbOutcome {
  lane: string;
  why: Difference;
}

export interface LaneMatchCase {
  name: string;
  /** Header fields in the order sent; a list is several fields of one header. */
  headers: { tracestate?: string | string[]; baggage?: string | string[] };
  /** Where the gateway sends it (carriers tracestate then baggage; a lane the service lacks means default). */
  lane: string;
  /** Regex rules, when they differ from the gateway. `ifCaseInsensitive`: only if ALB regexes ignore case. */
  regex?: AlbOutcome & { ifCaseInsensitive?: true };
  /** Wildcard rules, when they differ from the gateway. */
  wildcard?: AlbOutcome;
}

const upper = { lane: 'gray', why: 'upper case' } as const;
const wildWs = { lane: 'default', why: 'wildcard whitespace' } as const;

export const LANE_MATCH_CASES: readonly LaneMatchCase[] = [
  // tracestate
  { name: 'tracestate member alone', headers: { tracestate: 'ctx=lane:gray' }, lane: 'gray' },
  { name: 'a lane whose name extends another', headers: { tracestate: 'ctx=lane:gray2' }, lane: 'gray2' },
  { name: 'a prefix of a lane name', headers: { tracestate: 'ctx=lane:gra' }, lane: 'default' },
  { name: 'a lane name with a suffix', headers: { tracestate: 'ctx=lane:grayx' }, lane: 'default' },
  {
    name: 'other vendors before and after',
    headers: { tracestate: 'dd=s:1,ctx=lane:gray,congo=t61rcWkgMzE' },
    lane: 'gray',
  },
  { name: 'one space after each comma', headers: { tracestate: 'dd=s:1, ctx=lane:gray, congo=t61' }, lane: 'gray' },
  {
    name: 'a tab and several spaces around commas',
    headers: { tracestate: 'rojo=00f0 ,\tctx=lane:gray  , congo=t61' },
    lane: 'gray',
    wildcard: wildWs,
  },
  {
    name: 'a space before the comma',
    headers: { tracestate: 'ctx=lane:gray ,dd=s:1' },
    lane: 'gray',
    wildcard: wildWs,
  },
  { name: 'empty list members', headers: { tracestate: ',,ctx=lane:gray,,dd=s:1' }, lane: 'gray' },
  { name: 'a key that ends in ctx', headers: { tracestate: 'xctx=lane:gray' }, lane: 'default' },
  { name: 'the member inside another value', headers: { tracestate: 'dd=ctx=lane:gray' }, lane: 'default' },
  { name: 'a ctx member that is no lane', headers: { tracestate: 'ctx=other:gray' }, lane: 'default' },
  {
    name: 'an uppercase lane',
    headers: { tracestate: 'ctx=lane:GRAY' },
    lane: 'default',
    regex: { ...upper, ifCaseInsensitive: true },
    wildcard: upper,
  },
  {
    name: 'an uppercase key',
    headers: { tracestate: 'CTX=lane:gray' },
    lane: 'default',
    regex: { ...upper, ifCaseInsensitive: true },
    wildcard: upper,
  },
  {
    name: 'several fields, the lane in the second',
    headers: { tracestate: ['dd=s:1', 'ctx=lane:gray2'] },
    lane: 'gray2',
  },
  { name: 'several fields, the lane in the first', headers: { tracestate: ['ctx=lane:gray', 'dd=s:1'] }, lane: 'gray' },
  {
    name: 'two lanes in two fields',
    headers: { tracestate: ['ctx=lane:gray', 'ctx=lane:blue'] },
    lane: 'gray',
    // blue's rules have lower priorities than gray's: sha256("shop/blue") gives the smaller offset.
    regex: { lane: 'blue', why: 'repeated key' },
    wildcard: { lane: 'blue', why: 'repeated key' },
  },
  {
    name: 'two lanes in one field',
    headers: { tracestate: 'ctx=lane:gray,ctx=lane:blue' },
    lane: 'gray',
    regex: { lane: 'blue', why: 'repeated key' },
    // gray's first-member value rule sits in an earlier band than blue's inner-member one, so wildcard agrees.
  },
  {
    name: 'a malformed member elsewhere in the list',
    headers: { tracestate: 'ctx=lane:gray,Bad Key=1' },
    lane: 'default',
    regex: { lane: 'gray', why: 'whole-list validity' },
    wildcard: { lane: 'gray', why: 'whole-list validity' },
  },
  {
    name: 'more than 32 members',
    headers: { tracestate: ['ctx=lane:gray', ...Array.from({ length: 32 }, (_, i) => `v${i}=x`)].join(',') },
    lane: 'default',
    regex: { lane: 'gray', why: 'whole-list validity' },
    wildcard: { lane: 'gray', why: 'whole-list validity' },
  },
  { name: 'a lane the service lacks', headers: { tracestate: 'ctx=lane:pr-7' }, lane: 'default' },
  // baggage
  { name: 'baggage member alone', headers: { baggage: 'lane=gray' }, lane: 'gray' },
  { name: 'baggage member with properties', headers: { baggage: 'lane=gray;ttl=60' }, lane: 'gray' },
  { name: 'baggage among members, one space', headers: { baggage: 'userId=alice, lane=gray;p, k=v' }, lane: 'gray' },
  { name: 'baggage lane name with a suffix', headers: { baggage: 'lane=gray2x' }, lane: 'default' },
  { name: 'baggage key that ends in lane', headers: { baggage: 'xlane=gray' }, lane: 'default' },
  { name: 'the lane as a property of another member', headers: { baggage: 'k=v;lane=gray' }, lane: 'default' },
  { name: 'spaces around "="', headers: { baggage: 'k=v, lane = gray' }, lane: 'gray', wildcard: wildWs },
  {
    name: 'a percent-encoded lane',
    headers: { baggage: 'lane=gr%61y' },
    lane: 'gray',
    regex: { lane: 'default', why: 'percent-encoding' },
    wildcard: { lane: 'default', why: 'percent-encoding' },
  },
  {
    name: 'an empty property',
    headers: { baggage: 'lane=gray;' },
    lane: 'default',
    regex: { lane: 'gray', why: 'property validity' },
    wildcard: { lane: 'gray', why: 'property validity' },
  },
  {
    name: 'an uppercase baggage key',
    headers: { baggage: 'LANE=gray' },
    lane: 'default',
    regex: { ...upper, ifCaseInsensitive: true },
    wildcard: upper,
  },
  {
    name: 'two baggage lanes',
    headers: { baggage: 'lane=gray,lane=blue' },
    lane: 'default',
    regex: { lane: 'blue', why: 'conflicting members' },
    wildcard: { lane: 'gray', why: 'conflicting members' },
  },
  { name: 'baggage in several fields', headers: { baggage: ['k=v', 'lane=gray'] }, lane: 'gray' },
  // both carriers
  {
    name: 'tracestate before baggage',
    headers: { tracestate: 'ctx=lane:gray2', baggage: 'lane=gray' },
    lane: 'gray2',
  },
  {
    name: 'no lane in tracestate, one in baggage',
    headers: { tracestate: 'dd=s:1', baggage: 'lane=blue' },
    lane: 'blue',
  },
  {
    name: 'a lacking lane in tracestate, a lane in baggage',
    headers: { tracestate: 'ctx=lane:pr-7', baggage: 'lane=gray' },
    lane: 'default',
    regex: { lane: 'gray', why: 'missing lane' },
    wildcard: { lane: 'gray', why: 'missing lane' },
  },
  {
    name: 'a discarded tracestate, a lane in baggage',
    headers: { tracestate: 'ctx=lane:gray,Bad Key=1', baggage: 'lane=blue' },
    lane: 'blue',
    regex: { lane: 'gray', why: 'whole-list validity' },
    wildcard: { lane: 'gray', why: 'whole-list validity' },
  },
];
