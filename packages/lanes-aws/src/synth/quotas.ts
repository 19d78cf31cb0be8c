import { LanesError, type ServiceModel } from '@lanes/core';
import { ALB_RULE_LIMITS, type HeaderMatchOptions, laneRuleMatches, ruleLimitProblem } from './header-match.js';

/** How many lanes besides `default` one service's ALB can hold with these match options, at the default quotas. */
export function maxLanesPerLoadBalancer(
  match: HeaderMatchOptions,
  ruleQuota: number = ALB_RULE_LIMITS.rulesPerLoadBalancer,
): number {
  const rulesPerLane = laneRuleMatches('x', match).length;
  // The boot stack's default target group is one of the ALB's target groups.
  return Math.min(Math.floor(ruleQuota / rulesPerLane), ALB_RULE_LIMITS.targetGroupsPerLoadBalancer - 1);
}

/**
 * Fails early (a `LanesError`, user fault) when the service's declared lanes cannot all live on its ALB: a rule over
 * ALB's per-rule limits, more rules than the rules quota, more target groups than the ALB allows. The canary rule
 * is left out: a lane has it only while it takes a percentage of untagged traffic, one lane at a time.
 */
export function checkServiceQuotas(service: ServiceModel, match: HeaderMatchOptions): void {
  const lanes = Object.keys(service.lanes).filter((lane) => lane !== 'default');
  for (const lane of lanes) {
    for (const rule of laneRuleMatches(lane, match)) {
      const problem = ruleLimitProblem(rule);
      if (problem)
        throw new LanesError('ALB_RULE_LIMIT', `service "${service.name}", lane "${lane}": ${problem}`, 'user');
    }
  }
  const max = maxLanesPerLoadBalancer(match);
  if (lanes.length > max) {
    const rulesPerLane = laneRuleMatches('x', match).length;
    throw new LanesError(
      'ALB_QUOTA',
      `service "${service.name}" declares ${lanes.length} lanes besides default, and its ALB holds ${max}: ` +
        `${rulesPerLane} rules per lane against ${ALB_RULE_LIMITS.rulesPerLoadBalancer} rules per ALB, ` +
        `${ALB_RULE_LIMITS.targetGroupsPerLoadBalancer} target groups per ALB. Remove lanes, route on fewer carriers, ` +
        'or request a higher "Rules per Application Load Balancer" quota',
      'user',
    );
  }
}
