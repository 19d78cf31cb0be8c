import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { AWS_CAPABILITIES, AwsProviderAdapter } from '@lanes/aws';
import { awsProviderLoader, type CliDeps, LOCAL_ONLY } from '@lanes/cli';
import { LanesError, LOCAL_CAPABILITIES, PROVIDER_FEATURES, type ProviderCapabilities } from '@lanes/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runLanesInProcess } from './support/cli.js';
import { fakeAwsLane, type TargetGroupNumbers } from './support/fake-aws-lane.js';
import { createProject } from './support/lanes-project.js';

const healthy = (requests: number): TargetGroupNumbers => ({ requests, errors: 0, p99: 0.08 });

let dir: string;
let fake: ReturnType<typeof fakeAwsLane> | undefined;

beforeAll(async () => {
  dir = await createProject({ shop: { pathPrefix: '/', lanes: { gray: { weight: 0 } } } });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => fake?.restore());

/** The aws provider over the fake AWS (SDK stubbed at the edge, a clock that does not wait). */
function awsOnFake(metrics: Parameters<typeof fakeAwsLane>[0] = () => ({ lane: healthy(0), baseline: healthy(0) })) {
  fake = fakeAwsLane(metrics);
  const options = fake.options;
  const deps: CliDeps = {
    providers: {
      aws: async () => async (session) => new AwsProviderAdapter({ ...options(session.project), io: session.io }),
    },
  };
  return { fake, deps };
}

/** Runs the CLI in this process on the test's project. */
function lanes(args: string[], deps: CliDeps = {}) {
  return runLanesInProcess([...args, '--project', dir], deps);
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

describe('lanes with --provider aws', () => {
  it("route sets the lane stack's CanaryWeight (before: --provider was not an option of route)", async () => {
    const { fake, deps } = awsOnFake();
    const run = await lanes(['route', 'shop', 'default=75', 'gray=25', '--provider', 'aws'], deps);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('shop: untagged traffic default 75%, gray 25%');
    expect(run.stderr).toContain(`${fake.lane.name}: change set`); // progress, from the provider's events
    expect(fake.state.weights).toEqual([25]);
  });

  it('promote --analyze moves CanaryWeight in steps and judges CloudWatch (before: it promoted at once)', async () => {
    const { fake, deps } = awsOnFake(() => ({ lane: healthy(100), baseline: healthy(900) }));
    const args = ['promote', 'shop', 'gray', '--analyze', '--step-seconds', '60', '--provider', 'aws', '--json'];
    const run = await lanes(args, deps);
    expect(run.code).toBe(0);
    expect(fake.state.weights).toEqual([10, 25, 50, 0]);
    expect(fake.state.metricQueries).toHaveLength(3);
    const result = lastJson(run.stdout);
    expect(result).toMatchObject({ result: 'ok', type: 'promoted', lane: 'dev/shop/gray' });
    expect((result.steps as { verdict: string }[]).map((s) => s.verdict)).toEqual(['pass', 'pass', 'pass']);
  });

  it('promote --analyze exits 3 with the steps when a step fails, and the weight is back at 0', async () => {
    const { fake, deps } = awsOnFake((weight) => ({
      lane: weight > 0 ? { requests: 100, errors: 30, p99: 0.08 } : healthy(0),
      baseline: healthy(900),
    }));
    const run = await lanes(
      ['promote', 'shop', 'gray', '--analyze', '--step-seconds', '60', '--provider', 'aws'],
      deps,
    );
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('analysis of dev/shop/gray: NOT promoted');
    expect(run.stdout).toMatch(/10%\s+fail\s+5xx rate 30%/);
    expect(fake.state.weights).toEqual([10, 0]);
    expect(fake.state.laneDeleted).toBe(false);
  });

  it("deploy --set puts the variable into the lane's revision environment (before: --set was dropped)", async () => {
    const { fake, deps } = awsOnFake();
    const args = ['deploy', 'shop', 'gray', '--image', 'shop:v3', '--set', 'FEATURE=on', '--provider', 'aws'];
    expect((await lanes(args, deps)).code).toBe(0);
    expect(fake.state.environments.at(-1)).toMatchObject({ FEATURE: 'on' });
    expect(fake.state.changeSets).toHaveLength(1);
  });

  it('refuses what a stack cannot do with the sentence of the capability, exit 2', async () => {
    const { fake, deps } = awsOnFake();
    const run = await lanes(
      ['deploy', 'shop', 'gray', '--image', 'shop:v3', '--command', 'node v2.js', '--provider', 'aws'],
      deps,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`lanes: ${AWS_CAPABILITIES['deploy --command']}\n`);
    expect(fake.state.changeSets).toHaveLength(0);
    const logs = await lanes(['logs', 'shop', 'gray', '--provider', 'aws'], deps);
    expect(logs.code).toBe(2);
    expect(logs.stderr).toContain('aws logs tail /ecs/dev/shop --log-stream-name-prefix gray/ --follow');
  });

  it('prints a user-fault error from @lanes/aws as one line, exit 2, without a stack trace', async () => {
    const { fake, deps } = awsOnFake();
    fake.cfn.rejects(new LanesError('AWS_ACCESS_DENIED', 'access denied to cloudformation:DescribeStacks', 'user'));
    const run = await lanes(['rollback', 'shop', 'gray', '--provider', 'aws'], deps);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('lanes rollback: access denied to cloudformation:DescribeStacks\n');
  });

  it('says in one line, exit 2, when @lanes/aws is not installed', async () => {
    const absent = Object.assign(new Error("Cannot find package '@lanes/aws' imported from /x/providers.js"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const deps: CliDeps = { providers: { aws: awsProviderLoader(() => Promise.reject(absent)) } };
    const run = await lanes(['status', '--provider', 'aws'], deps);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'lanes status: the aws provider needs the package @lanes/aws, which is not installed: npm install @lanes/aws\n',
    );
    // A dependency of @lanes/aws that is missing is a broken install, not a missing provider: it is not hidden.
    const broken = Object.assign(
      new Error("Cannot find package 'aws-cdk-lib' imported from /x/node_modules/@lanes/aws/dist/index.js"),
      { code: 'ERR_MODULE_NOT_FOUND' },
    );
    const deps2: CliDeps = { providers: { aws: awsProviderLoader(() => Promise.reject(broken)) } };
    const brokenRun = await lanes(['status', '--provider', 'aws'], deps2);
    expect(brokenRun.code).toBe(1);
    expect(brokenRun.stderr).toContain("Cannot find package 'aws-cdk-lib'");
  });

  it('refuses an unknown provider, naming the known ones', async () => {
    const run = await lanes(['status', '--provider', 'gcp']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--provider must be one of local, aws, got "gcp"');
  });
});

describe('the parity table in docs/cli.md', () => {
  /** The rows of the "Providers" table: feature, local cell, aws cell. */
  async function parityRows(from: string, to: string): Promise<Map<string, [string, string]>> {
    const doc = await readFile(fileURLToPath(new URL('../docs/cli.md', import.meta.url)), 'utf8');
    const section = doc.slice(doc.indexOf(from), doc.indexOf(to));
    const rows = new Map<string, [string, string]>();
    for (const line of section.split('\n')) {
      const cells = /^\| `([^`]+)` +\| (.*?) +\| (.*?) +\|$/.exec(line);
      if (cells) rows.set(cells[1]!, [cells[2]!, cells[3]!]);
    }
    return rows;
  }

  const expected = (capability: true | string) => (capability === true ? 'works' : capability);

  it('has one row per feature, and each cell is what the provider does or the sentence it refuses with', async () => {
    const rows = await parityRows('## Providers', '### Commands outside the contract');
    expect([...rows.keys()].sort()).toEqual([...PROVIDER_FEATURES].sort());
    const check = (column: 0 | 1) => PROVIDER_FEATURES.map((feature) => [feature, rows.get(feature)?.[column]]);
    const want = (capabilities: ProviderCapabilities) =>
      PROVIDER_FEATURES.map((feature) => [feature, expected(capabilities[feature])]);
    expect(check(0)).toEqual(want(LOCAL_CAPABILITIES));
    expect(check(1)).toEqual(want(AWS_CAPABILITIES));
  });

  it('gives the sentence each local-only command refuses --provider aws with', async () => {
    const rows = await parityRows('### Commands outside the contract', '## Parallel operations');
    const table = [...rows].map(([command, [local, aws]]) => [command, local, aws]);
    const want = Object.entries(LOCAL_ONLY).map(([command, why]) => [`lanes ${command}`, 'works', why]);
    expect(table).toEqual(want);
    const run = await lanes(['gc', '--older-than', '1d', '--provider', 'aws']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`lanes gc: ${LOCAL_ONLY.gc}\n`);
  });
});
