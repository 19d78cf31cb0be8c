import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { InfraStack } from './infra-stack.js';

type Json = Record<string, unknown>;
interface Resource {
  Type: string;
  Condition?: string;
  Properties: Json;
}

const template = Template.fromStack(new InfraStack(new App(), 'Infra')).toJSON() as {
  Parameters: Record<string, { Default?: string }>;
  Conditions: Record<string, unknown>;
  Resources: Record<string, Resource>;
};

/**
 * The network CloudFormation would create for these parameters: which resources exist (conditions evaluated) and,
 * for each private subnet, the AZ index of the NAT gateway its default route uses.
 */
function deploy(params: Record<string, string>) {
  const value = (name: string) => params[name] ?? template.Parameters[name]?.Default;
  const evaluate = (expr: unknown): unknown => {
    if (typeof expr !== 'object' || expr === null) return expr;
    const [fn, arg] = Object.entries(expr as Json)[0] ?? [];
    const args = arg as unknown[];
    switch (fn) {
      case 'Ref':
        return (arg as string) in template.Parameters ? value(arg as string) : { Ref: arg };
      case 'Condition':
        return evaluate(template.Conditions[arg as string]);
      case 'Fn::Equals':
        return evaluate(args[0]) === evaluate(args[1]);
      case 'Fn::Not':
        return !evaluate(args[0]);
      case 'Fn::And':
        return args.every((a) => evaluate(a) === true);
      case 'Fn::If':
        return evaluate(template.Conditions[args[0] as string]) ? evaluate(args[1]) : evaluate(args[2]);
      default:
        return expr;
    }
  };
  const exists = (r: Resource) => r.Condition === undefined || evaluate(template.Conditions[r.Condition]) === true;
  const live = Object.entries(template.Resources).filter(([, r]) => exists(r));
  const ofType = (type: string) => live.filter(([, r]) => r.Type === type);
  const refTo = (expr: unknown) => (evaluate(expr) as { Ref?: string } | undefined)?.Ref;
  const azOfSubnet = (subnet: string) => {
    const az = template.Resources[subnet]?.Properties.AvailabilityZone as { 'Fn::Select': [number, unknown] };
    return az['Fn::Select'][0];
  };
  const natAzOfPrivateSubnet = (subnet: string) => {
    const [, association] =
      ofType('AWS::EC2::SubnetRouteTableAssociation').find(([, r]) => refTo(r.Properties.SubnetId) === subnet) ?? [];
    const table = refTo(association?.Properties.RouteTableId);
    const [, route] =
      ofType('AWS::EC2::Route').find(
        ([, r]) => refTo(r.Properties.RouteTableId) === table && r.Properties.DestinationCidrBlock === '0.0.0.0/0',
      ) ?? [];
    const nat = refTo(route?.Properties.NatGatewayId);
    const natResource = live.find(([id]) => id === nat)?.[1];
    return natResource ? azOfSubnet(refTo(natResource.Properties.SubnetId) as string) : undefined;
  };
  const tableOf = (subnet: string) =>
    refTo(
      ofType('AWS::EC2::SubnetRouteTableAssociation').find(([, r]) => refTo(r.Properties.SubnetId) === subnet)?.[1]
        .Properties.RouteTableId,
    );
  return {
    tableOf,
    count: (type: string) => ofType(type).length,
    egressAz: [natAzOfPrivateSubnet('PrivateSubnet1'), natAzOfPrivateSubnet('PrivateSubnet2')],
    privateSubnetAz: [azOfSubnet('PrivateSubnet1'), azOfSubnet('PrivateSubnet2')],
  };
}

describe('NatGateways', () => {
  test('parameter: one (default, as before) or per-az', () => {
    expect(template.Parameters.NatGateways).toMatchObject({ Default: 'one', AllowedValues: ['one', 'per-az'] });
  });

  test('one: a single NAT gateway in the first AZ carries both private subnets', () => {
    const net = deploy({ CreateNetwork: 'true', NatGateways: 'one' });
    expect(net.count('AWS::EC2::NatGateway')).toBe(1);
    expect(net.count('AWS::EC2::EIP')).toBe(1);
    expect(net.count('AWS::EC2::RouteTable')).toBe(2);
    expect(net.egressAz).toEqual([0, 0]);
    // Today's layout exactly: an association whose RouteTableId changed would be replaced, which the stack policy
    // refuses on an existing env.
    expect([net.tableOf('PrivateSubnet1'), net.tableOf('PrivateSubnet2')]).toEqual([
      'PrivateRouteTable',
      'PrivateRouteTable',
    ]);
  });

  test('per-az: each private subnet leaves through a NAT gateway in its own AZ', () => {
    const net = deploy({ CreateNetwork: 'true', NatGateways: 'per-az' });
    expect(net.count('AWS::EC2::NatGateway')).toBe(2);
    expect(net.count('AWS::EC2::EIP')).toBe(2);
    expect(net.count('AWS::EC2::RouteTable')).toBe(3);
    expect(net.privateSubnetAz).toEqual([0, 1]);
    expect(net.egressAz).toEqual(net.privateSubnetAz);
  });

  test('an existing network (CreateNetwork=false) gets no NAT gateway either way', () => {
    for (const mode of ['one', 'per-az']) {
      expect(deploy({ CreateNetwork: 'false', NatGateways: mode }).count('AWS::EC2::NatGateway')).toBe(0);
    }
  });
});
