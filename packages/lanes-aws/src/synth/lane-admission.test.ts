import { admissionSettings } from '@lanes/core';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { AppLaneStack } from './app-lane-stack.js';
import type { HeaderMatchOptions } from './header-match.js';
import {
  albTrustedSources,
  checkAdmissionFits,
  type LaneAdmissionPolicy,
  laneSourceCidrs,
  TRUSTED_SOURCES_PARAMETER,
} from './lane-admission.js';

/** The default of a project that declares no admission block. */
const DEFAULT_TRUSTED = admissionSettings({ stateDir: '/tmp' }).trusted;
const policy = (over: Partial<LaneAdmissionPolicy> = {}): LaneAdmissionPolicy => ({
  trusted: DEFAULT_TRUSTED,
  trustedHops: 0,
  openLanes: ['default'],
  ...over,
});
const regex: HeaderMatchOptions = { carriers: ['tracestate', 'baggage'], mode: 'regex', ows: true };
const wildcard: HeaderMatchOptions = { ...regex, mode: 'wildcard' };

interface Condition {
  Field: string;
  SourceIpConfig?: { Values: unknown };
  'Fn::If'?: [string, Condition, unknown];
}

function headerRules(template: Template): Record<string, Condition[]> {
  const rules = template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule');
  return Object.fromEntries(
    Object.entries(rules)
      .filter(([id]) => id !== 'CanaryRule')
      .map(([id, rule]) => [id, rule.Properties.Conditions as Condition[]]),
  );
}

function laneStack(trustedSources: readonly string[] | undefined, match = regex): Template {
  const stack = new AppLaneStack(new App(), 'Lane', {
    kind: 'lane',
    match,
    inputs: { service: 'cart', env: 'dev', lane: 'gray', trustedSources },
  });
  return Template.fromStack(stack);
}

describe('the CIDRs an ALB sees', () => {
  test('the default trusts the private IPv4 ranges: loopback and IPv6 never reach an IPv4 ALB', () => {
    expect(albTrustedSources(policy())).toEqual(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']);
  });

  test('an open lane gets no condition; any other lane gets the trusted CIDRs', () => {
    const p = policy({ openLanes: ['default', 'demo'] });
    expect(laneSourceCidrs(p, 'demo')).toEqual([]);
    expect(laneSourceCidrs(p, 'gray')).toEqual(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']);
  });

  test('trustedHops has no ALB equivalent and is refused, naming the setting', () => {
    expect(() => albTrustedSources(policy({ trustedHops: 1 }))).toThrow(/admission\.trustedHops is 1.*X-Forwarded-For/);
  });

  test('a trusted set of loopback only would admit no one on AWS: refused', () => {
    expect(() => albTrustedSources(policy({ trusted: ['127.0.0.1/32', '::1/128'] }))).toThrow(
      /no IPv4 address outside loopback/,
    );
  });
});

describe('the CIDRs fit into every lane rule', () => {
  test('regex rules hold the default three ranges', () => {
    expect(() => checkAdmissionFits(policy(), regex)).not.toThrow();
  });

  test('wildcard rules of three values hold two: three are refused with the room there is', () => {
    expect(() => checkAdmissionFits(policy(), wildcard)).toThrow(/hold 2 trusted CIDRs/);
    expect(() => checkAdmissionFits(policy({ trusted: ['10.0.0.0/16'] }), wildcard)).not.toThrow();
  });

  test('four CIDRs exceed the three values of one condition even in regex mode', () => {
    const four = ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16'];
    expect(() => checkAdmissionFits(policy({ trusted: four }), regex)).toThrow(/4 values in one condition/);
  });
});

describe('the listener rules', () => {
  test('known CIDRs: every header rule gets one source-ip condition with them', () => {
    const rules = headerRules(laneStack(['10.0.0.0/16']));
    expect(Object.keys(rules).sort()).toEqual(['BaggageRule', 'TracestateRule']);
    for (const conditions of Object.values(rules)) {
      expect(conditions.map((c) => c.Field)).toEqual(['http-header', 'source-ip']);
      expect(conditions[1]?.SourceIpConfig).toEqual({ Values: ['10.0.0.0/16'] });
    }
  });

  test('an open lane (no CIDRs): header conditions only', () => {
    for (const conditions of Object.values(headerRules(laneStack([])))) {
      expect(conditions.map((c) => c.Field)).toEqual(['http-header']);
    }
  });

  test('the generic template: the condition comes from the parameter, left out while it is empty', () => {
    const template = laneStack(undefined);
    template.hasParameter(TRUSTED_SOURCES_PARAMETER, { Type: 'CommaDelimitedList', Default: '' });
    for (const conditions of Object.values(headerRules(template))) {
      const [, source] = conditions;
      const [condition, then, otherwise] = source?.['Fn::If'] ?? [];
      expect(condition).toBe('HasTrustedSources');
      expect(then).toEqual({ Field: 'source-ip', SourceIpConfig: { Values: { Ref: TRUSTED_SOURCES_PARAMETER } } });
      expect(otherwise).toEqual({ Ref: 'AWS::NoValue' });
    }
  });
});
