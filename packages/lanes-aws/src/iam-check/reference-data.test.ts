import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { evaluate, globMatch, type PolicyDocument } from './policy-eval.js';
import { actionInfo, referenceData } from './reference-data.js';

/** cfn-lint's data folder, where the Service Authorization Reference subset comes from. */
function cfnLintData(): string {
  try {
    return join(
      execFileSync('python3', ['-c', 'import cfnlint,os;print(os.path.dirname(cfnlint.__file__))']).toString().trim(),
      'data',
    );
  } catch (error) {
    throw new Error(
      `cfn-lint is not installed for python3 (pip install cfn-lint==1.51.0): ${(error as Error).message}`,
    );
  }
}

describe('vendored reference data', () => {
  test('the Service Authorization Reference subset is the installed cfn-lint one', () => {
    const policies = JSON.parse(readFileSync(join(cfnLintData(), 'AdditionalSpecs', 'Policies.json'), 'utf8'));
    for (const [service, data] of Object.entries(referenceData().services)) {
      expect(data, `${service}: run node packages/lanes-aws/src/iam-check/data/regenerate.mjs sar`).toEqual(
        policies[service],
      );
    }
  });

  test('every handler permission is checked against the reference: known, or reported as not an IAM action', () => {
    const unknown = Object.values(referenceData().types)
      .flatMap((t) => Object.values(t.handlers).flat())
      .filter((a) => actionInfo(a as string).type === 'unknown');
    // Handler lists name calls that are not IAM actions (e.g. s3:REST.PUT.OBJECT); the proof reports them as waived.
    expect(unknown.length).toBeLessThan(20);
    expect(actionInfo('elasticloadbalancing:CreateRule')).toEqual({
      type: 'known',
      resourceTypes: ['elasticloadbalancing/listener/app', 'elasticloadbalancing/listener/net'],
    });
  });
});

describe('policy evaluation', () => {
  const allow = (statement: object): PolicyDocument => ({ Statement: { Effect: 'Allow', ...statement } as never });
  const arn = 'arn:aws:ecs:eu-west-1:111122223333:service/lanes-dev/shop-gray';

  test('wildcards: actions case-insensitive, ARNs case-sensitive, ? is one character', () => {
    expect(globMatch('ecs:Describe*', 'ECS:DescribeServices', true)).toBe(true);
    expect(globMatch('arn:aws:ecs:*:*:service/lanes-dev/*', arn)).toBe(true);
    expect(globMatch('arn:aws:ecs:*:*:service/LANES-dev/*', arn)).toBe(false);
    expect(globMatch('shop-gra?', 'shop-gray')).toBe(true);
    expect(globMatch('shop-gra?', 'shop-grays')).toBe(false);
  });

  test('explicit deny wins, no match is the implicit deny, NotAction and NotResource invert', () => {
    const docs = [allow({ Action: 'ecs:*', Resource: '*' })];
    expect(evaluate(docs, { action: 'ecs:UpdateService', resource: arn }).type).toBe('allowed');
    expect(evaluate(docs, { action: 'ec2:CreateVpc', resource: '*' }).type).toBe('implicit-deny');
    const denied = [...docs, { Statement: { Effect: 'Deny', Action: 'ecs:Update*', Resource: arn } } as PolicyDocument];
    expect(evaluate(denied, { action: 'ecs:UpdateService', resource: arn }).type).toBe('explicit-deny');
    expect(
      evaluate([allow({ NotAction: 'iam:*', Resource: '*' })], { action: 'iam:PassRole', resource: '*' }).type,
    ).toBe('implicit-deny');
    expect(
      evaluate([allow({ Action: '*', NotResource: arn })], { action: 'ecs:UpdateService', resource: arn }).type,
    ).toBe('implicit-deny');
  });

  test('conditions: missing keys, IfExists, negation, set qualifiers; unknown operators never help', () => {
    const tagged = allow({
      Action: 'ecs:TagResource',
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestTag/lanes:env': 'dev' } },
    });
    const request = { action: 'ecs:TagResource', resource: arn };
    expect(evaluate([tagged], request).type).toBe('implicit-deny');
    expect(evaluate([tagged], { ...request, context: { 'aws:RequestTag/lanes:env': 'dev' } }).type).toBe('allowed');
    expect(evaluate([tagged], { ...request, context: { 'aws:requesttag/lanes:env': 'prod' } }).type).toBe(
      'implicit-deny',
    );
    const ifExists = allow({
      Action: '*:*',
      Resource: '*',
      Condition: { StringEqualsIfExists: { 'aws:RequestTag/a': 'b' } },
    });
    expect(evaluate([ifExists], request).type).toBe('allowed');
    const keys = allow({
      Action: '*:*',
      Resource: '*',
      Condition: { 'ForAllValues:StringLike': { 'aws:TagKeys': ['lanes:*'] } },
    });
    expect(evaluate([keys], { ...request, context: { 'aws:TagKeys': ['lanes:env', 'lanes:lane'] } }).type).toBe(
      'allowed',
    );
    expect(evaluate([keys], { ...request, context: { 'aws:TagKeys': ['lanes:env', 'owner'] } }).type).toBe(
      'implicit-deny',
    );
    const unknownOperator = { Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } } };
    expect(evaluate([allow({ Action: '*:*', Resource: '*', ...unknownOperator })], request).type).toBe('implicit-deny');
    const denyUnknown = {
      Statement: { Effect: 'Deny', Action: '*:*', Resource: '*', ...unknownOperator },
    } as PolicyDocument;
    expect(evaluate([allow({ Action: '*:*', Resource: '*' }), denyUnknown], request).type).toBe('explicit-deny');
  });
});
