// Plausible physical ids and ARNs for each resource type of the layer templates (iam-check's sample deployment),
// in the formats the Service Authorization Reference gives.

import { createHash } from 'node:crypto';

/** A stable hex digest of `seed`, for physical ids and generated-name suffixes. */
export const hex = (seed: string, length: number) => createHash('sha256').update(seed).digest('hex').slice(0, length);

export interface Physical {
  ref: string;
  attrs: Record<string, string>;
  arns: string[];
}

/** Makes the physical id, attributes and ARNs of one resource from its logical id, stack and properties. */
export type Generator = (r: {
  logicalId: string;
  stackName: string;
  prop: (name: string) => unknown;
  arn: (service: string, resource: string, region?: boolean) => string;
  id: (prefix: string) => string;
  generatedName: (max: number) => string;
  /** An ARN without region and account (S3 buckets, Route 53 zones). */
  global: (service: string, resource: string) => string;
}) => Physical;

/** A generator per resource type the layer templates use: a new type in a template needs one here. */
export const GENERATORS: Record<string, Generator> = {
  'AWS::EC2::VPC': ({ id, arn }) => one(id('vpc'), (ref) => arn('ec2', `vpc/${ref}`)),
  'AWS::EC2::Subnet': ({ id, arn }) => one(id('subnet'), (ref) => arn('ec2', `subnet/${ref}`)),
  'AWS::EC2::InternetGateway': ({ id, arn }) => one(id('igw'), (ref) => arn('ec2', `internet-gateway/${ref}`)),
  'AWS::EC2::RouteTable': ({ id, arn }) => one(id('rtb'), (ref) => arn('ec2', `route-table/${ref}`)),
  'AWS::EC2::NatGateway': ({ id, arn }) => one(id('nat'), (ref) => arn('ec2', `natgateway/${ref}`)),
  'AWS::EC2::SecurityGroup': ({ id, arn }) => {
    const sg = id('sg');
    return { ref: sg, attrs: { GroupId: sg }, arns: [arn('ec2', `security-group/${sg}`)] };
  },
  'AWS::EC2::EIP': ({ id, arn }) => {
    const allocation = id('eipalloc');
    return { ref: '198.51.100.7', attrs: { AllocationId: allocation }, arns: [arn('ec2', `elastic-ip/${allocation}`)] };
  },
  'AWS::EC2::VPCGatewayAttachment': ({ id }) => ({ ref: id('igw-attach'), attrs: {}, arns: [] }),
  'AWS::EC2::Route': ({ id }) => ({ ref: id('r'), attrs: {}, arns: [] }),
  'AWS::EC2::SubnetRouteTableAssociation': ({ id }) => ({ ref: id('rtbassoc'), attrs: {}, arns: [] }),
  'AWS::EC2::SecurityGroupIngress': ({ id }) => ({ ref: id('sgr'), attrs: {}, arns: [] }),
  'AWS::EC2::SecurityGroupEgress': ({ id }) => ({ ref: id('sgr'), attrs: {}, arns: [] }),
  'AWS::ECS::Cluster': ({ prop, generatedName, arn }) => {
    const name = String(prop('ClusterName') ?? generatedName(255));
    const clusterArn = arn('ecs', `cluster/${name}`);
    return { ref: name, attrs: { Arn: clusterArn }, arns: [clusterArn] };
  },
  'AWS::ECS::TaskDefinition': ({ prop, generatedName, arn }) => {
    const taskArn = arn('ecs', `task-definition/${String(prop('Family') ?? generatedName(255))}:1`);
    return { ref: taskArn, attrs: { TaskDefinitionArn: taskArn }, arns: [taskArn] };
  },
  'AWS::ECS::Service': ({ prop, generatedName, arn, id }) => {
    const cluster = String(prop('Cluster') ?? 'default').replace(/^arn:.*:cluster\//, '');
    const name = String(prop('ServiceName') ?? generatedName(255));
    const serviceArn = arn('ecs', `service/${cluster}/${name}`);
    return {
      ref: serviceArn,
      attrs: { Name: name, ServiceArn: serviceArn },
      arns: [serviceArn, arn('ecs', `service-deployment/${cluster}/${name}/${id('d').slice(2)}`)],
    };
  },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': ({ generatedName, arn, logicalId, stackName }) => {
    const full = `app/${generatedName(32)}/${hex(`${stackName}/${logicalId}`, 16)}`;
    const lbArn = arn('elasticloadbalancing', `loadbalancer/${full}`);
    return {
      ref: lbArn,
      attrs: { LoadBalancerFullName: full, DNSName: `${full.split('/')[1]}.elb.example`, LoadBalancerArn: lbArn },
      arns: [lbArn],
    };
  },
  'AWS::ElasticLoadBalancingV2::Listener': ({ prop, arn, logicalId, stackName }) => {
    const lb = String(prop('LoadBalancerArn')).replace(/^.*:loadbalancer\//, '');
    const listenerArn = arn('elasticloadbalancing', `listener/${lb}/${hex(`${stackName}/${logicalId}`, 16)}`);
    return { ref: listenerArn, attrs: { ListenerArn: listenerArn }, arns: [listenerArn] };
  },
  'AWS::ElasticLoadBalancingV2::ListenerRule': ({ prop, arn, logicalId, stackName }) => {
    const listener = String(prop('ListenerArn')).replace(/^.*:listener\//, '');
    const ruleArn = arn('elasticloadbalancing', `listener-rule/${listener}/${hex(`${stackName}/${logicalId}`, 16)}`);
    return { ref: ruleArn, attrs: { RuleArn: ruleArn }, arns: [ruleArn] };
  },
  'AWS::ElasticLoadBalancingV2::TargetGroup': ({ prop, generatedName, arn, logicalId, stackName }) => {
    const name = String(prop('Name') ?? generatedName(32));
    const full = `targetgroup/${name}/${hex(`${stackName}/${logicalId}`, 16)}`;
    const tgArn = arn('elasticloadbalancing', full);
    return {
      ref: tgArn,
      attrs: { TargetGroupFullName: full, TargetGroupName: name, TargetGroupArn: tgArn },
      arns: [tgArn],
    };
  },
  'AWS::Logs::LogGroup': ({ prop, generatedName, arn }) => {
    const name = String(prop('LogGroupName') ?? generatedName(512));
    return {
      ref: name,
      attrs: { Arn: `${arn('logs', `log-group:${name}`)}:*` },
      arns: [arn('logs', `log-group:${name}`)],
    };
  },
  'AWS::ServiceDiscovery::PrivateDnsNamespace': ({ id, arn, global }) => {
    const ns = id('ns');
    const zone = `Z${hex(ns, 12).toUpperCase()}`;
    const nsArn = arn('servicediscovery', `namespace/${ns}`);
    return {
      ref: ns,
      attrs: { Id: ns, Arn: nsArn, HostedZoneId: zone },
      arns: [nsArn, global('route53', `hostedzone/${zone}`)],
    };
  },
  'AWS::ServiceDiscovery::Service': ({ id, arn, prop }) => {
    const srv = id('srv');
    const srvArn = arn('servicediscovery', `service/${srv}`);
    return { ref: srv, attrs: { Id: srv, Arn: srvArn, Name: String(prop('Name') ?? srv) }, arns: [srvArn] };
  },
  'AWS::ECR::Repository': ({ prop, generatedName, arn, id }) => {
    const name = String(prop('RepositoryName') ?? generatedName(256).toLowerCase());
    const repoArn = arn('ecr', `repository/${name}`);
    return {
      ref: name,
      attrs: { Arn: repoArn, RepositoryUri: `${id('acct')}.dkr.ecr.example/${name}` },
      arns: [repoArn],
    };
  },
  'AWS::IAM::Role': ({ prop, generatedName, arn }) => {
    const name = String(prop('RoleName') ?? generatedName(64));
    const roleArn = arn('iam', `role${String(prop('Path') ?? '/')}${name}`, false);
    return { ref: name, attrs: { Arn: roleArn, RoleId: `AROA${hex(name, 16).toUpperCase()}` }, arns: [roleArn] };
  },
  'AWS::S3::Bucket': ({ prop, generatedName, global }) => {
    const name = String(prop('BucketName') ?? generatedName(63).toLowerCase());
    const bucketArn = global('s3', name);
    return { ref: name, attrs: { Arn: bucketArn }, arns: [bucketArn] };
  },
  'AWS::S3::BucketPolicy': ({ id }) => ({ ref: id('policy'), attrs: {}, arns: [] }),
  'AWS::KMS::Key': ({ id, arn }) => {
    const key = id('key').slice(4);
    return { ref: key, attrs: { Arn: arn('kms', `key/${key}`), KeyId: key }, arns: [arn('kms', `key/${key}`)] };
  },
  'AWS::CodeBuild::Project': ({ prop, generatedName, arn }) => {
    const name = String(prop('Name') ?? generatedName(150));
    return {
      ref: name,
      attrs: { Arn: arn('codebuild', `project/${name}`) },
      arns: [arn('codebuild', `project/${name}`)],
    };
  },
  'AWS::CodePipeline::Pipeline': ({ prop, generatedName, arn }) => {
    const name = String(prop('Name') ?? generatedName(100));
    return { ref: name, attrs: {}, arns: [arn('codepipeline', name)] };
  },
  'AWS::CloudWatch::Alarm': ({ prop, generatedName, arn }) => {
    const name = String(prop('AlarmName') ?? generatedName(255));
    const alarmArn = arn('cloudwatch', `alarm:${name}`);
    return { ref: name, attrs: { Arn: alarmArn }, arns: [alarmArn] };
  },
};

function one(ref: string, arnOf: (ref: string) => string): Physical {
  return { ref, attrs: {}, arns: [arnOf(ref)] };
}
