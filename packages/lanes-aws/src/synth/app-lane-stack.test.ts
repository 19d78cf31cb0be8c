import { awsNames } from '@lanes/core';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { AppLaneStack } from './app-lane-stack.js';
import type { HeaderMatchOptions } from './header-match.js';
import { lanePriorities } from './priorities.js';

const match: HeaderMatchOptions = { carriers: ['tracestate', 'baggage'], ows: true };

function laneTemplate(lane: string): Template {
  const app = new App();
  const stack = new AppLaneStack(app, `Lane-${lane}`, {
    kind: lane === 'default' ? 'default' : 'lane',
    match,
    stackName: awsNames('dev', 'cart', lane).appStack,
    inputs: {
      service: 'cart',
      env: 'dev',
      lane,
      priorities: lanePriorities('cart', lane),
      targetGroupName: awsNames('dev', 'cart', lane).targetGroup,
    },
  });
  return Template.fromStack(stack);
}

describe('app lane stack', () => {
  const gray = laneTemplate('gray');

  test('task definition logs to /ecs/{env}/{service} with stream prefix = lane', () => {
    gray.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Family: 'cart--dev--gray',
      RequiresCompatibilities: ['FARGATE'],
      ContainerDefinitions: [
        Match.objectLike({
          LogConfiguration: {
            LogDriver: 'awslogs',
            Options: Match.objectLike({
              'awslogs-group': { 'Fn::ImportValue': 'boot-cart--dev-LogGroupName' },
              'awslogs-stream-prefix': 'gray',
            }),
          },
        }),
      ],
    });
  });

  test('Fargate service with circuit breaker and rollback, after its rules', () => {
    gray.hasResourceProperties('AWS::ECS::Service', {
      ServiceName: 'cart--gray',
      LaunchType: 'FARGATE',
      Cluster: { 'Fn::ImportValue': 'infra-environment-dev-ClusterName' },
      DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true } }),
      LoadBalancers: [
        { ContainerName: 'app', ContainerPort: { Ref: 'ContainerPort' }, TargetGroupArn: { Ref: 'TargetGroup' } },
      ],
    });
    const [service] = Object.values(gray.findResources('AWS::ECS::Service'));
    expect(service?.DependsOn).toEqual(expect.arrayContaining(['TracestateRule', 'BaggageRule']));
  });

  test('target group named by awsNames, with a short deregistration delay', () => {
    gray.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Name: 'cart--dev--gray',
      TargetType: 'ip',
      VpcId: { 'Fn::ImportValue': 'infra-environment-dev-VpcId' },
      TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: { Ref: 'DeregistrationDelay' } }],
    });
    gray.hasParameter('DeregistrationDelay', { Default: 30 });
  });

  test('weighted forward for a percentage canary, only when CanaryWeight > 0', () => {
    const [canary] = Object.values(
      gray.findResources('AWS::ElasticLoadBalancingV2::ListenerRule', { Condition: 'HasCanary' }),
    );
    expect(canary?.Properties.Priority).toBe(lanePriorities('cart', 'gray')[5]);
    expect(canary?.Properties.Actions[0].ForwardConfig.TargetGroups).toEqual([
      { TargetGroupArn: { Ref: 'TargetGroup' }, Weight: { Ref: 'CanaryWeight' } },
      {
        TargetGroupArn: { 'Fn::ImportValue': 'boot-cart--dev-DefaultTargetGroupArn' },
        Weight: { 'Fn::FindInMap': ['CanaryComplement', { Ref: 'CanaryWeight' }, 'Rest'] },
      },
    ]);
  });

  test("the seed's three alarms", () => {
    gray.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    gray.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(requests > 0, 100 * errors / requests, 0)' })]),
    });
    gray.hasResourceProperties('AWS::CloudWatch::Alarm', {
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount' }),
          }),
        }),
      ]),
    });
    gray.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'HealthyHostCount',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
    });
  });

  test('the default lane uses the boot target group and Cloud Map service, and adds no rule', () => {
    const def = laneTemplate('default');
    def.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
    def.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 0);
    def.hasResourceProperties('AWS::ECS::Service', {
      ServiceName: 'cart--default',
      LoadBalancers: [
        Match.objectLike({ TargetGroupArn: { 'Fn::ImportValue': 'boot-cart--dev-DefaultTargetGroupArn' } }),
      ],
      ServiceRegistries: [{ RegistryArn: { 'Fn::ImportValue': 'boot-cart--dev-cart-service-arn' } }],
    });
  });

  test('names the Cloud Map service of a lane {service}--{lane}, apart from any service named cart-gray', () => {
    gray.hasResourceProperties('AWS::ServiceDiscovery::Service', { Name: 'cart--gray' });
  });

  test('creates no IAM (the boot stack owns the task roles)', () => {
    gray.resourceCountIs('AWS::IAM::Role', 0);
  });
});

describe('generic lane template (the pipeline deploys it for any lane)', () => {
  const join = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });
  const t = Template.fromStack(new AppLaneStack(new App(), 'AppLane', { kind: 'lane', match }));
  const service = { Ref: 'ServiceName' };
  const env = { Ref: 'Env' };
  const lane = { Ref: 'Lane' };

  test('joins service, env and lane with "--", as awsNames does', () => {
    t.hasResourceProperties('AWS::ECS::Service', { ServiceName: join(service, '--', lane) });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', { Family: join(service, '--', env, '--', lane) });
    t.hasResourceProperties('AWS::ServiceDiscovery::Service', { Name: join(service, '--', lane) });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      ListenerArn: { 'Fn::ImportValue': join('boot-', service, '--', env, '-ListenerArn') },
    });
  });

  test('refuses "--" in its name parameters', () => {
    for (const name of ['ServiceName', 'Env', 'Lane']) {
      t.hasParameter(name, { AllowedPattern: '^[a-z0-9]+(-[a-z0-9]+)*$' });
      const pattern = new RegExp(t.toJSON().Parameters[name].AllowedPattern as string);
      expect(pattern.test('a-b')).toBe(true);
      expect(pattern.test('a--b')).toBe(false);
    }
    t.hasParameter('Env', { MaxLength: 16 });
    t.hasParameter('ServiceName', { MaxLength: 45 });
  });
});
