import { describe, expect, it } from 'vitest';
import { awsNames } from './aws-names.js';
import { LanesError } from './errors.js';
import { envNameProblem, laneNameProblem, MAX_ENV_LENGTH, maxLaneLength, serviceNameProblem } from './naming.js';

const name = (length: number, char = 'a') => char.repeat(length);

describe('laneNameProblem', () => {
  const context = { service: 'user-api', env: 'prod' };

  it.each([['gray'], ['pr-123'], ['a'], ['1'], ['a-b-c'], ['default'], [name(53)]])('accepts %s', (lane) => {
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
    ['a--b', 'lane "a--b" contains "--": "--" separates the parts of AWS names'],
    ['a--b', 'use "a-b"'],
  ])('refuses %j: %s', (lane, phrase) => {
    expect(laneNameProblem(lane, context)).toContain(phrase);
  });

  it('names the limit that binds, and the maximum for this service', () => {
    expect(maxLaneLength('user-api', 'prod')).toBe(53);
    expect(laneNameProblem(name(54), context)).toBe(
      `lane "${name(54)}" is 54 characters; for service "user-api" in env "prod" lanes can be at most 53 characters ` +
        'because the Cloud Map name user-api--<lane> must be a DNS label of at most 63 characters',
    );
  });

  it('caps every lane at a DNS label, however short the service', () => {
    expect(maxLaneLength('a', 'dev')).toBe(60);
    expect(laneNameProblem(name(61), { service: 'a', env: 'dev' })).toContain('at most 60 characters');
    expect(laneNameProblem(name(64), { service: 'a', env: 'dev' })).toContain('at most 60 characters');
  });

  it('explains the stack name limit when that is the one that binds', () => {
    const env = name(70, 'e'); // longer than any valid env: only to exercise the stack name rule
    expect(maxLaneLength('svc', env)).toBe(128 - `app-svc--${env}--`.length);
    expect(laneNameProblem(name(60), { service: 'svc', env })).toContain(
      `because the stack name app-svc--${env}--<lane> can have at most 128 characters`,
    );
  });
});

describe('serviceNameProblem', () => {
  it.each([['shop'], ['user-api'], ['a'], ['9lives'], [name(45)]])('accepts %s', (service) => {
    expect(serviceNameProblem(service, 'dev')).toBeUndefined();
  });

  it.each([
    ['', 'service name is empty'],
    ['Shop', 'service "Shop" has uppercase letters; service names are lowercase: use "shop"'],
    ['user_api', 'did you mean "user-api"?'],
    ['-shop', 'invalid service name'],
    ['infra', 'service name "infra" is reserved: params/infra-{env}.json is the infra layer\'s parameter file'],
    ['boot', 'reserved'],
    [name(46), `service "${name(46)}" is 46 characters; in env "dev" service names can be at most 45 characters`],
    [name(46), 'so that lane names of 16 characters still fit (the Cloud Map name'],
    [name(80), 'at most 45 characters'],
    ['cart--api', 'service "cart--api" contains "--": "--" separates the parts of AWS names'],
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
    ['dev--1', 'env "dev--1" contains "--"'],
    [name(17), `env "${name(17)}" is 17 characters; env names can be at most 16 characters`],
  ])('refuses %j: %s', (env, phrase) => {
    expect(envNameProblem(env)).toContain(phrase);
  });
});

