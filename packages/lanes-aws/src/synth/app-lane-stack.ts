import {
  Aws,
  CfnCondition,
  CfnMapping,
  CfnParameter,
  aws_cloudwatch as cw,
  aws_ecs as ecs,
  aws_elasticloadbalancingv2 as elbv2,
  Fn,
  Stack,
  aws_servicediscovery as sd,
  Validations,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DEFAULT_DEREGISTRATION_DELAY, targetGroupAttributes } from './boot-stack.js';
import { bootExportName, bootServiceArnExportName, infraExportName } from './exports.js';
import { type HeaderMatchOptions, laneRuleMatches } from './header-match.js';
import { revisionParameters } from './lane-revision-params.js';
import { suppress } from './nag.js';
import { PRIORITY_SLOTS, type PrioritySlot } from './priorities.js';
import { ENV_PATTERN, LANE_PATTERN, SERVICE_PATTERN, templateStackProps } from './stack-props.js';

/** The container's name in every lane's task definition. */
export const CONTAINER_NAME = 'app';

/**
 * What an app stack is fixed to at synth time. Left out, a value becomes a template parameter (the generic
 * template the pipeline deploys for any lane); given, it is written into the template (`laneTemplate`).
 */
export interface AppLaneInputs {
  service?: string | undefined;
  env?: string | undefined;
  lane?: string | undefined;
  /** Every band's priority, `lanePriorities(service, lane)`. */
  priorities?: readonly number[] | undefined;
  /** `derivedNames(service, env, lane).targetGroup`. */
  targetGroupName?: string | undefined;
}

export interface AppLaneStackProps {
  /** `default` is served by the boot stack's target group and listener default action; `lane` has its own. */
  kind: 'default' | 'lane';
  match: HeaderMatchOptions;
  inputs?: AppLaneInputs | undefined;
  stackName?: string | undefined;
}

/** Alarm ids of every lane (the seed's three, per lane). */
export const LANE_ALARMS = ['Target5xxRate', 'RunningBelowDesired', 'NoHealthyHosts'] as const;

/**
 * One lane of one service, stack `app-{service}-{env}-{lane}`: task definition (log stream prefix = lane), Fargate
 * service with the deployment circuit breaker and rollback, and for non-default lanes a target group, the listener
 * rules that match the lane exactly, a weighted catch-all rule for percentage canaries, and a Cloud Map service.
 */
