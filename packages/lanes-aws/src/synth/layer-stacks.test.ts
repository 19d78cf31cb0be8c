import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { resolve } from '../iam-check/intrinsics.js';
import { BootStack } from './boot-stack.js';
import { BOOT_EXPORTS, INFRA_EXPORTS } from './exports.js';
import { InfraStack } from './infra-stack.js';
import { APP_PIPELINE_VARIABLES } from './pipeline-kinds.js';
import { PipelineStack } from './pipeline-stack.js';
import { buildStacks, synthTemplates } from './synthesize.js';

const join = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });

describe('infra stack', () => {
  const t = Template.fromStack(new InfraStack(new App(), 'Infra'));

  test('exports infra-environment-{env}-*', () => {
    for (const key of INFRA_EXPORTS) {
      t.hasOutput(key, { Export: { Name: join('infra-environment-', { Ref: 'Env' }, `-${key}`) } });
    }
  });

  test('CreateNetwork: a new VPC, or wrap the given one', () => {
    t.hasParameter('CreateNetwork', { Default: 'true', AllowedValues: ['true', 'false'] });
    t.hasResource('AWS::EC2::VPC', { Condition: 'CreateNetworkCond' });
    t.hasResource('AWS::EC2::Subnet', { Condition: 'CreateNetworkCond' });
    t.hasOutput('VpcId', { Value: { 'Fn::If': ['CreateNetworkCond', { Ref: 'Vpc' }, { Ref: 'ExistingVpcId' }] } });
  });

  test('cluster with Container Insights, Cloud Map namespace', () => {
    t.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
    t.resourceCountIs('AWS::ServiceDiscovery::PrivateDnsNamespace', 1);
  });
});

describe('infra stack: template bucket', () => {
  const t = Template.fromStack(new InfraStack(new App(), 'Infra'));

  test('private, TLS only, objects expire, kept on stack deletion, exported for the deploy provider', () => {
    t.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: 7 }] },
      }),
    });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })],
      }),
    });
    t.hasOutput('TemplateBucketName', {
      Value: { Ref: 'TemplateBucket' },
      Export: { Name: join('infra-environment-', { Ref: 'Env' }, '-TemplateBucketName') },
    });
  });
});

describe('boot stack', () => {
  const t = Template.fromStack(new BootStack(new App(), 'Boot'));

  test('exports boot-{service}--{env}-* including the seed four', () => {
    for (const key of BOOT_EXPORTS) {
      t.hasOutput(key, {
        Export: { Name: join('boot-', { Ref: 'ServiceName' }, '--', { Ref: 'Env' }, `-${key}`) },
      });
    }
    t.hasOutput('ServiceArn', {
      Export: {
        Name: join('boot-', { Ref: 'ServiceName' }, '--', { Ref: 'Env' }, '-', { Ref: 'ServiceName' }, '-service-arn'),
      },
    });
    expect(BOOT_EXPORTS).toEqual(expect.arrayContaining(['LoadBalancerArn', 'HttpListenerArn', 'LogGroupName']));
  });

  test('ALB, HTTP listener forwarding (no certificate) to the default target group, log group /ecs/{env}/{service}', () => {
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'application' });
    // Without a certificate (the default) it forwards; boot-listeners.test.ts covers both variants.
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTP',
      DefaultActions: {
        'Fn::If': [
          'HasCertificate',
          Match.anyValue(),
          [{ Type: 'forward', TargetGroupArn: { Ref: 'DefaultTargetGroup' } }],
        ],
      },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: join('/ecs/', { Ref: 'Env' }, '/', { Ref: 'ServiceName' }),
    });
    t.hasResourceProperties('AWS::ServiceDiscovery::Service', { Name: { Ref: 'ServiceName' } });
    t.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: join({ Ref: 'ServiceName' }, '--', { Ref: 'Env' }),
    });
    t.hasParameter('DeregistrationDelay', { Default: 30 });
  });
});