describe('awsNames', () => {
  it('joins the parts with "--"', () => {
    expect(awsNames('dev', 'user-api', 'gray')).toEqual({
      infraStack: 'infra-environment-dev',
      bootStack: 'boot-user-api--dev',
      appStack: 'app-user-api--dev--gray',
      infraPipeline: 'infra-dev',
      bootPipeline: 'boot-dev',
      appPipeline: 'user-api--dev',
      repository: 'user-api--dev',
      ecsCluster: 'lanes-dev',
      ecsService: 'user-api--gray',
      taskFamily: 'user-api--dev--gray',
      targetGroup: 'user-api--dev--gray',
      cloudMapNamespace: 'dev.lanes.internal',
      cloudMapName: 'user-api--gray',
      logGroup: '/ecs/dev/user-api',
      logStreamPrefix: 'gray',
      albHeaderValue: 'ctx=lane:gray',
      serviceArnExport: 'boot-user-api--dev-user-api-service-arn',
    });
    expect(awsNames('dev', 'shop', 'default').appStack).toBe('app-shop--dev--default');
  });

  it("registers the default lane in the service's own Cloud Map service", () => {
    expect(awsNames('dev', 'shop', 'default').cloudMapName).toBe('shop');
    expect(awsNames('dev', 'shop', 'default').ecsService).toBe('shop--default');
  });

  it('keeps target group names readable up to 31 characters', () => {
    const lane = name(31 - 'shop--dev--'.length);
    expect(awsNames('dev', 'shop', lane).targetGroup).toBe(`shop--dev--${lane}`);
  });

  it('hashes target group names of 32 characters and more, to exactly 32', () => {
    const lane = name(32 - 'shop--dev--'.length);
    const group = awsNames('dev', 'shop', lane).targetGroup;
    expect(group).toHaveLength(32);
    expect(group).toMatch(/^shop--dev--a{12}-[0-9a-f]{8}$/);
    expect(awsNames('dev', 'shop', lane).targetGroup).toBe(group);
  });

  it('hashes with a stable, documented scheme', () => {
    const group = awsNames('prod', 'user-api', 'feature-checkout-redesign').targetGroup;
    // First 23 characters of user-api--prod--feature-checkout-redesign, "-", sha256("user-api/prod/feature-checkout-redesign").
    expect(group).toBe('user-api--prod--feature-a41043a1');
  });

  it('drops hyphens at the cut so the hash does not follow a run of "-"', () => {
    // `{service}--{env}` is 22 characters here: the cut ends inside the "--" before the lane.
    const service = name(12, 's');
    const group = awsNames('envenven', service, 'pr-1234567890').targetGroup;
    expect(group).not.toContain('---');
    expect(group).toMatch(new RegExp(`^${service}--envenven-[0-9a-f]{9}$`));
    expect(group).toHaveLength(32);
  });

  it('refuses names that were not checked', () => {
    expect(() => awsNames('dev', 'shop', 'Gray')).toThrow(LanesError);
    expect(() => awsNames('dev', 'shop', name(60))).toThrow(/at most 57 characters/);
    expect(() => awsNames('dev', 'Shop', 'gray')).toThrow(/uppercase/);
    expect(() => awsNames('Dev', 'shop', 'gray')).toThrow(/env "Dev"/);
    expect(() => awsNames('dev', 'shop', 'a--b')).toThrow(/"--" separates the parts of AWS names/);
    try {
      awsNames('dev', 'shop', '');
    } catch (error) {
      expect((error as LanesError).code).toBe('LANES_NAME_INVALID');
      expect((error as LanesError).fault).toBe('user');
    }
  });
});

describe("issue 12's colliding names", () => {
  it('service a lane dev-b and service a-dev lane b (env dev) share no name', () => {
    const a = awsNames('dev', 'a', 'dev-b');
    const b = awsNames('dev', 'a-dev', 'b');
    for (const field of ['appStack', 'ecsService', 'taskFamily', 'targetGroup', 'cloudMapName'] as const) {
      expect(a[field], field).not.toBe(b[field]);
    }
    expect([a.appStack, b.appStack]).toEqual(['app-a--dev--dev-b', 'app-a-dev--dev--b']);
    expect([a.cloudMapName, b.cloudMapName]).toEqual(['a--dev-b', 'a-dev--b']);
  });

  it('lane gray of cart and a service cart-gray have different Cloud Map services', () => {
    expect(awsNames('dev', 'cart', 'gray').cloudMapName).toBe('cart--gray');
    expect(awsNames('dev', 'cart-gray', 'default').cloudMapName).toBe('cart-gray');
  });

  it('service a-b in env c and service a in env b-c share no boot stack, pipeline, repository or export', () => {
    const a = awsNames('c', 'a-b', 'default');
    const b = awsNames('b-c', 'a', 'default');
    for (const field of ['bootStack', 'appPipeline', 'repository', 'serviceArnExport', 'logGroup'] as const) {
      expect(a[field], field).not.toBe(b[field]);
    }
    expect([a.bootStack, b.bootStack]).toEqual(['boot-a-b--c', 'boot-a--b-c']);
  });

  it('refuses "--" in every part, saying why', () => {
    const why = '"--" separates the parts of AWS names';
    expect(envNameProblem('dev--b')).toContain(why);
    expect(serviceNameProblem('a--dev', 'dev')).toContain(why);
    expect(laneNameProblem('dev--b', { service: 'a', env: 'dev' })).toContain(why);
  });
});