export class AppLaneStack extends Stack {
  constructor(scope: Construct, id: string, props: AppLaneStackProps) {
    super(scope, id, {
      ...templateStackProps(`Lanes app layer: one lane of a service (${props.kind})`),
      ...(props.stackName ? { stackName: props.stackName } : {}),
    });
    const inputs = props.inputs ?? {};
    const given = (name: string, value: string | undefined, pattern: string) =>
      value ?? new CfnParameter(this, name, { type: 'String', allowedPattern: pattern }).valueAsString;
    const service = given('ServiceName', inputs.service, SERVICE_PATTERN);
    const env = given('Env', inputs.env, ENV_PATTERN);
    const lane = props.kind === 'default' ? 'default' : given('Lane', inputs.lane, LANE_PATTERN);
    const image = new CfnParameter(this, 'ImageUri', { type: 'String', minLength: 1 }).valueAsString;
    const containerPort = new CfnParameter(this, 'ContainerPort', { type: 'Number', default: 8080 }).valueAsNumber;
    const desired = new CfnParameter(this, 'DesiredCount', { type: 'Number', default: 1, minValue: 0 });
    const cpu = new CfnParameter(this, 'Cpu', { type: 'String', default: '256' }).valueAsString;
    const memory = new CfnParameter(this, 'Memory', { type: 'String', default: '512' }).valueAsString;
    const alarmTopic = new CfnParameter(this, 'AlarmTopicArn', {
      type: 'String',
      default: '',
      description: 'SNS topic for the lane alarms; empty: alarms without actions',
    });
    const hasTopic = new CfnCondition(this, 'HasAlarmTopic', {
      expression: Fn.conditionNot(Fn.conditionEquals(alarmTopic.valueAsString, '')),
    });
    const boot = (key: Parameters<typeof bootExportName>[2]) => Fn.importValue(bootExportName(service, env, key));
    const infra = (key: Parameters<typeof infraExportName>[1]) => Fn.importValue(infraExportName(env, key));
    // The routing listener: HTTPS when the service has a certificate (its HTTP listener only redirects then).
    const listenerArn = boot('ListenerArn');
    const ecsServiceName = `${service}-${lane}`;

    const taskDefinition = new ecs.CfnTaskDefinition(this, 'TaskDefinition', {
      family: `${service}-${env}-${lane}`,
      cpu,
      memory,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      executionRoleArn: boot('TaskExecutionRoleArn'),
      taskRoleArn: boot('TaskRoleArn'),
      containerDefinitions: [
        {
          name: CONTAINER_NAME,
          image,
          essential: true,
          portMappings: [{ containerPort, protocol: 'tcp' }],
          environment: [
            { name: 'LANES_SERVICE', value: service },
            { name: 'LANES_ENV', value: env },
            { name: 'LANES_LANE', value: lane },
          ],
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': boot('LogGroupName'),
              'awslogs-region': Aws.REGION,
              'awslogs-stream-prefix': lane,
            },
          },
        },
      ],
    });
    // The lane's run.env is written into this container at deploy time (specializeTemplate, ci/build.sh).
    revisionParameters(this);
    suppress(taskDefinition, 'AwsSolutions-ECS2', 'The variables carry the lane identity, not secrets.');

    let targetGroupArn: string;
    let targetGroupFullName: string;
    let registryArn: string;
    const rules: elbv2.CfnListenerRule[] = [];
    if (props.kind === 'default') {
      targetGroupArn = boot('DefaultTargetGroupArn');
      targetGroupFullName = boot('DefaultTargetGroupFullName');
      registryArn = Fn.importValue(bootServiceArnExportName(service, env));
    } else {
      const delay = new CfnParameter(this, 'DeregistrationDelay', {
        type: 'Number',
        default: DEFAULT_DEREGISTRATION_DELAY,
        minValue: 0,
        maxValue: 3600,
      });
      const healthPath = new CfnParameter(this, 'HealthCheckPath', { type: 'String', default: '/healthz' });
      const tgName =
        inputs.targetGroupName ??
        new CfnParameter(this, 'TargetGroupName', { type: 'String', maxLength: 32, minLength: 1 }).valueAsString;
      const priorityList =
        inputs.priorities === undefined
          ? new CfnParameter(this, 'RulePriorities', {
              type: 'CommaDelimitedList',
              description: `lanePriorities(service, lane): one per band (${PRIORITY_SLOTS.join(', ')})`,
            }).valueAsList
          : undefined;
      const priority = (slot: PrioritySlot): number => {
        const index = PRIORITY_SLOTS.indexOf(slot);
        const literal = inputs.priorities?.[index];
        if (literal !== undefined) return literal;
        return Fn.select(index, priorityList ?? []) as unknown as number;
      };
      const tg = new elbv2.CfnTargetGroup(this, 'TargetGroup', {
        name: tgName,
        targetType: 'ip',
        protocol: 'HTTP',
        port: containerPort,
        vpcId: infra('VpcId'),
        healthCheckPath: healthPath.valueAsString,
        matcher: { httpCode: '200-399' },
        targetGroupAttributes: targetGroupAttributes(delay.valueAsString),
      });
      targetGroupArn = tg.ref;
      targetGroupFullName = tg.attrTargetGroupFullName;
      for (const match of laneRuleMatches(lane, props.match)) {
        const id = match.kind.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
        rules.push(
          new elbv2.CfnListenerRule(this, `${id}Rule`, {
            listenerArn,
            priority: priority(match.kind),
            conditions: [
              { field: 'http-header', httpHeaderConfig: { httpHeaderName: match.header, values: match.values } },
            ],
            actions: [{ type: 'forward', targetGroupArn }],
          }),
        );
      }
      const weight = new CfnParameter(this, 'CanaryWeight', {
        type: 'Number',
        default: 0,
        minValue: 0,
        maxValue: 100,
        description: 'Percent of untagged requests this lane receives (0: header-tagged requests only)',
      });
      const complement: Record<string, Record<string, number>> = {};
      for (let w = 0; w <= 100; w++) complement[String(w)] = { Rest: 100 - w };
      const weights = new CfnMapping(this, 'CanaryComplement', { mapping: complement });
      const canary = new CfnCondition(this, 'HasCanary', {
        expression: Fn.conditionNot(Fn.conditionEquals(weight.valueAsString, '0')),
      });
      const canaryRule = new elbv2.CfnListenerRule(this, 'CanaryRule', {
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
                  targetGroupArn: boot('DefaultTargetGroupArn'),
                  weight: weights.findInMap(weight.valueAsString, 'Rest') as unknown as number,
                },
              ],
            },
          },
        ],
      });
      canaryRule.cfnOptions.condition = canary;
      const discovery = new sd.CfnService(this, 'DiscoveryService', {
        name: ecsServiceName,
        namespaceId: infra('NamespaceId'),
        dnsConfig: { routingPolicy: 'MULTIVALUE', dnsRecords: [{ type: 'A', ttl: 10 }] },
        healthCheckCustomConfig: { failureThreshold: 1 },
      });
      registryArn = discovery.attrArn;
    }

    const ecsService = new ecs.CfnService(this, 'Service', {
      serviceName: ecsServiceName,
      cluster: infra('ClusterName'),
      launchType: 'FARGATE',
      taskDefinition: taskDefinition.ref,
      desiredCount: desired.valueAsNumber,
      healthCheckGracePeriodSeconds: 60,
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: true, rollback: true },
        minimumHealthyPercent: 100,
        maximumPercent: 200,
      },
      networkConfiguration: {
        awsvpcConfiguration: {
          assignPublicIp: 'DISABLED',
          subnets: Fn.split(',', infra('PrivateSubnetIds')),
          securityGroups: [boot('ServiceSecurityGroupId')],
        },
      },
      loadBalancers: [{ containerName: CONTAINER_NAME, containerPort, targetGroupArn }],
      serviceRegistries: [{ registryArn }],
      enableEcsManagedTags: true,
      propagateTags: 'SERVICE',
    });
    // ECS refuses a target group that no listener rule uses yet.
    for (const rule of rules) ecsService.addResourceDependency(rule);

    const alarmActions = Fn.conditionIf(
      hasTopic.logicalId,
      [alarmTopic.valueAsString],
      Aws.NO_VALUE,
    ) as unknown as string[];
    const albDimensions = [
      { name: 'LoadBalancer', value: boot('LoadBalancerFullName') },
      { name: 'TargetGroup', value: targetGroupFullName },
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
    Validations.of(this).acknowledge({
      id: 'CloudFormation-Validate::W1030',
      reason: 'AlarmTopicArn is read only inside Fn::If on HasAlarmTopic, which is false for its empty default.',
    });
    const alarmBase = { alarmActions, okActions: alarmActions } as const;
    new cw.CfnAlarm(this, 'Target5xxRate', {
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
      { name: 'ClusterName', value: infra('ClusterName') },
      { name: 'ServiceName', value: ecsServiceName },
    ];
    new cw.CfnAlarm(this, 'RunningBelowDesired', {
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
    new cw.CfnAlarm(this, 'NoHealthyHosts', {
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
  }
}
