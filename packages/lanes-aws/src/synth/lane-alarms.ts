import {
  Aws,
  CfnCondition,
  CfnParameter,
  aws_cloudwatch as cw,
  type aws_ecs as ecs,
  Fn,
  type Stack,
  Validations,
} from 'aws-cdk-lib';

/** Alarm ids of every lane (the seed's three, per lane). */
export const LANE_ALARMS = ['Target5xxRate', 'RunningBelowDesired', 'NoHealthyHosts'] as const;
export type LaneAlarm = (typeof LANE_ALARMS)[number];

/**
 * The lane alarms that judge a deployment (`DeploymentConfiguration.Alarms`): ECS fails a deployment when one of them
 * goes to ALARM, and with `Rollback` returns the service to its last COMPLETED deployment
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-alarm-failure.html). Only alarms that stay
 * OK while a healthy revision starts belong here:
 * - `Target5xxRate` judges what the new tasks answer, which the circuit breaker cannot see; no traffic is no data,
 *   and missing data is not breaching, so an idle lane deploys.
 * - Not `RunningBelowDesired`: Container Insights publishes minutes late and missing data is breaching, so every
 *   fresh service (and every scale-out) would alarm and roll back a good revision.
 * - Not `NoHealthyHosts`: missing data is breaching too (a lane scaled to `DesiredCount=0` alarms for good), and
 *   tasks that never turn healthy are already what the circuit breaker fails.
 */
export const DEPLOYMENT_ALARMS = ['Target5xxRate'] as const satisfies readonly LaneAlarm[];

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

/**
 * `DeploymentConfiguration.Alarms` of a lane's ECS service: the `DEPLOYMENT_ALARMS` by name (their `Ref`, so
 * CloudFormation creates them before the service), enabled, with rollback. A brand-new lane has no COMPLETED
 * deployment, so a failure there fails the create instead (the stack rolls back, see docs/aws.md).
 * Schema: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ecs-service-deploymentalarms.html
 */
export function deploymentAlarms(alarms: Record<LaneAlarm, cw.CfnAlarm>): ecs.CfnService.DeploymentAlarmsProperty {
  return { alarmNames: DEPLOYMENT_ALARMS.map((id) => alarms[id].ref), enable: true, rollback: true };
}
