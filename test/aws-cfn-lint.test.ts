import { readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { laneEnvironment, synthesize, synthesizeAppTemplates } from '@lanes/aws';
import { loadProject } from '@lanes/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CfnLintFinding, formatFindings, runCfnLint } from './support/cfn-lint.js';

/**
 * AWS's CloudFormation linter (cfn-lint: the resource provider schemas, intrinsic functions, references, IAM policy
 * syntax, best practices) over every template `lanes synth` writes for every example, and over every app template
 * the AWS provider would send for each lane when it differs from those. Errors and warnings fail; informational
 * findings (cfn-lint runs with `--include-checks I`) pass only when listed below with their reason.
 */

/** Informational findings accepted, by rule and template file name. Each one must still occur (no stale entries). */
const ACCEPTED_INFORMATIONAL: readonly { rule: string; templates: readonly string[]; reason: string }[] = [
  {
    rule: 'I1022', // Prefer Fn::Sub over Fn::Join with an empty delimiter.
    templates: [
      'infra.template.json',
      'boot.template.json',
      'app-default.template.json',
      'app-lane.template.json',
      'infra-pipeline.template.json',
      'boot-pipeline.template.json',
      'app-pipeline.template.json',
    ],
    reason:
      'aws-cdk-lib renders every string built from tokens (names from parameters, export names) as Fn::Join with an ' +
      'empty delimiter; CloudFormation resolves both forms to the same string, so this is style, not behaviour.',
  },
  {
    rule: 'I3011', // Stateful resource without explicit DeletionPolicy/UpdateReplacePolicy.
    templates: [
      'boot.template.json',
      'infra-pipeline.template.json',
      'boot-pipeline.template.json',
      'app-pipeline.template.json',
    ],
    reason:
      "The default (Delete) is intended: the boot stack's log group belongs to the service and goes with it on " +
      "teardown; a pipeline's artifact KMS key only protects artifacts that expire after 30 days, and a deleted key " +
      'is only scheduled for deletion (7-30 day waiting period, 30 by default: ' +
      'https://docs.aws.amazon.com/kms/latest/cryptographic-details/key-deletion.html).',
  },
];

const EXAMPLES = fileURLToPath(new URL('../examples/', import.meta.url));

/** Every example with a lanes.json: each is a project `lanes synth` accepts. */
const examples = readdirSync(EXAMPLES)
  .filter((name) => statSync(join(EXAMPLES, name, 'lanes.json'), { throwIfNoEntry: false })?.isFile())
  .sort();

/**
 * A template with one known error (E3002: a property the resource type does not have) and one known warning
 * (W2001: an unused parameter), linted in the same run: proves cfn-lint ran over the files and that this test sees
 * its errors and warnings.
 */
const CANARY = 'canary/broken.template.json';
const CANARY_TEMPLATE = {
  AWSTemplateFormatVersion: '2010-09-09',
  Parameters: { Unused: { Type: 'String' } },
  Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { NoSuchProperty: 'x' } } },
};

let root: string;
/** Template paths relative to `root`: `{example}/ci/...` and `{example}/provider/{service}-{lane}/...`. */
const templates: string[] = [];
let findings: CfnLintFinding[];

/** A setup failure (a missing tool, above all) fails every test, loudly: these checks are never skipped. */
let setupError: unknown;

beforeAll(async () => {
  try {
    root = await mkdtemp(join(tmpdir(), 'lanes-cfn-lint-'));
    for (const example of examples) {
      const project = await loadProject(join(EXAMPLES, example));
      const { files } = await synthesize(project, { outDir: join(root, example) });
      templates.push(...files.filter((f) => f.endsWith('.template.json')).map((f) => `${example}/${f}`));
      // What the provider sends for each lane (aws-session.ts); linted too where it is not a file synth wrote.
      const app = await synthesizeAppTemplates(project);
      for (const service of Object.values(project.services)) {
        for (const lane of ['default', ...Object.keys(service.lanes)]) {
          const body = app.app(service.name, lane, laneEnvironment(project, service.name, lane));
          const written = lane === 'default' ? 'app-default' : 'app-lane';
          if (body === (await readFile(join(root, example, 'ci/templates', `${written}.template.json`), 'utf8')))
            continue;
          // Named after the template it was made from, so ACCEPTED_INFORMATIONAL applies to it alike.
          const path = `${example}/provider/${service.name}-${lane}/${written}.template.json`;
          await mkdir(join(root, example, 'provider', `${service.name}-${lane}`), { recursive: true });
          await writeFile(join(root, path), body);
          templates.push(path);
        }
      }
    }
    await mkdir(join(root, 'canary'));
    await writeFile(join(root, CANARY), JSON.stringify(CANARY_TEMPLATE, null, 2));
    // One process: cfn-lint takes seconds to start.
    findings = await runCfnLint(root, [...templates, CANARY]);
  } catch (error) {
    setupError = error;
  }
}, 300_000);

beforeEach(() => {
  if (setupError) throw setupError;
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('cfn-lint on every synthesized template', () => {
  it('lints every template of every example', () => {
    expect(examples).toEqual(expect.arrayContaining(['arena', 'platform', 'shop']));
    for (const example of examples) {
      const own = templates.filter((t) => t.startsWith(`${example}/`)).map((t) => basename(t));
      expect(own, example).toEqual(
        expect.arrayContaining(['infra.template.json', 'boot.template.json', 'app-lane.template.json']),
      );
    }
  });

  it('sees the errors and warnings it must see (a broken template in the same run)', () => {
    const canary = findings.filter((f) => f.file === CANARY).map((f) => `${f.level} ${f.rule}`);
    expect(canary).toEqual(expect.arrayContaining(['Error E3002', 'Warning W2001']));
  });

  it('finds no errors and no warnings', () => {
    const bad = findings.filter((f) => f.file !== CANARY && (f.level === 'Error' || f.level === 'Warning'));
    expect(bad, formatFindings(bad)).toEqual([]);
  });

  it('finds only the informational findings listed with a reason, and every listed one still occurs', () => {
    const info = findings.filter((f) => f.file !== CANARY && f.level !== 'Error' && f.level !== 'Warning');
    const accepted = (f: CfnLintFinding) =>
      ACCEPTED_INFORMATIONAL.some((a) => a.rule === f.rule && a.templates.includes(basename(f.file)));
    const unexplained = info.filter((f) => !accepted(f));
    expect(unexplained, `not in ACCEPTED_INFORMATIONAL:\n${formatFindings(unexplained)}`).toEqual([]);
    const stale = ACCEPTED_INFORMATIONAL.flatMap((a) =>
      a.templates
        .filter((t) => !info.some((f) => f.rule === a.rule && basename(f.file) === t))
        .map((t) => `${a.rule} ${t}`),
    );
    expect(stale, 'listed in ACCEPTED_INFORMATIONAL but no longer found: remove them').toEqual([]);
  });
});
