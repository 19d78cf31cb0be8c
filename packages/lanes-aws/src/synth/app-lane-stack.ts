import { AWS_NAME_FORMS } from '@lanes/core';
import {
  Aws,
  CfnParameter,
  type CfnParameterProps,
  aws_ecs as ecs,
  aws_elasticloadbalancingv2 as elbv2,
  Fn,
  Stack,
  aws_servicediscovery as sd,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DEFAULT_DEREGISTRATION_DELAY, targetGroupAttributes } from './boot-stack.js';
import { bootExportName, bootServiceArnExportName, infraExportName } from './exports.js';
import type { HeaderMatchOptions } from './header-match.js';
import { deploymentAlarms, laneAlarms } from './lane-alarms.js';
import { revisionParameters } from './lane-revision-params.js';
import { addLaneRules } from './lane-rules.js';
import { suppress } from './nag.js';
import { ENV_PARAMETER, LANE_PARAMETER, SERVICE_PARAMETER, templateStackProps } from './stack-props.js';

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
  /** `awsNames(env, service, lane).targetGroup`. */
  targetGroupName?: string | undefined;
  /** `laneSourceCidrs(admission, lane)`: who may choose the lane by header (empty: anyone). */
  trustedSources?: readonly string[] | undefined;
}

export interface AppLaneStackProps {
  /** `default` is served by the boot stack's target group and listener default action; `lane` has its own. */
  kind: 'default' | 'lane';
  match: HeaderMatchOptions;
  inputs?: AppLaneInputs | undefined;
  stackName?: string | undefined;
}

export { LANE_ALARMS } from './lane-alarms.js';

/**
 * One lane of one service, stack `app-{service}--{env}--{lane}`: task definition (log stream prefix = lane), Fargate
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
    const given = (name: string, value: string | undefined, parameter: CfnParameterProps) =>
      value ?? new CfnParameter(this, name, parameter).valueAsString;
    const service = given('ServiceName', inputs.service, SERVICE_PARAMETER);
    const env = given('Env', inputs.env, ENV_PARAMETER);
    const lane = props.kind === 'default' ? 'default' : given('Lane', inputs.lane, LANE_PARAMETER);
    const names = AWS_NAME_FORMS;
    const image = new CfnParameter(this, 'ImageUri', { type: 'String', minLength: 1 }).valueAsString;
    const containerPort = new CfnParameter(this, 'ContainerPort', { type: 'Number', default: 8080 }).valueAsNumber;
    const desired = new CfnParameter(this, 'DesiredCount', { type: 'Number', default: 1, minValue: 0 });
    const cpu = new CfnParameter(this, 'Cpu', { type: 'String', default: '256' }).valueAsString;
    const memory = new CfnParameter(this, 'Memory', { type: 'String', default: '512' }).valueAsString;
    const boot = (key: Parameters<typeof bootExportName>[2]) => Fn.importValue(bootExportName(service, env, key));
    const infra = (key: Parameters<typeof infraExportName>[1]) => Fn.importValue(infraExportName(env, key));
    // The routing listener: HTTPS when the service has a certificate (its HTTP listener only redirects then).
    const listenerArn = boot('ListenerArn');
    const ecsServiceName = names.ecsService(service, lane);

    const taskDefinition = new ecs.CfnTaskDefinition(this, 'TaskDefinition', {
      family: names.taskFamily(env, service, lane),
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
              'awslogs-stream-prefix': names.logStreamPrefix(lane),
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
      rules.push(
        ...addLaneRules(this, {
          listenerArn,
          targetGroupArn,
          defaultTargetGroupArn: boot('DefaultTargetGroupArn'),
          lane,
          match: props.match,
          priorities: inputs.priorities,
          trustedSources: inputs.trustedSources,
        }),
      );
      const discovery = new sd.CfnService(this, 'DiscoveryService', {
        name: names.laneCloudMapName(service, lane),
        namespaceId: infra('NamespaceId'),
        dnsConfig: { routingPolicy: 'MULTIVALUE', dnsRecords: [{ type: 'A', ttl: 10 }] },
        healthCheckCustomConfig: { failureThreshold: 1 },
      });
      registryArn = discovery.attrArn;
    }

    const alarms = laneAlarms(this, {
      service,
      env,
      lane,
      clusterName: infra('ClusterName'),
      ecsServiceName,
      loadBalancerFullName: boot('LoadBalancerFullName'),
      targetGroupFullName,
    });
    const ecsService = new ecs.CfnService(this, 'Service', {
      serviceName: ecsServiceName,
      cluster: infra('ClusterName'),
      launchType: 'FARGATE',
      taskDefinition: taskDefinition.ref,
      desiredCount: desired.valueAsNumber,
      healthCheckGracePeriodSeconds: 60,
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: true, rollback: true },
        alarms: deploymentAlarms(alarms),
        minimumHealthyPercent: 100,
        maximumPercent: 200,
      },
      networkConfiguration: {
        awsvpcConfiguration: {
          assignPublicIp: 'DISABLED',
          subnets: Fn.split(',', infra('PrivateSubnetIds')),
          securityGroups: [boot('ServiceSecurityGroupId'), infra('ServicesSecurityGroupId')],
        },
      },
      loadBalancers: [{ containerName: CONTAINER_NAME, containerPort, targetGroupArn }],
      serviceRegistries: [{ registryArn }],
      enableEcsManagedTags: true,
      propagateTags: 'SERVICE',
    });
    // ECS refuses a target group that no listener rule uses yet.
    for (const rule of rules) ecsService.addResourceDependency(rule);
  }
}
