#!/usr/bin/env node
// Regenerates the vendored IAM reference data of the IAM proof (see README.md beside this file).
//   node regenerate.mjs sar                 service-authorization.json from cfn-lint's bundled Policies.json
//   node regenerate.mjs handlers <dir>      cfn-handlers.json from a folder of CloudFormation registry schemas
//                                           (CloudformationSchema.zip unpacked, or `describe-type` Schema outputs)
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The services whose actions the roles and the handler lists name. */
export const SAR_SERVICES = [
  'cloudformation',
  'cloudwatch',
  'codebuild',
  'codeconnections',
  'codestar-connections',
  'cognito-idp',
  'ec2',
  'ecr',
  'ecs',
  'elasticloadbalancing',
  'firehose',
  'iam',
  'kms',
  'logs',
  'route53',
  's3',
  's3tables',
  'servicediscovery',
  'sts',
];
const OPS = ['create', 'read', 'update', 'delete'];

function cfnLintData() {
  const dir = execFileSync('python3', ['-c', 'import cfnlint,os;print(os.path.dirname(cfnlint.__file__))'])
    .toString()
    .trim();
  const version = execFileSync('python3', ['-c', 'import cfnlint.version as v;print(v.__version__)']).toString().trim();
  return { dir: join(dir, 'data'), version };
}

function sar() {
  const { dir, version } = cfnLintData();
  const policies = JSON.parse(readFileSync(join(dir, 'AdditionalSpecs', 'Policies.json'), 'utf8'));
  const services = {};
  for (const name of SAR_SERVICES) {
    if (!policies[name]) throw new Error(`cfn-lint ${version} has no service ${name}`);
    services[name] = policies[name];
  }
  const out = { source: `cfn-lint ${version} cfnlint/data/AdditionalSpecs/Policies.json`, services };
  writeFileSync(join(here, 'service-authorization.json'), `${JSON.stringify(out, null, 1)}\n`);
}

function handlers(schemaDir) {
  const types = {};
  for (const file of readdirSync(schemaDir).filter((f) => f.endsWith('.json'))) {
    const schema = JSON.parse(readFileSync(join(schemaDir, file), 'utf8'));
    if (!schema.typeName || !schema.handlers) continue;
    const picked = {};
    for (const op of OPS) if (schema.handlers[op]) picked[op] = schema.handlers[op].permissions ?? [];
    types[schema.typeName] = {
      taggable: schema.tagging?.taggable ?? schema.taggable ?? false,
      tagOnCreate: schema.tagging?.tagOnCreate ?? false,
      handlers: picked,
    };
  }
  const current = JSON.parse(readFileSync(join(here, 'cfn-handlers.json'), 'utf8'));
  const kept = Object.fromEntries(
    Object.keys(current.types)
      .filter((t) => types[t])
      .map((t) => [t, types[t]]),
  );
  const out = {
    ...current,
    source: `CloudFormation registry schemas from ${schemaDir}`,
    types: { ...current.types, ...kept },
  };
  writeFileSync(join(here, 'cfn-handlers.json'), `${JSON.stringify(out, null, 1)}\n`);
}

const [what, arg] = process.argv.slice(2);
if (what === 'sar') sar();
else if (what === 'handlers' && arg) handlers(arg);
else {
  console.error('usage: regenerate.mjs sar | handlers <schema-dir>');
  process.exit(2);
}
