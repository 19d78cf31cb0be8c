import { AWS_NAME_FORMS } from '@lanes/core';
import {
  CfnCondition,
  CfnOutput,
  CfnParameter,
  aws_ec2 as ec2,
  aws_ecr as ecr,
  aws_elasticloadbalancingv2 as elbv2,
  Fn,
  aws_iam as iam,
  aws_logs as logs,
  Stack,
  aws_servicediscovery as sd,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BOOT_HTTPS_LISTENER_ID, BOOT_LISTENER_ID, bootHttps, bootListeners, httpsIngress } from './boot-listeners.js';
import { type BootExport, bootExportName, bootServiceArnExportName, infraExportName } from './exports.js';
import { suppress } from './nag.js';
import { ENV_PARAMETER, SERVICE_PARAMETER, templateStackProps } from './stack-props.js';

export { BOOT_HTTPS_LISTENER_ID, BOOT_LISTENER_ID } from './boot-listeners.js';

/**
 * The boot stack policy: the listeners and any certificate are never updated by a stack update (a changed listener
 * would cut every lane's traffic). Stack policies do not stop a resource from being created, so adding a certificate
 * later creates the HTTPS listener but is refused on the HTTP listener's new redirect (see docs/aws.md).
 */
export const BOOT_STACK_POLICY = {
  Statement: [
    { Effect: 'Allow', Action: 'Update:*', Principal: '*', Resource: '*' },
    { Effect: 'Deny', Action: 'Update:*', Principal: '*', Resource: `LogicalResourceId/${BOOT_LISTENER_ID}` },
    { Effect: 'Deny', Action: 'Update:*', Principal: '*', Resource: `LogicalResourceId/${BOOT_HTTPS_LISTENER_ID}` },
    {
      Effect: 'Deny',
      Action: 'Update:*',
      Principal: '*',
      Resource: '*',
      Condition: {
        StringEquals: {
          ResourceType: ['AWS::ElasticLoadBalancingV2::ListenerCertificate', 'AWS::CertificateManager::Certificate'],
        },
      },
    },
  ],
};

/** Default deregistration delay in seconds (ALB's 300 s makes every deploy wait five minutes per old task). */
export const DEFAULT_DEREGISTRATION_DELAY = 30;

/** ALB target group attributes shared by the default and lane target groups. */
export function targetGroupAttributes(delay: string): elbv2.CfnTargetGroup.TargetGroupAttributeProperty[] {
  return [{ key: 'deregistration_delay.timeout_seconds', value: delay }];
}

/**
 * One service's access layer in one env, stack `boot-{service}--{env}`: ALB, listeners whose default action
 * forwards to the default lane's target group (HTTP, or HTTPS with HTTP redirecting when `CertificateArn` is set), log group `/ecs/{env}/{service}`, Cloud Map service, ECR repository
 * and the task roles every lane of the service shares (so app stacks create no IAM).
 */
