import type { GatewaySettings } from '@lanes/core';

/** Where a lane travels in a request (`@lanes/trace-context`'s `LaneCarrier`). */
export type LaneCarrier = GatewaySettings['carriers'][number];

/**
 * The ALB listener-rule conditions that send a lane's requests to its target group. An ALB `http-header` condition
 * compares the whole header value against patterns with `*` (0 or more characters) and `?` (exactly one), ignoring
 * case. `*ctx=lane:gray*` (the seed's idea) also matches `gray2`, so each pattern here pins the member between list
 * boundaries: the start of the value or a `,` (optionally followed by one space) before it, and the end of the value
 * or a `,` (baggage: also `;` before properties) after it.
 */

/**
 * ALB's limits on listener rules, as AWS documents them:
 * - "Quotas for your Application Load Balancers", Rules
 *   (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html): condition
 *   values per rule 5, condition wildcards per rule 5, match evaluations per rule 5 (none adjustable); rules per
 *   ALB, default rules excluded, 100 (adjustable); target groups per ALB 100 (not adjustable).
 * - "Condition types for listener rules", Condition basics
 *   (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html): up to three
 *   match evaluations per condition and five per rule; at most five wildcard characters per rule.
 * - `HttpHeaderConditionConfig.Values` (ELB API reference): at most 128 characters each, compared case-insensitively.
 * The per-rule counts are totals over all of a rule's conditions. One translation of the quotas page says 6
 * wildcards; the English condition page and the others say 5, the lower is kept.
 */
export const ALB_RULE_LIMITS = {
  /** Match evaluations (values) in one condition. */
  valuesPerCondition: 3,
  /** Condition values (match evaluations) in one rule, all conditions together. */
  valuesPerRule: 5,
  /** `*` and `?` in one rule, all values of all conditions together. */
  wildcardsPerRule: 5,
  /** Characters in one http-header value. */
  valueLength: 128,
  /** Rules per ALB, default rules excluded (adjustable). */
  rulesPerLoadBalancer: 100,
  /** Target groups per ALB (not adjustable). */
  targetGroupsPerLoadBalancer: 100,
} as const;

/** The header, member text and boundaries of one carrier. */
const CARRIER_FORMS: Record<LaneCarrier, { header: string; member: (lane: string) => string; ends: string[] }> = {
  tracestate: { header: 'tracestate', member: (lane) => `ctx=lane:${lane}`, ends: [',*'] },
  baggage: { header: 'baggage', member: (lane) => `lane=${lane}`, ends: [',*', ';*'] },
};

/** Which rule a set of patterns goes into; the order is the priority order (see `priorities.ts`). */
export const RULE_KINDS = [
  'tracestate-front',
  'tracestate-inner',
  'baggage-front',
  'baggage-inner',
  'baggage-inner-ows',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export interface HeaderMatchOptions {
  /** Carriers to route on, in precedence order. @default the project's gateway carriers */
  carriers: readonly LaneCarrier[];
  /**
   * Also match a member after `, ` (comma and one space), the separator many serializers and proxies write when
   * they join repeated header fields. Costs one more rule per lane for baggage. @default true
   */
  ows: boolean;
}

/** One listener rule's condition: patterns ORed against one header. */
export interface LaneRuleMatch {
  kind: RuleKind;
  header: string;
  values: string[];
}

function patternsFor(member: string, leads: string[], ends: string[]): string[] {
  return leads.flatMap((lead) => ['', ...ends].map((end) => `${lead}${member}${end}`));
}

/**
 * The rules a lane needs, each within ALB's per-rule limits. `lane` may be a CDK token (the generic app template):
 * patterns are built by concatenation, so a token yields `Fn::Join`.
 */
export function laneRuleMatches(lane: string, options: HeaderMatchOptions): LaneRuleMatch[] {
  const rules: LaneRuleMatch[] = [];
  for (const carrier of options.carriers) {
    const { header, member, ends } = CARRIER_FORMS[carrier];
    const m = member(lane);
    if (carrier === 'tracestate') {
      // 4 or 6 patterns: split so that each rule has at most 3 values and 5 wildcards.
      rules.push({ kind: 'tracestate-front', header, values: [m, `${m},*`, `*,${m},*`] });
      const inner = options.ows ? [`*,${m}`, `*, ${m}`, `*, ${m},*`] : [`*,${m}`];
      rules.push({ kind: 'tracestate-inner', header, values: inner });
    } else {
      rules.push({ kind: 'baggage-front', header, values: patternsFor(m, [''], ends) });
      rules.push({ kind: 'baggage-inner', header, values: patternsFor(m, ['*,'], ends) });
      if (options.ows) rules.push({ kind: 'baggage-inner-ows', header, values: patternsFor(m, ['*, '], ends) });
    }
  }
  return rules;
}

/** Number of `*` and `?` in a pattern. */
export function wildcardCount(pattern: string): number {
  let n = 0;
  for (const c of pattern) if (c === '*' || c === '?') n++;
  return n;
}

/**
 * What makes a rule exceed ALB's limits for this (literal) lane, or `undefined`. A lane rule has one condition, so
 * its per-condition and per-rule value counts are the same list; both limits are checked all the same.
 */
export function ruleLimitProblem(rule: LaneRuleMatch): string | undefined {
  return conditionsLimitProblem(rule.kind, [rule.values]);
}

/** The limits for a rule whose conditions have these values (one list per condition). */
export function conditionsLimitProblem(kind: string, conditions: readonly (readonly string[])[]): string | undefined {
  const limits = ALB_RULE_LIMITS;
  const crowded = conditions.find((values) => values.length > limits.valuesPerCondition);
  if (crowded) return `${kind}: ${crowded.length} values in one condition, ALB allows ${limits.valuesPerCondition}`;
  const all = conditions.flat();
  if (all.length > limits.valuesPerRule)
    return `${kind}: ${all.length} values, ALB allows ${limits.valuesPerRule} per rule`;
  const wildcards = all.reduce((sum, v) => sum + wildcardCount(v), 0);
  if (wildcards > limits.wildcardsPerRule)
    return `${kind}: ${wildcards} wildcards, ALB allows ${limits.wildcardsPerRule} per rule`;
  const long = all.find((v) => v.length > limits.valueLength);
  if (long !== undefined)
    return `${kind}: the value "${long}" has ${long.length} characters, ALB allows ${limits.valueLength}`;
  return undefined;
}

/**
 * ALB's value matching: the whole value against the pattern, `*` any run (also empty), `?` one character, ASCII
 * case-insensitive. A reference model for tests and for `lanes` to explain routing; iterative, O(n·m) worst case.
 */
export function albWildcardMatch(pattern: string, value: string): boolean {
  const p = pattern.toLowerCase();
  const v = value.toLowerCase();
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === '?' || (p[pi] !== '*' && p[pi] === v[vi]))) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = vi;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++mark;
    } else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

/**
 * Whether an http-header condition matches a request: ALB searches repeated header fields in order until one
 * matches; `fields` are the values of the condition's header in the request.
 */
export function albConditionMatches(values: readonly string[], fields: readonly string[]): boolean {
  return fields.some((field) => values.some((pattern) => albWildcardMatch(pattern, field)));
}
