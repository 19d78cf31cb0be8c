import { isValidLaneName } from '@lanes/trace-context';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LanesError } from './errors.js';
import {
  AWS_NAME_LIMITS,
  derivedNames,
  envNameProblem,
  laneNameProblem,
  MAX_ENV_LENGTH,
  maxLaneLength,
  serviceNameProblem,
} from './naming.js';

const name = (length: number, char = 'a') => char.repeat(length);

describe('laneNameProblem', () => {
  const context = { service: 'user-api', env: 'prod' };

  it.each([['gray'], ['pr-123'], ['a'], ['1'], ['a--b'], ['default'], [name(54)]])('accepts %s', (lane) => {
    expect(laneNameProblem(lane, context)).toBeUndefined();
  });

  it.each([
    ['', 'lane name is empty'],
    ['Gray', 'lane "Gray" has uppercase letters; lane names are lowercase (ALB header matching ignores case'],
    ['Gray', 'use "gray"'],
    ['gray_2', 'did you mean "gray-2"?'],
    ['pr.12', 'did you mean "pr-12"?'],
    ['-gray', 'invalid lane name "-gray": use lowercase letters, digits and "-"'],
    ['gray-', 'starting and ending with a letter or digit'],
    ['grày', 'invalid lane name'],
    ['a b', 'did you mean "a-b"?'],
  ])('refuses %j: %s', (lane, phrase) => {
    expect(laneNameProblem(lane, context)).toContain(phrase);
  });

  it('names the limit that binds, and the maximum for this service', () => {
    expect(maxLaneLength('user-api', 'prod')).toBe(54);
    expect(laneNameProblem(name(55), context)).toBe(
      `lane "${name(55)}" is 55 characters; for service "user-api" in env "prod" lanes can be at most 54 characters ` +
        'because the Cloud Map name user-api-<lane> must be a DNS label of at most 63 characters',
    );
  });

  it('caps every lane at a DNS label, however short the service', () => {
    expect(maxLaneLength('a', 'dev')).toBe(61);
    expect(laneNameProblem(name(62), { service: 'a', env: 'dev' })).toContain('at most 61 characters');
    expect(laneNameProblem(name(64), { service: 'a', env: 'dev' })).toContain('at most 61 characters');
  });

  it('explains the stack name limit when that is the one that binds', () => {
    const env = name(70, 'e'); // longer than any valid env: only to exercise the stack name rule
    expect(maxLaneLength('svc', env)).toBe(128 - `app-svc-${env}-`.length);
    expect(laneNameProblem(name(60), { service: 'svc', env })).toContain(
      `because the stack name app-svc-${env}-<lane> can have at most 128 characters`,
    );
  });
});

describe('serviceNameProblem', () => {
  it.each([['shop'], ['user-api'], ['a'], ['9lives'], [name(46)]])('accepts %s', (service) => {
    expect(serviceNameProblem(service, 'dev')).toBeUndefined();
  });

  it.each([
    ['', 'service name is empty'],
    ['Shop', 'service "Shop" has uppercase letters; service names are lowercase: use "shop"'],
    ['user_api', 'did you mean "user-api"?'],
    ['-shop', 'invalid service name'],
    ['infra', 'service name "infra" is reserved: params/infra-{env}.json is the infra layer\'s parameter file'],
    ['boot', 'reserved'],
    [name(47), `service "${name(47)}" is 47 characters; in env "dev" service names can be at most 46 characters`],
    [name(47), 'so that lane names of 16 characters still fit (the Cloud Map name'],
    [name(80), 'at most 46 characters'],
  ])('refuses %j: %s', (service, phrase) => {
    expect(serviceNameProblem(service, 'dev')).toContain(phrase);
  });
});

describe('envNameProblem', () => {
  it.each([['dev'], ['prod'], ['eu-west-1'], [name(MAX_ENV_LENGTH)]])('accepts %s', (env) => {
    expect(envNameProblem(env)).toBeUndefined();
  });

  it.each([
    ['', 'env name is empty'],
    ['Prod', 'use "prod"'],
    ['dev_1', 'did you mean "dev-1"?'],
    ['dev-', 'invalid env name'],
    [name(17), `env "${name(17)}" is 17 characters; env names can be at most 16 characters`],
  ])('refuses %j: %s', (env, phrase) => {
    expect(envNameProblem(env)).toContain(phrase);
  });
});

