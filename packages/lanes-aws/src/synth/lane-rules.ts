import { Aws, CfnCondition, CfnMapping, CfnParameter, aws_elasticloadbalancingv2 as elbv2, Fn } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type HeaderMatchOptions, laneRuleMatches } from './header-match.js';
import { TRUSTED_SOURCES_PARAMETER } from './lane-admission.js';
import { PRIORITY_SLOTS, type PrioritySlot } from './priorities.js';

export interface LaneRulesProps {
  /** The routing listener (the boot stack's `ListenerArn` export). */
  listenerArn: string;
  /** The lane's own target group. */
  targetGroupArn: string;
  /** The boot stack's default target group: the rest of a percentage canary goes there. */
  defaultTargetGroupArn: string;
  /** The lane name, or a token (the generic app-lane template). */
  lane: string;
  match: HeaderMatchOptions;
  /** Every band's priority, `lanePriorities(service, lane)`; left out, they become the `RulePriorities` parameter. */
  priorities?: readonly number[] | undefined;
  /**
   * The CIDRs whose clients may choose this lane (`laneSourceCidrs`; empty: anyone). Left out, they become the
   * `TrustedSourceCidrs` parameter, empty by default.
   */
  trustedSources?: readonly string[] | undefined;
}

/**
 * The `source-ip` condition of a lane's header rules, or `undefined` for none: literal when the CIDRs are known,
 * else from the parameter, present only while it is not empty.
 */
function sourceCondition(scope: Construct, given: readonly string[] | undefined) {
  if (given !== undefined) {
    return given.length === 0 ? undefined : { field: 'source-ip', sourceIpConfig: { values: [...given] } };
  }
  const cidrs = new CfnParameter(scope, TRUSTED_SOURCES_PARAMETER, {
    type: 'CommaDelimitedList',
    default: '',
    description: 'CIDRs whose clients may choose this lane by header (empty: anyone); see docs/aws.md',
  });
  const restricted = new CfnCondition(scope, 'HasTrustedSources', {
    expression: Fn.conditionNot(Fn.conditionEquals(Fn.join(',', cidrs.valueAsList), '')),
  });
  return Fn.conditionIf(
    restricted.logicalId,
    { Field: 'source-ip', SourceIpConfig: { Values: cidrs.valueAsList } },
    Aws.NO_VALUE,
  );
}

/**
 * The listener rules of one non-default lane: the header rules that match the lane exactly, and a weighted
 * catch-all rule for a percentage canary that exists only while the `CanaryWeight` parameter is above 0.
 * Returns the header rules: the ECS service must depend on them (ECS refuses a target group no rule uses yet).
 */
/** The lane stack's parameter for its percent of untagged requests (route and promote --analyze move it). */
export const CANARY_WEIGHT = 'CanaryWeight';

export function addLaneRules(scope: Construct, props: LaneRulesProps): elbv2.CfnListenerRule[] {
  const { listenerArn, targetGroupArn } = props;
  const priorityList =
    props.priorities === undefined
      ? new CfnParameter(scope, 'RulePriorities', {
          type: 'CommaDelimitedList',
          description: `lanePriorities(service, lane): one per band (${PRIORITY_SLOTS.join(', ')})`,
        }).valueAsList
      : undefined;
  const priority = (slot: PrioritySlot): number => {
    const index = PRIORITY_SLOTS.indexOf(slot);
    const literal = props.priorities?.[index];
    if (literal !== undefined) return literal;
    return Fn.select(index, priorityList ?? []) as unknown as number;
  };
  const source = sourceCondition(scope, props.trustedSources);
  const rules: elbv2.CfnListenerRule[] = [];
  for (const match of laneRuleMatches(props.lane, props.match)) {
    const id = match.kind.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
    rules.push(
      new elbv2.CfnListenerRule(scope, `${id}Rule`, {
        listenerArn,
        priority: priority(match.kind),
        conditions: [
          {
            field: 'http-header',
            // Never both keys: AWS does not document whether one condition may combine them.
            httpHeaderConfig:
              match.syntax === 'regex'
                ? { httpHeaderName: match.header, regexValues: match.values }
                : { httpHeaderName: match.header, values: match.values },
          },
          ...(source === undefined ? [] : [source]),
        ],
        actions: [{ type: 'forward', targetGroupArn }],
      }),
    );
  }
  const weight = new CfnParameter(scope, CANARY_WEIGHT, {
    type: 'Number',
    default: 0,
    minValue: 0,
    maxValue: 100,
    description: 'Percent of untagged requests this lane receives (0: header-tagged requests only)',
  });
  const complement: Record<string, Record<string, number>> = {};
  for (let w = 0; w <= 100; w++) complement[String(w)] = { Rest: 100 - w };
  const weights = new CfnMapping(scope, 'CanaryComplement', { mapping: complement });
  const canary = new CfnCondition(scope, 'HasCanary', {
    expression: Fn.conditionNot(Fn.conditionEquals(weight.valueAsString, '0')),
  });
  const canaryRule = new elbv2.CfnListenerRule(scope, 'CanaryRule', {
    listenerArn,
    priority: priority('canary'),
    conditions: [{ field: 'path-pattern', pathPatternConfig: { values: ['/*'] } }],
    actions: [
      {
        type: 'forward',
        forwardConfig: {
          targetGroups: [
            { targetGroupArn, weight: weight.valueAsNumber },
            {
              targetGroupArn: props.defaultTargetGroupArn,
              weight: weights.findInMap(weight.valueAsString, 'Rest') as unknown as number,
            },
          ],
        },
      },
    ],
  });
  canaryRule.cfnOptions.condition = canary;
  return rules;
}
