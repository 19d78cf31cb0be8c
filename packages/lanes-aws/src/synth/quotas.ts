import { LanesError, type ServiceModel } from '@lanes/core';
import {
  ALB_RULE_LIMITS,
  type HeaderMatchOptions,
  laneRuleMatches,
  ruleLimitProblem,
  rulesPerLane,
} from './header-match.js';

/**
 * How many lanes besides `default` one service's ALB can hold with these match options under a rules quota, with
 * `canaries` lanes taking a percentage at the same time (each has one more rule while its weight is above 0). The
 * boot stack's default target group is one of the ALB's 100 target groups, which caps it at 99.
 */
export function maxLanesPerLoadBalancer(
  match: HeaderMatchOptions,
  ruleQuota: number = ALB_RULE_LIMITS.rulesPerLoadBalancer,
  canaries = 0,
): number {
  const byRules = Math.floor(Math.max(0, ruleQuota - canaries) / rulesPerLane(match));
  return Math.min(byRules, ALB_RULE_LIMITS.targetGroupsPerLoadBalancer - 1);
}

/**
 * Fails early (a `LanesError`, user fault) when the service's declared lanes cannot all live on its ALB: a rule over
 * ALB's per-rule limits, more rules than `ruleQuota` (the project's `aws.albRulesQuota`), more target groups than
 * the ALB allows. A declared lane with a weight counts its canary rule too; other lanes get one only while they
 * take a percentage, so keep a rule free per lane you canary at once.
 */
export function checkServiceQuotas(
  service: ServiceModel,
  match: HeaderMatchOptions,
  ruleQuota: number = ALB_RULE_LIMITS.rulesPerLoadBalancer,
): void {
  const lanes = Object.keys(service.lanes).filter((lane) => lane !== 'default');
  for (const lane of lanes) {
    for (const rule of laneRuleMatches(lane, match)) {
      const problem = ruleLimitProblem(rule);
      if (problem)
        throw new LanesError('AWS_ALB_RULE_LIMIT', `service "${service.name}", lane "${lane}": ${problem}`, 'user');
    }
  }
  const canaries = lanes.filter((lane) => (service.lanes[lane]?.weight ?? 0) > 0).length;
  const perLane = rulesPerLane(match);
  const tgMax = ALB_RULE_LIMITS.targetGroupsPerLoadBalancer - 1;
  if (lanes.length > tgMax) {
    throw new LanesError(
      'AWS_ALB_QUOTA',
      `service "${service.name}" declares ${lanes.length} lanes besides default, and its ALB holds ${tgMax}: ` +
        `${ALB_RULE_LIMITS.targetGroupsPerLoadBalancer} target groups per ALB (not adjustable), one of them the ` +
        "default lane's. Remove lanes, or split the service",
      'user',
    );
  }
  const needed = lanes.length * perLane + canaries;
  if (needed > ruleQuota) {
    const max = maxLanesPerLoadBalancer(match, ruleQuota, canaries);
    const mode = match.mode ?? 'regex';
    throw new LanesError(
      'AWS_ALB_QUOTA',
      `service "${service.name}" declares ${lanes.length} lanes besides default, and its ALB holds ${max}: ` +
        `${lanes.length} × ${perLane} rules (${mode} matching on ${match.carriers.join(' and ')})` +
        `${canaries > 0 ? ` + ${canaries} canary rules` : ''} = ${needed} rules against a quota of ${ruleQuota} ` +
        'rules per ALB. Remove lanes, route on fewer carriers, or request a higher "Rules per Application Load ' +
        'Balancer" quota and declare it as "aws.albRulesQuota" in lanes.json',
      'user',
    );
  }
}
