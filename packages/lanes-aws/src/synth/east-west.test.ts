import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { AppLaneStack } from './app-lane-stack.js';
import { BootStack } from './boot-stack.js';
import { InfraStack } from './infra-stack.js';

/**
 * Who can open a TCP connection to whom, read from the synthesized templates of one env deployed as a user would:
 * the infra stack, the boot stacks of `cart` (port 8080) and `shop` (port 9090), and one lane of each. Security
 * group ids are stand-ins (`{stack}:{logicalId}.GroupId`); imports resolve through the stacks' exports, so a value
 * that is not exported fails the test as it would fail the deploy.
 */

type Json = Record<string, unknown>;
interface Deployed {
  name: string;
  template: Json;
  params: Record<string, string>;
}

function deployed(name: string, stack: Stack, params: Record<string, string>): Deployed {
  return { name, template: Template.fromStack(stack).toJSON() as Json, params };
}

const resourcesOf = (d: Deployed) => (d.template.Resources ?? {}) as Record<string, { Type: string; Properties: Json }>;

function resolver(stacks: Deployed[]) {
  const exports = new Map<string, { stack: Deployed; value: unknown }>();
  const resolve = (d: Deployed, value: unknown): string => {
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    const [fn, arg] = Object.entries(value as Json)[0] ?? [];
    if (fn === 'Ref') {
      const name = arg as string;
      if (name in d.params) return d.params[name] as string;
      const parameter = (d.template.Parameters as Record<string, { Default?: unknown }> | undefined)?.[name];
      if (parameter?.Default !== undefined) return String(parameter.Default);
      if (name in resourcesOf(d)) return `${d.name}:${name}`;
      throw new Error(`${d.name}: no value for Ref ${name}`);
    }
    if (fn === 'Fn::GetAtt') return `${d.name}:${(arg as string[]).join('.')}`;
    if (fn === 'Fn::Join') {
      const [sep, parts] = arg as [string, unknown[]];
      return parts.map((p) => resolve(d, p)).join(sep);
    }
    if (fn === 'Fn::ImportValue') {
      const name = resolve(d, arg);
      const found = exports.get(name);
      if (!found) throw new Error(`${d.name} imports ${name}, which no stack exports`);
      return resolve(found.stack, found.value);
    }
    throw new Error(`${d.name}: ${fn} is not modelled`);
  };
  for (const stack of stacks) {
    for (const output of Object.values((stack.template.Outputs ?? {}) as Record<string, Json>)) {
      const name = (output.Export as Json | undefined)?.Name;
      if (name !== undefined) exports.set(resolve(stack, name), { stack, value: output.Value });
    }
  }
  return resolve;
}

interface Ingress {
  from: number;
  to: number;
  protocol: string;
  sourceGroup?: string | undefined;
  cidr?: string | undefined;
}

/** A rule under `Fn::If` counts with both branches (over-approximates who can connect, never under). */
function branches(rule: Json): Json[] {
  const conditional = rule['Fn::If'] as [string, Json, Json] | undefined;
  if (!conditional) return [rule];
  return conditional.slice(1).filter((b) => (b as Json).Ref !== 'AWS::NoValue') as Json[];
}

function network(stacks: Deployed[]) {
  const resolve = resolver(stacks);
  const ingress = new Map<string, Ingress[]>();
  const members = new Map<string, string[]>();
  for (const d of stacks) {
    for (const [id, r] of Object.entries(resourcesOf(d))) {
      if (r.Type === 'AWS::EC2::SecurityGroup') {
        const rules = ((r.Properties.SecurityGroupIngress ?? []) as Json[]).flatMap(branches).map((rule) => ({
          protocol: String(rule.IpProtocol),
          from: Number(resolve(d, rule.FromPort)),
          to: Number(resolve(d, rule.ToPort)),
          sourceGroup: rule.SourceSecurityGroupId === undefined ? undefined : resolve(d, rule.SourceSecurityGroupId),
          cidr: rule.CidrIp === undefined ? undefined : resolve(d, rule.CidrIp),
        }));
        ingress.set(`${d.name}:${id}.GroupId`, rules);
      }
      expect(r.Type, 'standalone ingress rules are not modelled here').not.toBe('AWS::EC2::SecurityGroupIngress');
      const groups =
        r.Type === 'AWS::ECS::Service'
          ? ((r.Properties.NetworkConfiguration as Json).AwsvpcConfiguration as Json).SecurityGroups
          : r.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer'
            ? r.Properties.SecurityGroups
            : undefined;
      if (groups)
        members.set(
          `${d.name}:${id}`,
          (groups as unknown[]).map((g) => resolve(d, g)),
        );
    }
  }
  const groupsOf = (member: string) => members.get(member) ?? [];
  /** Whether a member (ECS service's task, ALB) may connect to a task of `target` on `port`. */
  const canReach = (source: string, target: string, port: number) =>
    groupsOf(target).some((group) =>
      (ingress.get(group) ?? []).some(
        (rule) =>
          rule.protocol === 'tcp' &&
          rule.from <= port &&
          port <= rule.to &&
          rule.sourceGroup !== undefined &&
          groupsOf(source).includes(rule.sourceGroup),
      ),
    );
  return { canReach, groupsOf, members, ingress };
}

