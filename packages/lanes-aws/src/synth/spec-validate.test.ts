import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { validateTemplateFiles } from './spec-validate.js';

test('the validator catches an unknown property and a wrong type (negative control)', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'lanes-spec-')), 'bad.template.json');
  const template = {
    Resources: {
      Rule: {
        Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
        Properties: {
          ListenerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/a/b/c',
          Priority: 'high',
          Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'tracestate', Values: ['x'] } }],
          Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }],
          Colour: 'blue',
        },
      },
    },
  };
  writeFileSync(file, JSON.stringify(template));
  const findings = validateTemplateFiles([file]);
  const text = findings.map((f) => `${f.rule} ${f.severity} ${f.description}`).join('\n');
  expect(text).toMatch(/Colour/);
  expect(text).toMatch(/Priority/);
  expect(findings.some((f) => f.severity === 'error')).toBe(true);
});
