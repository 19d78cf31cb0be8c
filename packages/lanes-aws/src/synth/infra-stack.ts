import { AWS_NAME_FORMS } from '@lanes/core';
import {
  CfnCondition,
  CfnOutput,
  CfnParameter,
  aws_ec2 as ec2,
  aws_ecs as ecs,
  Fn,
  Stack,
  aws_servicediscovery as sd,
  Validations,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type InfraExport, infraExportName } from './exports.js';
import { suppress } from './nag.js';
import { ENV_PARAMETER, templateStackProps } from './stack-props.js';
import { templateBucket } from './template-bucket.js';

/** Resource types the infra stack policy keeps from deletion and replacement. */
export const INFRA_NETWORK_TYPES = [
  'AWS::EC2::VPC',
  'AWS::EC2::Subnet',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::VPCGatewayAttachment',
  'AWS::EC2::NatGateway',
  'AWS::EC2::EIP',
  'AWS::EC2::RouteTable',
  'AWS::EC2::Route',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::ServiceDiscovery::PrivateDnsNamespace',
] as const;

/** `NatGateways`: one NAT gateway for the env (today's cost), or one per AZ (no single-AZ egress failure). */
export const NAT_GATEWAY_MODES = ['one', 'per-az'] as const;

/** The infra stack policy: the network can be updated in place but never deleted or replaced. */
export const INFRA_STACK_POLICY = {
  Statement: [
    { Effect: 'Allow', Action: 'Update:*', Principal: '*', Resource: '*' },
    {
      Effect: 'Deny',
      Action: ['Update:Replace', 'Update:Delete'],
      Principal: '*',
      Resource: '*',
      Condition: { StringEquals: { ResourceType: [...INFRA_NETWORK_TYPES] } },
    },
  ],
};

/**
 * The env's shared layer, stack `infra-environment-{env}`: a new VPC with two public and two private subnets and a
 * NAT gateway, or one per AZ with `NatGateways=per-az` (`CreateNetwork=true`), or the given VPC and subnets wrapped (`CreateNetwork=false`); the ECS cluster
 * with Container Insights (the lane alarms read its RunningTaskCount); the Cloud Map namespace; the bucket for
 * templates too large to send inline.
 */