const env = { Env: 'dev' };
const stacks = [
  deployed('infra', new InfraStack(new App(), 'Infra'), env),
  deployed('boot-cart', new BootStack(new App(), 'Boot'), { ...env, ServiceName: 'cart', ContainerPort: '8080' }),
  deployed('boot-shop', new BootStack(new App(), 'Boot'), { ...env, ServiceName: 'shop', ContainerPort: '9090' }),
  deployed(
    'cart-gray',
    new AppLaneStack(new App(), 'Lane', { kind: 'lane', match: { carriers: ['tracestate'], ows: false } }),
    { ...env, ServiceName: 'cart', Lane: 'gray', ContainerPort: '8080' },
  ),
  deployed(
    'shop-default',
    new AppLaneStack(new App(), 'Default', { kind: 'default', match: { carriers: ['tracestate'], ows: false } }),
    { ...env, ServiceName: 'shop', ContainerPort: '9090' },
  ),
];
const net = network(stacks);
const cartTask = 'cart-gray:Service';
const shopTask = 'shop-default:Service';
const cartAlb = 'boot-cart:LoadBalancer';
const shopAlb = 'boot-shop:LoadBalancer';

describe('east-west traffic between the services of one env', () => {
  test("a task of one service reaches another service's tasks on its container port, both ways", () => {
    expect(net.canReach(cartTask, shopTask, 9090)).toBe(true);
    expect(net.canReach(shopTask, cartTask, 8080)).toBe(true);
  });

  test('each ALB still reaches its own service', () => {
    expect(net.canReach(shopAlb, shopTask, 9090)).toBe(true);
    expect(net.canReach(cartAlb, cartTask, 8080)).toBe(true);
  });

  test('nothing else: other ports, other ALBs, CIDR sources, other members of the env group', () => {
    expect(net.canReach(cartTask, shopTask, 8080)).toBe(false);
    expect(net.canReach(cartTask, shopTask, 22)).toBe(false);
    expect(net.canReach(cartAlb, shopTask, 9090)).toBe(false);
    for (const task of [cartTask, shopTask]) {
      for (const group of net.groupsOf(task)) {
        expect(net.ingress.get(group)?.every((rule) => rule.cidr === undefined && rule.from === rule.to)).toBe(true);
      }
    }
    // The env group is held by lane tasks only (no ALB, nothing else in the templates).
    const envGroup = 'infra:ServicesSecurityGroup.GroupId';
    const holders = [...net.members].filter(([, groups]) => groups.includes(envGroup)).map(([member]) => member);
    expect(holders.sort()).toEqual([cartTask, shopTask]);
    expect(net.ingress.get(envGroup)).toEqual([]);
  });

  test('existing boot stacks update the service group in place (no replacement, ALB rule untouched)', () => {
    const boot = stacks.find((d) => d.name === 'boot-cart');
    const group = boot ? resourcesOf(boot).ServiceSecurityGroup?.Properties : undefined;
    // GroupDescription change means replacement, and the lane stacks import the group.
    expect(group?.GroupDescription).toBe('Lanes tasks: the container port from the ALB only');
    const [albRule] = (group?.SecurityGroupIngress ?? []) as Json[];
    expect(albRule).toEqual({
      IpProtocol: 'tcp',
      FromPort: { Ref: 'ContainerPort' },
      ToPort: { Ref: 'ContainerPort' },
      SourceSecurityGroupId: { 'Fn::GetAtt': ['LoadBalancerSecurityGroup', 'GroupId'] },
    });
  });
});
