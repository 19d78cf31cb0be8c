import { LanesError, type ServiceModel } from '@lanes/core';
import { describe, expect, test } from 'vitest';
import type { HeaderMatchOptions } from './header-match.js';
import { checkServiceQuotas, maxLanesPerLoadBalancer } from './quotas.js';

const ONE: HeaderMatchOptions = { carriers: ['tracestate'], mode: 'regex', ows: true };
const BOTH: HeaderMatchOptions = { carriers: ['tracestate', 'baggage'], mode: 'regex', ows: true };
const WILDCARD: HeaderMatchOptions = { ...BOTH, mode: 'wildcard' };

function service(lanes: number, weighted = 0): ServiceModel {
  const declared = Object.fromEntries(
    Array.from({ length: lanes }, (_, i) => [
      `l${i}`,
      { run: {}, weight: i < weighted ? 10 : 0, replicas: undefined, ttlMs: undefined },
    ]),
  );
  return { name: 'cart', lanes: declared } as unknown as ServiceModel;
}

describe('lanes per ALB', () => {
  test('regex: 99 lanes on one carrier (the target group limit), 50 on both, at the default quota', () => {
    expect(maxLanesPerLoadBalancer(ONE)).toBe(99);
    expect(maxLanesPerLoadBalancer(BOTH)).toBe(50);
    expect(maxLanesPerLoadBalancer(BOTH, 200)).toBe(99);
    expect(maxLanesPerLoadBalancer(BOTH, 100, 2)).toBe(49);
  });

  test('wildcard: 5 rules per lane on both carriers, 20 lanes', () => {
    expect(maxLanesPerLoadBalancer(WILDCARD)).toBe(20);
  });

  test('checks the declared quota, counting a canary rule per weighted lane', () => {
    expect(() => checkServiceQuotas(service(90), ONE)).not.toThrow();
    expect(() => checkServiceQuotas(service(90), BOTH, 200)).not.toThrow();
    expect(() => checkServiceQuotas(service(90), BOTH)).toThrow(LanesError);
    expect(() => checkServiceQuotas(service(99, 1), ONE)).not.toThrow();
    expect(() => checkServiceQuotas(service(99, 2), ONE)).toThrow(/99 × 1 rules .* \+ 2 canary rules = 101 rules/);
    expect(() => checkServiceQuotas(service(100), ONE, 1000)).toThrow(/100 target groups per ALB/);
  });
});
