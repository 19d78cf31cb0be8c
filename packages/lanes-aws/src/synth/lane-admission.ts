import { LanesError } from '@lanes/core';
import { ALB_RULE_LIMITS, conditionsLimitProblem, type HeaderMatchOptions, laneRuleMatches } from './header-match.js';

/**
 * Lane admission on an ALB: the gateway's rule "only a trusted client chooses its lane" as listener-rule
 * conditions. A lane that is not open gets a `source-ip` condition with the trusted CIDRs on each of its header
 * rules, so a tagged request from elsewhere matches no lane rule and is routed as untagged (the canary rule or the
 * default action), as the gateway strips the tag of an untrusted request.
 *
 * What ALB cannot do, and the gateway can:
 * - `source-ip` reads the address that connects to the load balancer, never `X-Forwarded-For`
 *   (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SourceIpConditionConfig.html), so
 *   `trustedHops` has no ALB equivalent and synth refuses it.
 * - Signed lane tokens need an HMAC check no rule condition can make: on AWS a tester outside the trusted network
 *   reaches a lane through the network (VPN, a bastion) or the lane is open.
 * - A rule holds at most one `source-ip` condition, 3 values in one condition and 5 in the rule, header values
 *   included ("Condition types for listener rules", Condition basics:
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html).
 */
export interface LaneAdmissionPolicy {
  /** CIDRs whose clients may choose a lane. */
  trusted: readonly string[];
  /** Proxies in front whose `X-Forwarded-For` entries are trusted (gateway only). */
  trustedHops: number;
  /** Lanes anyone may choose. */
  openLanes: readonly string[];
}

/** The template parameter that carries a lane's trusted CIDRs (empty: no condition, anyone chooses the lane). */
export const TRUSTED_SOURCES_PARAMETER = 'TrustedSourceCidrs';

function isIpv6(cidr: string): boolean {
  return cidr.includes(':');
}

/** An IPv4 CIDR inside 127.0.0.0/8: no request reaches an ALB from there. */
function isIpv4Loopback(cidr: string): boolean {
  const [address, bits] = cidr.split('/');
  return address?.split('.')[0] === '127' && (bits === undefined || Number(bits) >= 8);
}

/**
 * The CIDRs an ALB can see among the trusted ones: loopback dropped (no client connects from there), IPv6 dropped
 * (the boot stack's load balancer is IPv4: its `IpAddressType` is left at `ipv4`, so no IPv6 client connects).
 * Refuses `trustedHops` and a trusted set that leaves nothing an ALB can see, both of which would silently admit
 * or refuse everyone.
 */
export function albTrustedSources(policy: LaneAdmissionPolicy): string[] {
  if (policy.trustedHops > 0) {
    throw new LanesError(
      'AWS_ADMISSION_ALB',
      `admission.trustedHops is ${policy.trustedHops}, and an ALB decides on the address that connects to it, ` +
        'never on X-Forwarded-For: list the proxies’ own CIDRs in admission.trusted and set trustedHops to 0 ' +
        'for AWS (see docs/aws.md, "Who may choose a lane")',
      'user',
    );
  }
  const seen = policy.trusted.filter((cidr) => !isIpv6(cidr) && !isIpv4Loopback(cidr));
  if (seen.length === 0) {
    throw new LanesError(
      'AWS_ADMISSION_ALB',
      `admission.trusted (${policy.trusted.join(', ')}) holds no IPv4 address outside loopback, so on an ALB no ` +
        'client could choose a lane: add your VPC CIDR (or your office network), or list the lanes in ' +
        'admission.openLanes',
      'user',
    );
  }
  return seen;
}

/** The `source-ip` values of one lane's header rules: none for an open lane. */
export function laneSourceCidrs(policy: LaneAdmissionPolicy, lane: string): string[] {
  return policy.openLanes.includes(lane) ? [] : albTrustedSources(policy);
}

/**
 * Fails (a user error) when a lane that is not open cannot carry the trusted CIDRs: each header rule holds its
 * header values and the `source-ip` values, within ALB's per-rule limits. Lane names do not change the counts, so
 * one sample lane stands for every lane the pipeline may create.
 */
export function checkAdmissionFits(policy: LaneAdmissionPolicy, match: HeaderMatchOptions): void {
  const sources = albTrustedSources(policy);
  const rules = laneRuleMatches('lane', match);
  const widest = Math.max(...rules.map((rule) => rule.values.length));
  const room = Math.min(ALB_RULE_LIMITS.valuesPerCondition, ALB_RULE_LIMITS.valuesPerRule - widest);
  for (const rule of rules) {
    const problem = conditionsLimitProblem(rule.kind, [rule.values, sources]);
    if (problem === undefined) continue;
    throw new LanesError(
      'AWS_ADMISSION_ALB',
      `the trusted CIDRs (${sources.join(', ')}) do not fit into the listener rules of a lane: ${problem}. ` +
        `With ${match.mode ?? 'regex'} matching a lane's rules hold ${room} trusted CIDRs an ALB can see (IPv4, not ` +
        'loopback): trust fewer or wider ones, e.g. your VPC CIDR, or list the lanes anyone may choose in ' +
        'admission.openLanes',
      'user',
    );
  }
}
