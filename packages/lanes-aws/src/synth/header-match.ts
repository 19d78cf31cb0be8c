import type { GatewaySettings, HeaderMatchMode } from '@lanes/core';

/** Where a lane travels in a request (`@lanes/trace-context`'s `LaneCarrier`). */
export type LaneCarrier = GatewaySettings['carriers'][number];

/**
 * The ALB listener-rule conditions that send a lane's requests to its target group, in one of two modes.
 *
 * `regex` (the default): one rule per lane and carrier, whose `RegexValues` match the lane's list member exactly.
 * What AWS documents of regex conditions:
 * - http-header conditions take value matching (`Values`) or regex matching (`RegexValues`); a regex counts as one
 *   match evaluation, 3 per condition and 5 per rule ("Condition types for listener rules", Condition basics:
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html).
 * - The dialect has no lookaheads, lookbehinds, backreferences, atomic groups, possessive quantifiers, subroutines,
 *   recursion or Unicode classes ("Listener rules for your Application Load Balancer", Rule basics:
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html): a PCRE-like engine.
 * - Each regex is at most 128 characters (`HttpHeaderConditionConfig.RegexValues`:
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_HttpHeaderConditionConfig.html);
 *   repeated header fields are searched in order until one matches (same page, for `Values`).
 * - CloudFormation: `AWS::ElasticLoadBalancingV2::ListenerRule` `HttpHeaderConfig.RegexValues`
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-elasticloadbalancingv2-listenerrule-httpheaderconfig.html;
 *   also in aws-cdk-lib's `CfnListenerRule.HttpHeaderConfigProperty.regexValues` and cfn-lint's resource schema).
 * AWS does not document whether a regex must match the whole value or is searched in it, whether it ignores case,
 * whether `Values` and `RegexValues` may share a condition, or whether `*` and `?` in a regex count against the 5
 * wildcards per rule. So the patterns are written to mean the same either way: anchored with `^` and `$` (full match
 * and search agree), lowercase only (see `docs/aws.md` for what ignoring case would change), never mixed with
 * `Values`, and with no `*` or `?` at all (`{0,}` and `(x|)` instead). They use only `^ $ . ( | ) [ ] {0,}`, `\t`
 * and literal characters, where PCRE, RE2 and JavaScript agree on values without line breaks (which HTTP field
 * values cannot hold): that is why a JavaScript `RegExp` can model ALB in the tests.
 *
 * `wildcard`: the fallback, with `Values` only. An ALB value pattern matches the whole header value, `*` any run
 * and `?` one character, ignoring case. `*ctx=lane:gray*` (the seed's idea) also matches `gray2`, so each pattern
 * pins the member between list boundaries: the start of the value or a `,` (optionally followed by one space)
 * before it, and the end of the value or a `,` (baggage: also `;` before properties) after it. That takes 2 or 3
 * rules per lane and carrier within the per-rule limits below.
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
 * - `HttpHeaderConditionConfig.Values` and `.RegexValues` (ELB API reference): at most 128 characters each.
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
  /** Characters in one http-header value or regex. */
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

/**
 * Which rule a condition goes into; the order is the priority band order (see `priorities.ts`). The regex mode uses
 * `tracestate` and `baggage` only, at the same priorities and logical ids as the wildcard mode's first rule of each
 * carrier, so switching modes updates those rules in place.
 */
export const RULE_KINDS = ['tracestate', 'tracestate-inner', 'baggage', 'baggage-inner', 'baggage-inner-ows'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export interface HeaderMatchOptions {
  /** Carriers to route on, in precedence order. @default the project's gateway carriers */
  carriers: readonly LaneCarrier[];
  /** Regex rules (one per lane and carrier) or the wildcard fallback. @default the project's `aws.headerMatch` */
  mode?: HeaderMatchMode | undefined;
  /**
   * Wildcard mode: also match a member after `, ` (comma and one space), the separator many serializers and proxies
   * write when they join repeated header fields. Costs one more rule per lane for baggage. The regex mode always
   * allows optional whitespace. @default true
   */
  ows: boolean;
}

/** One listener rule's condition: patterns ORed against one header. */
export interface LaneRuleMatch {
  kind: RuleKind;
  header: string;
  /** `wildcard`: `Values`; `regex`: `RegexValues`. */
  syntax: 'wildcard' | 'regex';
  values: string[];
}

/** Optional whitespace (space or tab) in a regex, without `*`. */
const OWS = '[ \\t]{0,}';

/**
 * The regex for one carrier: the member between list boundaries, with optional whitespace around it (and, in
 * baggage, around `=`), other members before and after it, and baggage properties after `;`. Lane names are
 * `[a-z0-9-]` (the generic template's `Lane` parameter has the same `AllowedPattern`), none of them special in a
 * regex, so the name goes in as is; at 63 characters the baggage regex is 127, within ALB's 128.
 */
export function laneRegex(carrier: LaneCarrier, lane: string): string {
  const before = `^(.{0,},|)${OWS}`;
  if (carrier === 'tracestate') return `${before}ctx=lane:${lane}${OWS}(,.{0,}|)$`;
  return `${before}lane${OWS}=${OWS}${lane}${OWS}([;,].{0,}|)$`;
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
    if ((options.mode ?? 'regex') === 'regex') {
      rules.push({ kind: carrier, header, syntax: 'regex', values: [laneRegex(carrier, lane)] });
      continue;
    }
    const m = member(lane);
    const wildcard = (kind: RuleKind, values: string[]) => rules.push({ kind, header, syntax: 'wildcard', values });
    if (carrier === 'tracestate') {
      // 4 or 6 patterns: split so that each rule has at most 3 values and 5 wildcards.
      wildcard('tracestate', [m, `${m},*`, `*,${m},*`]);
      wildcard('tracestate-inner', options.ows ? [`*,${m}`, `*, ${m}`, `*, ${m},*`] : [`*,${m}`]);
    } else {
      wildcard('baggage', patternsFor(m, [''], ends));
      wildcard('baggage-inner', patternsFor(m, ['*,'], ends));
      if (options.ows) wildcard('baggage-inner-ows', patternsFor(m, ['*, '], ends));
    }
  }
  return rules;
}

/** Header rules per lane (the canary rule, present only while the lane has a weight, excluded). */
export function rulesPerLane(options: HeaderMatchOptions): number {
  return laneRuleMatches('x', options).length;
}

/** Number of `*` and `?` in a pattern (a regex's count too: AWS does not say whether it counts them). */
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
