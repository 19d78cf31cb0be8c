import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { DEFAULT_SSL_POLICY, HTTPS_PORT } from './boot-listeners.js';
import { BOOT_STACK_POLICY, BootStack } from './boot-stack.js';

type Json = unknown;
type Resource = { Type: string; Condition?: string; Properties?: Record<string, Json> };
type Output = { Value: Json; Condition?: string };

const NO_VALUE = Symbol('AWS::NoValue');

/** The template as CloudFormation would see it with the conditions given: Fn::If decided, false resources gone. */
function variant(template: Record<string, Json>, conditions: Record<string, boolean>) {
  const resolve = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(resolve).filter((v) => v !== NO_VALUE);
    if (node === null || typeof node !== 'object') return node;
    const obj = node as Record<string, Json>;
    if ('Fn::If' in obj) {
      const [name, yes, no] = obj['Fn::If'] as [string, Json, Json];
      if (!(name in conditions)) throw new Error(`condition ${name} not given`);
      return resolve(conditions[name] ? yes : no);
    }
    if (obj.Ref === 'AWS::NoValue') return NO_VALUE;
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolve(v)]));
  };
  const keep = <T extends { Condition?: string }>(entries: Record<string, T>) =>
    Object.fromEntries(
      Object.entries(entries)
        .filter(([, e]) => e.Condition === undefined || conditions[e.Condition])
        .map(([id, e]) => [id, resolve(e) as T]),
    );
  return {
    resources: keep(template.Resources as Record<string, Resource>),
    outputs: keep(template.Outputs as Record<string, Output>),
  };
}

const template = Template.fromStack(new BootStack(new App(), 'Boot')).toJSON();
const listenersOf = (resources: Record<string, Resource>) =>
  Object.fromEntries(Object.entries(resources).filter(([, r]) => r.Type === 'AWS::ElasticLoadBalancingV2::Listener'));
const ingressOf = (resources: Record<string, Resource>) =>
  resources.LoadBalancerSecurityGroup?.Properties?.SecurityGroupIngress as { FromPort: Json }[];
const forwardDefault = [{ Type: 'forward', TargetGroupArn: { Ref: 'DefaultTargetGroup' } }];

describe('boot stack listeners', () => {
  test('CertificateArn: optional ACM certificate parameter, empty by default; HasCertificate hangs on it', () => {
    const parameter = (template.Parameters as Record<string, { Default: string; AllowedPattern: string }>)
      .CertificateArn;
    expect(parameter?.Default).toBe('');
    const pattern = new RegExp(parameter?.AllowedPattern ?? '$^');
    expect(pattern.test('')).toBe(true);
    expect(pattern.test('arn:aws:acm:eu-west-1:123456789012:certificate/1a2b3c4d-0000-1111-2222-333344445555')).toBe(
      true,
    );
    expect(pattern.test('arn:aws:iam::123456789012:server-certificate/x')).toBe(false);
    expect(template.Conditions).toMatchObject({
      HasCertificate: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'CertificateArn' }, ''] }] },
    });
    expect(template.Parameters).toMatchObject({ SslPolicy: { Default: DEFAULT_SSL_POLICY } });
    expect(DEFAULT_SSL_POLICY).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
  });

  test('without a certificate: one HTTP listener that forwards and holds the lane rules (today)', () => {
    const { resources, outputs } = variant(template, { HasCertificate: false, IsInternal: false });
    const listeners = listenersOf(resources);
    expect(Object.keys(listeners)).toEqual(['HttpListener']);
    expect(listeners.HttpListener?.Properties).toMatchObject({
      Protocol: 'HTTP',
      Port: { Ref: 'ListenerPort' },
      DefaultActions: forwardDefault,
    });
    expect(outputs.ListenerArn?.Value).toEqual({ Ref: 'HttpListener' });
    expect(outputs.HttpListenerArn?.Value).toEqual({ Ref: 'HttpListener' });
    expect(ingressOf(resources).map((r) => r.FromPort)).toEqual([{ Ref: 'ListenerPort' }]);
  });

  test('with a certificate: HTTPS on 443 forwards and holds the rules; HTTP redirects to it with a 301', () => {
    const { resources, outputs } = variant(template, { HasCertificate: true, IsInternal: false });
    const listeners = listenersOf(resources);
    expect(Object.keys(listeners).sort()).toEqual(['HttpListener', 'HttpsListener']);
    expect(listeners.HttpsListener?.Properties).toEqual({
      LoadBalancerArn: { Ref: 'LoadBalancer' },
      Port: HTTPS_PORT,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: { Ref: 'CertificateArn' } }],
      SslPolicy: { Ref: 'SslPolicy' },
      DefaultActions: forwardDefault,
    });
    expect(listeners.HttpListener?.Properties?.DefaultActions).toEqual([
      {
        Type: 'redirect',
        RedirectConfig: {
          Protocol: 'HTTPS',
          Port: '443',
          Host: '#{host}',
          Path: '/#{path}',
          Query: '#{query}',
          StatusCode: 'HTTP_301',
        },
      },
    ]);
    // The lane rules follow ListenerArn to HTTPS; HttpListenerArn keeps naming the HTTP listener.
    expect(outputs.ListenerArn?.Value).toEqual({ Ref: 'HttpsListener' });
    expect(outputs.HttpListenerArn?.Value).toEqual({ Ref: 'HttpListener' });
    expect(ingressOf(resources).map((r) => r.FromPort)).toEqual([{ Ref: 'ListenerPort' }, HTTPS_PORT]);
  });

  test('the stack policy refuses updates to both listeners and to certificates', () => {
    const denied = BOOT_STACK_POLICY.Statement.filter((s) => s.Effect === 'Deny').map((s) => s.Resource);
    expect(denied).toEqual(
      expect.arrayContaining(['LogicalResourceId/HttpListener', 'LogicalResourceId/HttpsListener']),
    );
    const byType = BOOT_STACK_POLICY.Statement.find((s) => s.Condition)?.Condition?.StringEquals.ResourceType;
    expect(byType).toContain('AWS::ElasticLoadBalancingV2::ListenerCertificate');
    // Every denied logical id exists in the template, so the policy cannot silently protect nothing.
    for (const resource of denied) {
      if (resource === '*') continue;
      expect(Object.keys(template.Resources as object)).toContain(resource.replace('LogicalResourceId/', ''));
    }
  });
});
