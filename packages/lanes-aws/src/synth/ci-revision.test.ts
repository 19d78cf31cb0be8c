import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildScript } from './ci-files.js';
import { specializeTemplate } from './lane-revision.js';

// ci/build.sh must write a lane's revision exactly as the deploy provider does: the environment into the template's
// container, the previous revision carried forward from the stack's parameters (the pipeline replaces its tags).

const dir = mkdtempSync(join(tmpdir(), 'lanes-build-sh-revision-'));
const script = join(dir, 'build.sh');
writeFileSync(script, buildScript(1));
const golden = new URL('./__golden__/shop-dev/ci/', import.meta.url).pathname;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs one function of build.sh; `aws` is a stub that prints `awsOut` and exits with `awsCode`. */
function run(fn: string, args: string[], aws: { out?: string; code?: number } = {}) {
  const stub = `aws() { printf '%s' "$AWS_OUT"; return "$AWS_CODE"; }`;
  return spawnSync('bash', ['-c', `${stub}; . "$0"; ${fn} "$@"`, script, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, AWS_OUT: aws.out ?? '', AWS_CODE: String(aws.code ?? 0) },
  });
}

const params = (values: Record<string, string>) =>
  JSON.stringify(Object.entries(values).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })));

describe('ci/build.sh and the deploy provider write the same revision', () => {
  it('specialize_template puts the environment into the container as specializeTemplate does', () => {
    const template = join(golden, 'templates/app-lane.template.json.golden');
    // LANES_LANE is the template's own variable: it wins over the revision's, in both.
    const environment = { ZED: 'last', FEATURE: 'on "quoted", ünïcode', PORT: '8080', LANES_LANE: 'spoofed' };
    const out = run('specialize_template', [template, JSON.stringify(environment)]);
    expect(out.status, out.stderr).toBe(0);
    const expected = JSON.parse(specializeTemplate(readFileSync(template, 'utf8'), environment, 'test'));
    expect(JSON.parse(out.stdout)).toEqual(expected);
    const container = expected.Resources.TaskDefinition.Properties.ContainerDefinitions[0];
    expect(container.Environment.map((e: { Name: string }) => e.Name)).toEqual([
      'LANES_SERVICE',
      'LANES_ENV',
      'LANES_LANE',
      'FEATURE',
      'PORT',
      'ZED',
    ]);
  });

  it('lane_environment reads what lanes synth composed: the declared lane, else the service', () => {
    mkdirSync(join(dir, 'ci/config'), { recursive: true });
    writeFileSync(
      join(dir, 'ci/config/app-cart--dev.json'),
      readFileSync(join(golden, 'config/app-cart--dev.json.golden')),
    );
    expect(JSON.parse(run('lane_environment', ['cart', 'dev', 'gray']).stdout)).toEqual({
      PORT: '8080',
      VERSION: '1.1.0-rc',
    });
    expect(JSON.parse(run('lane_environment', ['cart', 'dev', 'pr-7']).stdout)).toEqual({ PORT: '8080' });
  });

  it('lane_trusted_sources gives a lane the trusted CIDRs synth derived, and an open lane none', () => {
    mkdirSync(join(dir, 'ci/config'), { recursive: true });
    const config = JSON.parse(readFileSync(join(golden, 'config/app-cart--dev.json.golden'), 'utf8'));
    writeFileSync(join(dir, 'ci/config/app-cart--dev.json'), JSON.stringify(config));
    const trusted = config.Admission.TrustedSourceCidrs;
    expect(trusted).toMatch(/^10\.0\.0\.0\/8,/);
    expect(run('lane_trusted_sources', ['cart', 'dev', 'pr-7']).stdout.trim()).toBe(trusted);
    expect(run('lane_trusted_sources', ['cart', 'dev', 'default']).stdout.trim()).toBe('');
    config.Admission.OpenLanes.push('pr-7');
    writeFileSync(join(dir, 'ci/config/app-cart--dev.json'), JSON.stringify(config));
    expect(run('lane_trusted_sources', ['cart', 'dev', 'pr-7']).stdout.trim()).toBe('');
    writeFileSync(
      join(dir, 'ci/config/app-cart--dev.json'),
      readFileSync(join(golden, 'config/app-cart--dev.json.golden')),
    );
  });

  it('previous_revision carries the running revision forward when the new one differs', () => {
    const stack = params({ ImageUri: 'repo:v1', Environment: '{"PORT":"8080","FEATURE":"off"}' });
    const out = run('previous_revision', ['app-cart--dev--gray', 'repo:v2', '{"PORT":"8080"}'], { out: stack });
    expect(JSON.parse(out.stdout)).toEqual({
      PreviousImageUri: 'repo:v1',
      PreviousEnvironment: '{"FEATURE":"off","PORT":"8080"}',
    });
  });

  it('previous_revision counts an environment change as a new revision', () => {
    const stack = params({ ImageUri: 'repo:v1', Environment: '{"FEATURE":"off"}' });
    const out = run('previous_revision', ['s', 'repo:v1', '{"FEATURE":"on"}'], { out: stack });
    expect(JSON.parse(out.stdout)).toMatchObject({
      PreviousImageUri: 'repo:v1',
      PreviousEnvironment: '{"FEATURE":"off"}',
    });
  });

  it('previous_revision keeps the recorded previous revision on a redeploy of the running one', () => {
    const stack = params({
      ImageUri: 'repo:v2',
      Environment: '{"A":"1","B":"2"}',
      PreviousImageUri: 'repo:v1',
      PreviousEnvironment: '{"A":"0"}',
    });
    const out = run('previous_revision', ['s', 'repo:v2', '{"B":"2","A":"1"}'], { out: stack });
    expect(JSON.parse(out.stdout)).toEqual({ PreviousImageUri: 'repo:v1', PreviousEnvironment: '{"A":"0"}' });
  });

  it('previous_revision: a new lane has none; any other failure to read the stack stops the build', () => {
    const missing = run('previous_revision', ['s', 'repo:v1', '{}'], {
      out: 'An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id s does not exist',
      code: 255,
    });
    expect(JSON.parse(missing.stdout)).toEqual({ PreviousImageUri: '', PreviousEnvironment: '{}' });
    const denied = run('previous_revision', ['s', 'repo:v1', '{}'], { out: 'AccessDenied', code: 255 });
    expect(denied.status).not.toBe(0);
    expect(denied.stderr).toContain('cannot read the stack s');
  });

  it('app_stack_name is awsNames(...).stack', async () => {
    const { awsNames } = await import('@lanes/core');
    const name = execFileSync('bash', ['-c', '. "$0"; app_stack_name cart dev pr-7', script], { encoding: 'utf8' });
    expect(name.trim()).toBe(awsNames('dev', 'cart', 'pr-7').appStack);
  });
});