export class InfraStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id, templateStackProps('Lanes infra layer: network, ECS cluster, Cloud Map namespace (one per env)'));
    const env = new CfnParameter(this, 'Env', ENV_PARAMETER).valueAsString;
    const createNetwork = new CfnParameter(this, 'CreateNetwork', {
      type: 'String',
      default: 'true',
      allowedValues: ['true', 'false'],
      description: 'true: create a VPC; false: wrap ExistingVpcId and its subnets',
    });
    const vpcCidr = new CfnParameter(this, 'VpcCidr', { type: 'String', default: '10.0.0.0/16' });
    const subnetBits = new CfnParameter(this, 'SubnetCidrBits', {
      type: 'Number',
      default: 12,
      description: 'Host bits of each subnet (12: a /20 in a /16 VPC)',
    });
    const existingVpc = new CfnParameter(this, 'ExistingVpcId', { type: 'String', default: '' });
    const existingPublic = new CfnParameter(this, 'ExistingPublicSubnetIds', {
      type: 'CommaDelimitedList',
      default: '',
    });
    const existingPrivate = new CfnParameter(this, 'ExistingPrivateSubnetIds', {
      type: 'CommaDelimitedList',
      default: '',
    });
    const natGateways = new CfnParameter(this, 'NatGateways', {
      type: 'String',
      default: 'one',
      allowedValues: [...NAT_GATEWAY_MODES],
      description:
        'one: a NAT gateway in the first AZ for both private subnets (cheaper; egress stops if that AZ fails); per-az: one in each AZ',
    });
    const create = new CfnCondition(this, 'CreateNetworkCond', {
      expression: Fn.conditionEquals(createNetwork.valueAsString, 'true'),
    });
    const perAz = new CfnCondition(this, 'NatPerAzCond', {
      expression: Fn.conditionAnd(create, Fn.conditionEquals(natGateways.valueAsString, 'per-az')),
    });

    const vpc = new ec2.CfnVPC(this, 'Vpc', {
      cidrBlock: vpcCidr.valueAsString,
      enableDnsHostnames: true,
      enableDnsSupport: true,
    });
    suppress(
      vpc,
      'AwsSolutions-VPC7',
      'Flow logs cost per GB and most accounts collect them centrally (organization-wide); add one here if yours does not.',
    );
    const igw = new ec2.CfnInternetGateway(this, 'InternetGateway', {});
    const attach = new ec2.CfnVPCGatewayAttachment(this, 'GatewayAttachment', {
      vpcId: vpc.ref,
      internetGatewayId: igw.ref,
    });
    const cidrs = Fn.cidr(vpcCidr.valueAsString, 4, subnetBits.valueAsString);
    const subnet = (name: string, index: number, az: number) =>
      new ec2.CfnSubnet(this, name, {
        vpcId: vpc.ref,
        availabilityZone: Fn.select(az, Fn.getAzs('')),
        cidrBlock: Fn.select(index, cidrs),
        mapPublicIpOnLaunch: false,
      });
    const public1 = subnet('PublicSubnet1', 0, 0);
    const public2 = subnet('PublicSubnet2', 1, 1);
    const private1 = subnet('PrivateSubnet1', 2, 0);
    const private2 = subnet('PrivateSubnet2', 3, 1);
    const publicRoutes = new ec2.CfnRouteTable(this, 'PublicRouteTable', { vpcId: vpc.ref });
    const internetRoute = new ec2.CfnRoute(this, 'PublicDefaultRoute', {
      routeTableId: publicRoutes.ref,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: igw.ref,
    });
    internetRoute.addResourceDependency(attach);
    const eip = new ec2.CfnEIP(this, 'NatEip', { domain: 'vpc' });
    eip.addResourceDependency(attach);
    const nat = new ec2.CfnNatGateway(this, 'NatGateway', {
      allocationId: eip.attrAllocationId,
      subnetId: public1.ref,
    });
    const privateRoutes = new ec2.CfnRouteTable(this, 'PrivateRouteTable', { vpcId: vpc.ref });
    const natRoute = new ec2.CfnRoute(this, 'PrivateDefaultRoute', {
      routeTableId: privateRoutes.ref,
      destinationCidrBlock: '0.0.0.0/0',
      natGatewayId: nat.ref,
    });
    // NatGateways=per-az: the second AZ's private subnet gets its own route table and NAT gateway. Its association
    // picks the table with Fn::If, so NatGateways=one keeps today's resources exactly (an association's RouteTableId
    // is replaced when it changes, which the stack policy refuses: choose per-az when you create the env).
    const eip2 = new ec2.CfnEIP(this, 'NatEip2', { domain: 'vpc' });
    eip2.addResourceDependency(attach);
    const nat2 = new ec2.CfnNatGateway(this, 'NatGateway2', {
      allocationId: eip2.attrAllocationId,
      subnetId: public2.ref,
    });
    const privateRoutes2 = new ec2.CfnRouteTable(this, 'PrivateRouteTable2', { vpcId: vpc.ref });
    const natRoute2 = new ec2.CfnRoute(this, 'PrivateDefaultRoute2', {
      routeTableId: privateRoutes2.ref,
      destinationCidrBlock: '0.0.0.0/0',
      natGatewayId: nat2.ref,
    });
    for (const resource of [eip2, nat2, privateRoutes2, natRoute2]) resource.cfnOptions.condition = perAz;
    const private2Routes = {
      ref: Fn.conditionIf(perAz.logicalId, privateRoutes2.ref, privateRoutes.ref).toString(),
    };
    const associations = [
      [public1, publicRoutes, 'Public1Routes'],
      [public2, publicRoutes, 'Public2Routes'],
      [private1, privateRoutes, 'Private1Routes'],
      [private2, private2Routes, 'Private2Routes'],
    ] as const;
    const network: { cfnOptions: { condition?: CfnCondition | undefined } }[] = [
      vpc,
      igw,
      attach,
      public1,
      public2,
      private1,
      private2,
      publicRoutes,
      internetRoute,
      eip,
      nat,
      privateRoutes,
      natRoute,
    ];
    for (const [subnetResource, table, name] of associations) {
      network.push(
        new ec2.CfnSubnetRouteTableAssociation(this, name, { subnetId: subnetResource.ref, routeTableId: table.ref }),
      );
    }
    for (const resource of network) resource.cfnOptions.condition = create;

    const vpcId = Fn.conditionIf(create.logicalId, vpc.ref, existingVpc.valueAsString).toString();
    const publicIds = Fn.conditionIf(
      create.logicalId,
      Fn.join(',', [public1.ref, public2.ref]),
      Fn.join(',', existingPublic.valueAsList),
    ).toString();
    const privateIds = Fn.conditionIf(
      create.logicalId,
      Fn.join(',', [private1.ref, private2.ref]),
      Fn.join(',', existingPrivate.valueAsList),
    ).toString();

    const cluster = new ecs.CfnCluster(this, 'Cluster', {
      clusterName: AWS_NAME_FORMS.ecsCluster(env),
      clusterSettings: [{ name: 'containerInsights', value: 'enabled' }],
    });
    const namespace = new sd.CfnPrivateDnsNamespace(this, 'Namespace', {
      name: AWS_NAME_FORMS.cloudMapNamespace(env),
      vpc: vpcId,
      description: `Cloud Map namespace of lanes env ${env}`,
    });

    // The env's service-to-service identity: attached to every lane's tasks, with no ingress of its own. Each boot
    // stack admits it on its service's container port only, so tasks reach each other's Cloud Map addresses and
    // nothing else in the VPC does.
    const servicesSg = new ec2.CfnSecurityGroup(this, 'ServicesSecurityGroup', {
      groupDescription: 'Lanes tasks of this env: source of service-to-service traffic (Cloud Map)',
      vpcId,
    });
    // cfn-lint checks the `Fn::If` branch for CreateNetwork=false with ExistingVpcId's empty default, which only
    // applies with CreateNetwork=true; a real ExistingVpcId is a vpc id (the namespace and boot stacks take it too).
    servicesSg.addMetadata('cfn-lint', { config: { ignore_checks: ['W1030'] } });

    const templates = templateBucket(this);

    const outputs: Record<InfraExport, string> = {
      VpcId: vpcId,
      PublicSubnetIds: publicIds,
      PrivateSubnetIds: privateIds,
      ClusterName: cluster.ref,
      ClusterArn: cluster.attrArn,
      NamespaceId: namespace.attrId,
      NamespaceName: AWS_NAME_FORMS.cloudMapNamespace(env),
      TemplateBucketName: templates.ref,
      ServicesSecurityGroupId: servicesSg.attrGroupId,
    };
    for (const [key, value] of Object.entries(outputs)) {
      new CfnOutput(this, key, { value, exportName: infraExportName(env, key as InfraExport) });
    }
    Validations.of(this).acknowledge({
      id: 'CloudFormation-Validate::W1001',
      reason:
        'The outputs read the created network only inside Fn::If on CreateNetworkCond, the condition of those resources.',
    });
  }
}
