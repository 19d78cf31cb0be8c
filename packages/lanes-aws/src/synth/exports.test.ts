import { MAX_ENV_LENGTH, MAX_SERVICE_LENGTH } from '@lanes/core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { BOOT_EXPORTS, bootExportName, bootServiceArnExportName, INFRA_EXPORTS, infraExportName } from './exports.js';

/** Export names are unique per account and region: every export of every layer stack, for any envs and services. */

const segment = fc.string({ unit: fc.constantFrom('a', 'b', '0', '9'), minLength: 1, maxLength: 5 });
const part = (max: number) =>
  fc.array(segment, { minLength: 1, maxLength: 12 }).map((s) => s.join('-').slice(0, max).replace(/-+$/, ''));
const owner = fc.record({ env: part(MAX_ENV_LENGTH), service: part(MAX_SERVICE_LENGTH) });

/** Two owners cut from the same segments (`a-b`+`c` and `a`+`b-c`), or any two. */
const shifted = fc.array(segment, { minLength: 2, maxLength: 6 }).chain((segments) => {
  const cut = fc.integer({ min: 1, max: segments.length - 1 }).map((i) => ({
    service: segments.slice(0, i).join('-'),
    env: segments.slice(i).join('-'),
  }));
  return fc.tuple(cut, cut);
});

/** What CloudFormation takes as an export name (CDK's `CfnOutput` checks the same), at most 255 characters. */
const EXPORT_NAME = /^[A-Za-z0-9:-]+$/;

function exportsOf({ env, service }: { env: string; service: string }): [string, string][] {
  return [
    ...INFRA_EXPORTS.map((key): [string, string] => [infraExportName(env, key), `infra ${env} ${key}`]),
    ...BOOT_EXPORTS.map((key): [string, string] => [
      bootExportName(service, env, key),
      `boot ${env}/${service} ${key}`,
    ]),
    [bootServiceArnExportName(service, env), `boot ${env}/${service} service-arn`],
  ];
}

describe('export names', () => {
  test('never meet between two stacks, or two exports of one stack', () => {
    fc.assert(
      fc.property(fc.oneof(fc.tuple(owner, owner), shifted), ([a, b]) => {
        const seen = new Map<string, string>();
        for (const [name, what] of [...exportsOf(a), ...exportsOf(b)]) {
          const other = seen.get(name) ?? what;
          if (other !== what) expect.fail(`export ${name} is ${other} and ${what}`);
          seen.set(name, what);
          if (name.length > 255 || !EXPORT_NAME.test(name)) expect.fail(`export ${name} is not a valid export name`);
        }
      }),
      { numRuns: 10_000 },
    );
  });

  test('a boot stack exports boot-{service}--{env}-{Key}', () => {
    expect(bootExportName('a-b', 'c', 'ListenerArn')).toBe('boot-a-b--c-ListenerArn');
    expect(bootExportName('a', 'b-c', 'ListenerArn')).toBe('boot-a--b-c-ListenerArn');
    expect(bootServiceArnExportName('cart', 'dev')).toBe('boot-cart--dev-cart-service-arn');
    expect(infraExportName('dev', 'VpcId')).toBe('infra-environment-dev-VpcId');
  });
});