describe('pipelines', () => {
  const app = Template.fromStack(new PipelineStack(new App(), 'AppPipeline', 'app'));
  const boot = Template.fromStack(new PipelineStack(new App(), 'BootPipeline', 'boot'));
  const infra = Template.fromStack(new PipelineStack(new App(), 'InfraPipeline', 'infra'));

  test('app pipeline: V2, PARALLEL, LANE/BRANCH, dual source, stack app-{service}--{env}--{lane}', () => {
    app.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      Name: join({ Ref: 'ServiceName' }, '--', { Ref: 'Env' }),
      PipelineType: 'V2',
      ExecutionMode: 'PARALLEL',
      Variables: [Match.objectLike({ Name: 'LANE' }), Match.objectLike({ Name: 'BRANCH' })],
      Stages: Match.arrayWith([
        Match.objectLike({
          Name: 'Source',
          Actions: [Match.objectLike({ Name: 'InfraSource' }), Match.objectLike({ Name: 'AppSource' })],
        }),
        Match.objectLike({
          Name: 'Deploy',
          Actions: Match.arrayWith([
            Match.objectLike({
              Configuration: Match.objectLike({
                ActionMode: 'CHANGE_SET_REPLACE',
                StackName: join('app-', { Ref: 'ServiceName' }, '--', { Ref: 'Env' }, '--#{variables.LANE}'),
                TemplateConfiguration: 'BuildOut::cfn-params.json',
              }),
            }),
          ]),
        }),
      ]),
    });
  });

  test('app pipeline: SERVICE and ENV are pinned in the build, so a run cannot build one service into another', () => {
    const pipeline = Object.values(app.findResources('AWS::CodePipeline::Pipeline'))[0]?.Properties;
    const names = (pipeline.Variables as { Name: string }[]).map((v) => v.Name);
    expect(names).toEqual([...APP_PIPELINE_VARIABLES]);
    expect(names).not.toContain('SERVICE');
    const build = (pipeline.Stages as { Name: string; Actions: { Configuration: Record<string, unknown> }[] }[]).find(
      (s) => s.Name === 'Build',
    )?.Actions[0]?.Configuration;
    const parameters = { ServiceName: 'cart', Env: 'dev' };
    const variables = JSON.parse(String(resolve(build?.EnvironmentVariables, { refs: parameters }))) as {
      name: string;
      value: string;
    }[];
    const value = (name: string) => variables.filter((v) => v.name === name).map((v) => v.value);
    expect(value('SERVICE')).toEqual(['cart']);
    expect(value('ENV')).toEqual(['dev']);
    expect(value('LANE')).toEqual(['#{variables.LANE}']);
    expect(variables.filter((v) => v.value.includes('#{variables.SERVICE}'))).toEqual([]);
  });

  test('boot and infra pipelines: names and variables', () => {
    boot.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      Name: join('boot-', { Ref: 'Env' }),
      Variables: [Match.objectLike({ Name: 'SERVICE' })],
      Stages: Match.arrayWith([
        Match.objectLike({
          Name: 'Deploy',
          Actions: Match.arrayWith([
            Match.objectLike({
              Configuration: Match.objectLike({ StackName: join('boot-#{variables.SERVICE}--', { Ref: 'Env' }) }),
            }),
          ]),
        }),
      ]),
    });
    infra.hasResourceProperties('AWS::CodePipeline::Pipeline', { Name: join('infra-', { Ref: 'Env' }) });
  });

  test("app pipeline role: its service's app stacks of its env allowed, boot-* and infra-environment-* denied", () => {
    // CDK merges adjacent literals, so the name's first and last parts join the ARN's.
    const stackArn = (first: string, ...rest: unknown[]) => {
      const last = rest.length > 0 ? `${String(rest.pop())}/*` : undefined;
      const head = `:stack/${first}${last === undefined ? '/*' : ''}`;
      const prefix = ['arn:', { Ref: 'AWS::Partition' }, ':cloudformation:', { Ref: 'AWS::Region' }, ':'];
      return join(...prefix, { Ref: 'AWS::AccountId' }, head, ...rest, ...(last === undefined ? [] : [last]));
    };
    app.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'codepipeline.amazonaws.com' } })],
      }),
      Policies: [
        Match.objectLike({
          PolicyDocument: Match.objectLike({
            Statement: Match.arrayWith([
              {
                Effect: 'Allow',
                Action: 'cloudformation:*',
                Resource: stackArn('app-', { Ref: 'ServiceName' }, '--', { Ref: 'Env' }, '--*'),
              },
              {
                Effect: 'Deny',
                Action: 'cloudformation:*',
                Resource: [stackArn('boot-*--*'), stackArn('infra-environment-*')],
              },
            ]),
          }),
        }),
      ],
    });
    const roles = JSON.stringify(app.findResources('AWS::IAM::Role'));
    expect(roles).not.toContain('"Action":"*"');
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  test('every stack passes; every suppression has a reason', () => {
    const { app, templates } = buildStacks({ carriers: ['tracestate', 'baggage'], ows: true });
    const rendered = synthTemplates(app, templates);
    for (const template of rendered.values()) {
      for (const resource of Object.values((template.Resources ?? {}) as Record<string, { Metadata?: unknown }>)) {
        const suppressions =
          (resource.Metadata as { cdk_nag?: { rules_to_suppress?: { reason?: string }[] } } | undefined)?.cdk_nag
            ?.rules_to_suppress ?? [];
        for (const s of suppressions) expect(s.reason?.length ?? 0).toBeGreaterThan(20);
      }
    }
  }, 60_000);
});
