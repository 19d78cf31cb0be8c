import { Aws, CfnCondition, CfnParameter, aws_cloudwatch as cw, Fn, type Stack, Validations } from 'aws-cdk-lib';

/** Alarm ids of every lane (the seed's three, per lane). */
export const LANE_ALARMS = ['Target5xxRate', 'RunningBelowDesired', 'NoHealthyHosts'] as const;
export type LaneAlarm = (typeof LANE_ALARMS)[number];

/** What the alarms of one lane watch; values may be tokens (imports, parameters). */
export interface LaneAlarmTargets {
  service: string;
  env: string;
  lane: string;
  clusterName: string;
  ecsServiceName: string;
  loadBalancerFullName: string;
  targetGroupFullName: string;
}

/**
 * The seed's three alarms of one lane, with the `AlarmTopicArn` parameter (empty: alarms without actions). Returns
 * each alarm by id, so the ECS service can name the ones that judge a deployment.
 */
export function laneAlarms(stack: Stack, targets: LaneAlarmTargets): Record<LaneAlarm, cw.CfnAlarm> {
  const { service, env, lane } = targets;
  const alarmTopic = new CfnParameter(stack, 'AlarmTopicArn', {
    type: 'String',
    default: '',
    description: 'SNS topic for the lane alarms; empty: alarms without actions',
  });
  const hasTopic = new CfnCondition(stack, 'HasAlarmTopic', {
    expression: Fn.conditionNot(Fn.conditionEquals(alarmTopic.valueAsString, '')),
  });
  const alarmActions = Fn.conditionIf(
    hasTopic.logicalId,
    [alarmTopic.valueAsString],
    Aws.NO_VALUE,
  ) as unknown as string[];
  const albDimensions = [
    { name: 'LoadBalancer', value: targets.loadBalancerFullName },
    { name: 'TargetGroup', value: targets.targetGroupFullName },
  ];
  const metric = (
    id: string,
    namespace: string,
    name: string,
    stat: string,
    dims: cw.CfnAlarm.DimensionProperty[],
  ) => ({
    id,
    returnData: false,
    metricStat: { metric: { namespace, metricName: name, dimensions: dims }, period: 60, stat },
  });
  Validations.of(stack).acknowledge({
    id: 'CloudFormation-Validate::W1030',
    reason: 'AlarmTopicArn is read only inside Fn::If on HasAlarmTopic, which is false for its empty default.',
  });
  const alarmBase = { alarmActions, okActions: alarmActions } as const;
  const target5xxRate = new cw.CfnAlarm(stack, 'Target5xxRate', {
    ...alarmBase,
    alarmName: `${Aws.STACK_NAME}-target-5xx-rate`,
    alarmDescription: `More than 1% of the requests to lane ${lane} of ${service} (${env}) got a 5XX from the targets`,
    comparisonOperator: 'GreaterThanThreshold',
    threshold: 1,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    treatMissingData: 'notBreaching',
    metrics: [
      metric('errors', 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', 'Sum', albDimensions),
      metric('requests', 'AWS/ApplicationELB', 'RequestCount', 'Sum', albDimensions),
      { id: 'rate', expression: 'IF(requests > 0, 100 * errors / requests, 0)', label: '5XX %', returnData: true },
    ],
  });
  const ecsDimensions = [
    { name: 'ClusterName', value: targets.clusterName },
    { name: 'ServiceName', value: targets.ecsServiceName },
  ];
  const runningBelowDesired = new cw.CfnAlarm(stack, 'RunningBelowDesired', {
    ...alarmBase,
    alarmName: `${Aws.STACK_NAME}-running-below-desired`,
    alarmDescription: `Lane ${lane} of ${service} (${env}) ran fewer tasks than desired 3 minutes in a row (Container Insights)`,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    threshold: 1,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    treatMissingData: 'breaching',
    metrics: [
      metric('running', 'ECS/ContainerInsights', 'RunningTaskCount', 'Average', ecsDimensions),
      metric('desired', 'ECS/ContainerInsights', 'DesiredTaskCount', 'Average', ecsDimensions),
      { id: 'short', expression: 'IF(running < desired, 1, 0)', label: 'running < desired', returnData: true },
    ],
  });
  const noHealthyHosts = new cw.CfnAlarm(stack, 'NoHealthyHosts', {
    ...alarmBase,
    alarmName: `${Aws.STACK_NAME}-no-healthy-hosts`,
    alarmDescription: `Lane ${lane} of ${service} (${env}) has no healthy target`,
    namespace: 'AWS/ApplicationELB',
    metricName: 'HealthyHostCount',
    dimensions: albDimensions,
    statistic: 'Minimum',
    period: 60,
    comparisonOperator: 'LessThanThreshold',
    threshold: 1,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    treatMissingData: 'breaching',
  });
  return { Target5xxRate: target5xxRate, RunningBelowDesired: runningBelowDesired, NoHealthyHosts: noHealthyHosts };
}