describe('derivedNames', () => {
  it('follows the seed for short names', () => {
    expect(derivedNames('user-api', 'dev', 'gray')).toEqual({
      stack: 'app-user-api-dev-gray',
      ecsService: 'user-api-gray',
      targetGroup: 'user-api-dev-gray',
      logGroup: '/ecs/dev/user-api',
      logStreamPrefix: 'gray',
      albHeaderValue: 'ctx=lane:gray',
      cloudMapName: 'user-api-gray',
    });
    expect(derivedNames('shop', 'dev', 'default').stack).toBe('app-shop-dev-default');
  });

  it('keeps target group names readable up to 31 characters', () => {
    const lane = name(31 - 'shop-dev-'.length);
    expect(derivedNames('shop', 'dev', lane).targetGroup).toBe(`shop-dev-${lane}`);
  });

  it('hashes target group names of 32 characters and more, to exactly 32', () => {
    const lane = name(32 - 'shop-dev-'.length);
    const group = derivedNames('shop', 'dev', lane).targetGroup;
    expect(group).toHaveLength(32);
    expect(group).toMatch(/^shop-dev-a{14}-[0-9a-f]{8}$/);
    expect(derivedNames('shop', 'dev', lane).targetGroup).toBe(group);
  });

  it('hashes with a stable, documented scheme', () => {
    const group = derivedNames('user-api', 'prod', 'feature-checkout-redesign').targetGroup;
    // First 23 characters of user-api-prod-feature-checkout-redesign, "-", sha256("user-api/prod/feature-checkout-redesign").
    expect(group).toBe('user-api-prod-feature-c-a41043a1');
  });

  it('drops hyphens at the cut so the name does not show "--"', () => {
    // `{service}-{env}-` is exactly 23 characters here: the cut ends on the hyphen before the lane.
    const service = name(12, 's');
    const group = derivedNames(service, 'envenvenv', 'pr-1234567890').targetGroup;
    expect(group).not.toContain('--');
    expect(group).toMatch(new RegExp(`^${service}-envenvenv-[0-9a-f]{9}$`));
    expect(group).toHaveLength(32);
  });

  it('refuses names that were not checked', () => {
    expect(() => derivedNames('shop', 'dev', 'Gray')).toThrow(LanesError);
    expect(() => derivedNames('shop', 'dev', name(60))).toThrow(/at most 58 characters/);
    expect(() => derivedNames('Shop', 'dev', 'gray')).toThrow(/uppercase/);
    expect(() => derivedNames('shop', 'Dev', 'gray')).toThrow(/env "Dev"/);
    try {
      derivedNames('shop', 'dev', '');
    } catch (error) {
      expect((error as LanesError).code).toBe('NAME_INVALID');
      expect((error as LanesError).fault).toBe('user');
    }
  });
});

/** DNS labels from a small alphabet, so that generated names often share long prefixes (and hashed groups). */
function label(maxLength: number): fc.Arbitrary<string> {
  return fc
    .string({ unit: fc.constantFrom('a', 'b', 'z', '0', '9', '-'), minLength: 1, maxLength })
    .filter((text) => /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(text));
}

const ALNUM_HYPHEN = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/;

function expectFits(service: string, env: string, lane: string): void {
  const names = derivedNames(service, env, lane);
  expect(isValidLaneName(lane)).toBe(true);
  expect(names.stack.length).toBeLessThanOrEqual(AWS_NAME_LIMITS.stack);
  expect(names.stack).toMatch(/^[A-Za-z][-A-Za-z0-9]*$/);
  expect(names.ecsService.length).toBeLessThanOrEqual(AWS_NAME_LIMITS.ecsService);
  expect(names.ecsService).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(names.targetGroup.length).toBeLessThanOrEqual(AWS_NAME_LIMITS.targetGroup);
  expect(names.targetGroup).toMatch(ALNUM_HYPHEN);
  expect(names.albHeaderValue.length).toBeLessThanOrEqual(AWS_NAME_LIMITS.albHeaderValue);
  expect(names.cloudMapName.length).toBeLessThanOrEqual(AWS_NAME_LIMITS.cloudMapName);
  expect(names.cloudMapName).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
}

describe('derived names (properties)', () => {
  const accepted = (service: string, env: string, lane: string) =>
    envNameProblem(env) === undefined &&
    serviceNameProblem(service, env) === undefined &&
    laneNameProblem(lane, { service, env }) === undefined;

  it('fit their AWS limits for every accepted service, env and lane', () => {
    fc.assert(
      fc.property(label(50), label(18), label(66), (service, env, lane) => {
        fc.pre(accepted(service, env, lane));
        expectFits(service, env, lane);
      }),
      { numRuns: 2000 },
    );
  });

  it('accept lanes exactly as long as the maximum, and no longer', () => {
    fc.assert(
      fc.property(label(50), label(18), (service, env) => {
        fc.pre(envNameProblem(env) === undefined && serviceNameProblem(service, env) === undefined);
        const max = maxLaneLength(service, env);
        expect(max).toBeGreaterThanOrEqual(16);
        expect(laneNameProblem(name(max), { service, env })).toBeUndefined();
        expect(laneNameProblem(name(max + 1), { service, env })).toContain(`at most ${max} characters`);
        expectFits(service, env, name(max));
      }),
      { numRuns: 500 },
    );
  });

  it('never give two lanes of a service the same target group', () => {
    const prefix = fc.constantFrom('', 'feature-', 'feature-checkout-', 'zzzzzzzzzzzzzzzzzzzzzzzz-');
    fc.assert(
      fc.property(
        label(30),
        label(16),
        prefix,
        fc.uniqueArray(label(40), { minLength: 2, maxLength: 40 }),
        (...args) => {
          const [service, env, common, suffixes] = args;
          const lanes = suffixes.map((suffix) => `${common}${suffix}`).filter((lane) => accepted(service, env, lane));
          const groups = new Set(lanes.map((lane) => derivedNames(service, env, lane).targetGroup));
          expect(groups.size).toBe(lanes.length);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
