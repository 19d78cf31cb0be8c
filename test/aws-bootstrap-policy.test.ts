import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

/**
 * The bootstrap policy of docs/aws.md's walkthrough (step 2), checked against AWS's Service Authorization Reference
 * as cfn-lint bundles it (`data/AdditionalSpecs/Policies.json`): every action exists, and every statement that names
 * resources names at least one the action can be authorized on (an action without resource types needs `*`, or
 * the statement grants nothing). cfn-lint is on the machine image for the template lint; a missing one fails here.
 */

interface ServiceData {
  Actions: Record<string, { Resources?: string[] }>;
  Resources: Record<string, { ARNFormats: string[] }>;
}
interface Statement {
  Sid: string;
  Action: string | string[];
  Resource: string | string[];
}

const docs = readFileSync(fileURLToPath(new URL('../docs/aws.md', import.meta.url)), 'utf8');

function walkthroughPolicy(): Statement[] {
  const step = docs.slice(docs.indexOf('### 2. The permissions'));
  const block = /```json\n([\s\S]*?)```/.exec(step)?.[1];
  if (!block) throw new Error('docs/aws.md: no policy block in step 2 of the walkthrough');
  const filled = block.replaceAll('REGION', 'us-east-1').replaceAll('ACCOUNT', '123456789012').replaceAll('ENV', 'dev');
  return (JSON.parse(filled) as { Statement: Statement[] }).Statement;
}

function authorizationReference(): Record<string, ServiceData> {
  const dir = execFileSync('python3', ['-c', 'import cfnlint, os; print(os.path.dirname(cfnlint.__file__))'], {
    encoding: 'utf8',
  }).trim();
  return JSON.parse(readFileSync(join(dir, 'data', 'AdditionalSpecs', 'Policies.json'), 'utf8'));
}

const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

/** An ARN format of the reference (`arn:${Partition}:s3:::${BucketName}`) as a regex over our patterns' samples. */
function formatRegex(format: string): RegExp {
  const escaped = format.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\${c}`);
  return new RegExp(`^${escaped.replace(/\\\$\\\{[A-Za-z]+\\\}/g, '.*').replaceAll('\\.\\*', '.*')}$`);
}

/** What is wrong with the statements: unknown actions, and actions the named resources cannot grant. */
function findings(statements: Statement[], reference: Record<string, ServiceData>): string[] {
  const out: string[] = [];
  for (const statement of statements) {
    const resources = list(statement.Resource);
    for (const action of list(statement.Action)) {
      const [service = '', name = ''] = action.split(':');
      const data = reference[service];
      const known = data?.Actions[name.toLowerCase()];
      if (!data || !known) {
        out.push(`${statement.Sid}: ${action} is not an action`);
        continue;
      }
      if (resources.includes('*')) continue;
      const types = known.Resources ?? []; // none: the action is authorized on `*` only
      const byName = new Map(Object.entries(data.Resources).map(([k, v]) => [k.toLowerCase(), v]));
      const grants = types.some((type) =>
        (byName.get(type.replace(/\*$/, '').toLowerCase())?.ARNFormats ?? []).some((format) =>
          resources.some((arn) => formatRegex(format).test(arn.replaceAll('*', 'x'))),
        ),
      );
      if (!grants) out.push(`${statement.Sid}: ${action} is not granted on ${resources.join(', ')}`);
    }
  }
  return out;
}

describe('the walkthrough bootstrap policy (docs/aws.md)', () => {
  const reference = authorizationReference();
  const policy = walkthroughPolicy();

  test('every action exists and is granted on the resources its statement names', () => {
    expect(policy.length).toBeGreaterThan(5);
    expect(findings(policy, reference)).toEqual([]);
  });

  test('the check catches a misspelt action and an action scoped where it has no resource type', () => {
    const broken: Statement[] = [
      { Sid: 'Typo', Action: 'codebuild:CreateProjects', Resource: '*' },
      { Sid: 'Scoped', Action: 'kms:CreateKey', Resource: 'arn:aws:kms:us-east-1:123456789012:key/*' },
      { Sid: 'WrongArn', Action: 's3:CreateBucket', Resource: 'arn:aws:kms:us-east-1:123456789012:key/*' },
    ];
    expect(findings(broken, reference)).toEqual([
      'Typo: codebuild:CreateProjects is not an action',
      'Scoped: kms:CreateKey is not granted on arn:aws:kms:us-east-1:123456789012:key/*',
      'WrongArn: s3:CreateBucket is not granted on arn:aws:kms:us-east-1:123456789012:key/*',
    ]);
  });
});