export class BootStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id, templateStackProps('Lanes boot layer: ALB, listener, log group, Cloud Map (one per service)'));
    const service = new CfnParameter(this, 'ServiceName', SERVICE_PARAMETER).valueAsString;
    const env = new CfnParameter(this, 'Env', ENV_PARAMETER).valueAsString;
    const listenerPort = new CfnParameter(this, 'ListenerPort', { type: 'Number', default: 80 });
    const containerPort = new CfnParameter(this, 'ContainerPort', { type: 'Number', default: 8080 });
    const healthPath = new CfnParameter(this, 'HealthCheckPath', { type: 'String', default: '/healthz' });
    const delay = new CfnParameter(this, 'DeregistrationDelay', {
      type: 'Number',
      default: DEFAULT_DEREGISTRATION_DELAY,
      minValue: 0,
      maxValue: 3600,
    });
    const tgName = new CfnParameter(this, 'DefaultTargetGroupName', {
      type: 'String',
      maxLength: 32,
      description: 'awsNames(env, service, "default").targetGroup',
    });
    const scheme = new CfnParameter(this, 'Scheme', {
      type: 'String',
      default: 'internet-facing',
      allowedValues: ['internet-facing', 'internal'],
    });
    const ingressCidr = new CfnParameter(this, 'IngressCidr', { type: 'String', default: '0.0.0.0/0' });
    const retention = new CfnParameter(this, 'LogRetentionDays', { type: 'Number', default: 30 });
    const https = bootHttps(this);
    const internal = new CfnCondition(this, 'IsInternal', {
      expression: Fn.conditionEquals(scheme.valueAsString, 'internal'),
    });
    const vpcId = Fn.importValue(infraExportName(env, 'VpcId'));
    const subnets = Fn.split(
      ',',
      Fn.conditionIf(
        internal.logicalId,
        Fn.importValue(infraExportName(env, 'PrivateSubnetIds')),
        Fn.importValue(infraExportName(env, 'PublicSubnetIds')),
      ).toString(),
    );

    const albSg = new ec2.CfnSecurityGroup(this, 'LoadBalancerSecurityGroup', {
      groupDescription: 'Lanes ALB: HTTP from the allowed clients',
      vpcId,
      securityGroupIngress: [
        {
          ipProtocol: 'tcp',
          fromPort: listenerPort.valueAsNumber,
          toPort: listenerPort.valueAsNumber,
          cidrIp: ingressCidr.valueAsString,
        },
        httpsIngress(https, ingressCidr.valueAsString),
      ],
    });
    suppress(albSg, 'AwsSolutions-EC23', 'The ALB is the public entry of the service; IngressCidr narrows it.');
    // The container port only, from this service's ALB and from the env's lane tasks (calls through Cloud Map). The
    // ALB rule keeps its old form (no description), so existing stacks update without touching it.
    const containerPortFrom = (source: string) => ({
      ipProtocol: 'tcp',
      fromPort: containerPort.valueAsNumber,
      toPort: containerPort.valueAsNumber,
      sourceSecurityGroupId: source,
    });
    const serviceSg = new ec2.CfnSecurityGroup(this, 'ServiceSecurityGroup', {
      // Unchanged on purpose: a new GroupDescription replaces the group, which the lane stacks import.
      groupDescription: 'Lanes tasks: the container port from the ALB only',
      vpcId,
      securityGroupIngress: [
        containerPortFrom(albSg.attrGroupId),
        {
          ...containerPortFrom(Fn.importValue(infraExportName(env, 'ServicesSecurityGroupId'))),
          description: 'From the lane tasks of the env (Cloud Map)',
        },
      ],
    });
    const alb = new elbv2.CfnLoadBalancer(this, 'LoadBalancer', {
      type: 'application',
      scheme: scheme.valueAsString,
      subnets,
      securityGroups: [albSg.attrGroupId],
      loadBalancerAttributes: [{ key: 'routing.http.drop_invalid_header_fields.enabled', value: 'true' }],
    });
    suppress(
      alb,
      'AwsSolutions-ELB2',
      'Access logs need an S3 bucket with an ELB bucket policy per region; enable them with the bucket your account already uses for logs.',
    );
    const defaultTg = new elbv2.CfnTargetGroup(this, 'DefaultTargetGroup', {
      name: tgName.valueAsString,
      targetType: 'ip',
      protocol: 'HTTP',
      port: containerPort.valueAsNumber,
      vpcId,
      healthCheckPath: healthPath.valueAsString,
      matcher: { httpCode: '200-399' },
      targetGroupAttributes: targetGroupAttributes(delay.valueAsString),
    });
    const listeners = bootListeners(this, https, {
      loadBalancerArn: alb.ref,
      httpPort: listenerPort.valueAsNumber,
      defaultTargetGroupArn: defaultTg.ref,
    });
    const logGroup = new logs.CfnLogGroup(this, 'LogGroup', {
      logGroupName: AWS_NAME_FORMS.logGroup(env, service),
      retentionInDays: retention.valueAsNumber,
    });
    const discovery = new sd.CfnService(this, 'DiscoveryService', {
      name: AWS_NAME_FORMS.serviceCloudMapName(service),
      namespaceId: Fn.importValue(infraExportName(env, 'NamespaceId')),
      dnsConfig: { routingPolicy: 'MULTIVALUE', dnsRecords: [{ type: 'A', ttl: 10 }] },
      healthCheckCustomConfig: { failureThreshold: 1 },
    });
    const repository = new ecr.CfnRepository(this, 'Repository', {
      repositoryName: AWS_NAME_FORMS.repository(env, service),
      imageScanningConfiguration: { scanOnPush: true },
      imageTagMutability: 'IMMUTABLE',
    });

    const rolePath = `/lanes/${env}/`;
    const tasksTrust = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    };
    const executionRole = new iam.CfnRole(this, 'TaskExecutionRole', {
      path: rolePath,
      assumeRolePolicyDocument: tasksTrust,
      policies: [
        {
          policyName: 'pull-and-log',
          policyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
                Resource: repository.attrArn,
              },
              { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
              {
                Effect: 'Allow',
                Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: `${logGroup.attrArn}`,
              },
            ],
          },
        },
      ],
    });
    suppress(executionRole, 'AwsSolutions-IAM5', 'ecr:GetAuthorizationToken has no resource-level permissions.', [
      'Resource::*',
    ]);
    const taskRole = new iam.CfnRole(this, 'TaskRole', {
      path: rolePath,
      assumeRolePolicyDocument: tasksTrust,
      description: 'The containers of every lane of the service; attach what the application needs',
    });

    const outputs: Record<BootExport, string> = {
      LoadBalancerArn: alb.ref,
      LoadBalancerFullName: alb.attrLoadBalancerFullName,
      LoadBalancerDnsName: alb.attrDnsName,
      HttpListenerArn: listeners.http.ref,
      ListenerArn: listeners.routingArn,
      LogGroupName: logGroup.ref,
      DefaultTargetGroupArn: defaultTg.ref,
      DefaultTargetGroupFullName: defaultTg.attrTargetGroupFullName,
      ServiceSecurityGroupId: serviceSg.attrGroupId,
      TaskExecutionRoleArn: executionRole.attrArn,
      TaskRoleArn: taskRole.attrArn,
      RepositoryUri: repository.attrRepositoryUri,
      RepositoryArn: repository.attrArn,
    };
    for (const [key, value] of Object.entries(outputs)) {
      new CfnOutput(this, key, { value, exportName: bootExportName(service, env, key as BootExport) });
    }
    new CfnOutput(this, 'ServiceArn', { value: discovery.attrArn, exportName: bootServiceArnExportName(service, env) });
  }
}
