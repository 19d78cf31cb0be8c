import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { awsNames, loadProject, type Project } from '@lanes/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Deployment, type LayerInput, sampleDeployment } from '../iam-check/deployment.js';
import {
  buildRoleRequirements,
  buildScriptActions,
  type PipelineSample,
  pipelineRoleRequirements,
} from '../iam-check/pipeline-requirements.js';
import { evaluate, type PolicyDocument, type Statement, statementsOf } from '../iam-check/policy-eval.js';
import {
  describeFailures,
  type Requirement,
  type StackOperation,
  stackRequirements,
  unmet,
} from '../iam-check/requirements.js';
import { bootStackName, infraStackName } from './exports.js';
import { laneParameters, synthesize } from './synthesize.js';

/**
 * The IAM proof: every role of the three pipelines is evaluated, as IAM evaluates it, against what the calls it
 * makes require. The requirements come from CloudFormation's resource handler permissions for the resource types
 * of the rendered layer templates, placed on ARNs by AWS's Service Authorization Reference (iam-check/data), from
 * the generated `ci/build.sh`, and from AWS's documentation of the pipeline actions; never from pipeline-iam.ts or
 * deploy-statements.ts.
 */

const here = dirname(fileURLToPath(import.meta.url));
const shopDir = join(here, '../../../../examples/shop');
const account = { partition: 'aws', region: 'eu-west-1', account: '111122223333' };
const ENV = 'dev';
const LANE = 'gray';
const KINDS = ['infra', 'boot', 'app'] as const;
type Kind = (typeof KINDS)[number];
const LAYERS: Record<Kind, string[]> = { infra: ['infra'], boot: ['boot'], app: ['app-default', 'app-lane'] };
const OPERATIONS: StackOperation[] = ['create', 'update', 'delete'];

let project: Project;
let outDir: string;
let service: string;
let buildScript: string;
let deployment: Deployment;
const pipelines = {} as Record<Kind, PipelineSample & { roles: Record<string, PolicyDocument[]> }>;

const read = (path: string) => readFileSync(join(outDir, path), 'utf8');
const json = (path: string) => JSON.parse(read(path)) as Record<string, unknown>;

/** The stack tags `ci/build.sh` gives an app stack (its template configuration's `Tags`), with sample values. */
function appStackTags(script: string, lane: string): Record<string, string> {
  const block = /Tags: \{([^}]*)\}/.exec(script)?.[1];
  if (!block) throw new Error('ci/build.sh writes no Tags into cfn-params.json');
  const values: Record<string, string> = { 'lanes:service': service, 'lanes:env': ENV, 'lanes:lane': lane };
  return Object.fromEntries([...block.matchAll(/"([a-z:-]+)":/g)].map(([, k]) => [k, values[k as string] ?? 'x']));
}

function config(path: string): { Parameters: Record<string, string>; Tags: Record<string, string> } {
  return json(path) as { Parameters: Record<string, string>; Tags: Record<string, string> };
}

/** A pipeline template's sample parameters; the connection is a CodeConnections ARN. */
function pipelineParameters(kind: Kind): Record<string, string> {
  return {
    Env: ENV,
    ConnectionArn: `arn:aws:codeconnections:${account.region}:${account.account}:connection/0d2c1e44-1234-4a5b-9c8d-0123456789ab`,
    InfraRepository: 'example/infra',
    ...(kind === 'app' ? { ServiceName: service, AppRepository: `example/${service}` } : {}),
  };
}

beforeAll(async () => {
  project = await loadProject(shopDir, { env: ENV });
  service = Object.keys(project.services).sort()[0] as string;
  outDir = mkdtempSync(join(tmpdir(), 'lanes-iam-'));
  await synthesize(project, { outDir });
  buildScript = read('ci/build.sh');
  const infraConfig = config(`ci/config/infra-${ENV}.json`);
  const bootConfig = config(`ci/config/${awsNames(ENV, service, 'default').bootStack}.json`);
  const layers: LayerInput[] = [
    {
      layer: 'infra',
      stackName: infraStackName(ENV),
      template: json('ci/templates/infra.template.json'),
      parameters: infraConfig.Parameters,
      tags: infraConfig.Tags,
    },
    {
      layer: 'boot',
      stackName: bootStackName(service, ENV),
      template: json('ci/templates/boot.template.json'),
      parameters: bootConfig.Parameters,
      tags: bootConfig.Tags,
    },
  ];
  for (const lane of ['default', LANE]) {
    layers.push({
      layer: lane === 'default' ? 'app-default' : 'app-lane',
      stackName: awsNames(ENV, service, lane).appStack,
      template: json(`ci/templates/${lane === 'default' ? 'app-default' : 'app-lane'}.template.json`),
      parameters: laneParameters(project, service, lane, `example.dkr.ecr/${service}-${ENV}:0123456789ab`),
      tags: appStackTags(buildScript, lane),
    });
  }
  for (const kind of KINDS) {
    layers.push({
      layer: `${kind}-pipeline`,
      stackName: `lanes-${kind}-pipeline-${ENV}`,
      template: json(`ci/pipelines/${kind}-pipeline.template.json`),
      parameters: pipelineParameters(kind),
      tags: {},
    });
  }
  deployment = sampleDeployment(account, layers);
  for (const kind of KINDS) {
    const layer = `${kind}-pipeline`;
    const roles: Record<string, PolicyDocument[]> = {};
    for (const r of deployment.resources.filter((x) => x.layer === layer && x.type === 'AWS::IAM::Role')) {
      const policies = (r.properties.Policies as { PolicyDocument: PolicyDocument }[] | undefined) ?? [];
      roles[r.logicalId] = policies.map((p) => p.PolicyDocument);
    }
    const pipeline = deployment.resources.find((x) => x.layer === layer && x.type === 'AWS::CodePipeline::Pipeline');
    const stackNames = new Set<string>();
    for (const stage of (pipeline?.properties.Stages as { Actions: { Configuration?: { StackName?: string } }[] }[]) ??
      []) {
      for (const action of stage.Actions) {
        const name = action.Configuration?.StackName;
        if (name) stackNames.add(name.replace('#{variables.SERVICE}', service).replace('#{variables.LANE}', LANE));
      }
    }
    const variants =
      kind === 'app' ? [...stackNames].flatMap((n) => [n, n.replace(`-${LANE}`, '-default')]) : [...stackNames];
    pipelines[kind] = {
      deployment,
      pipelineLayer: layer,
      connectionArn: pipelineParameters(kind).ConnectionArn as string,
      stackArns: variants.map(
        (n) =>
          `arn:aws:cloudformation:${account.region}:${account.account}:stack/${n}/5b8c0a30-0000-11ef-9f2a-0a1b2c3d4e5f`,
      ),
      roles,
    };
  }
}, 120_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

function expectAllowed(policies: PolicyDocument[], requirements: Requirement[]) {
  expect(describeFailures(unmet(policies, requirements))).toBe('');
}

describe('the sample deployment', () => {
  test('each pipeline deploys the stack the name functions give', () => {
    const name = (arn: string) => arn.split(':stack/')[1]?.split('/')[0];
    expect(pipelines.infra.stackArns.map(name)).toEqual([infraStackName(ENV)]);
    expect(pipelines.boot.stackArns.map(name)).toEqual([bootStackName(service, ENV)]);
    expect(pipelines.app.stackArns.map(name).sort()).toEqual(
      [awsNames(ENV, service, LANE).appStack, awsNames(ENV, service, 'default').appStack].sort(),
    );
  });
});

describe.each(KINDS)('%s pipeline: CloudFormation deploy role', (kind) => {
  test.each(OPERATIONS)('allows every call of %s on its layer', (operation) => {
    const { required } = stackRequirements(deployment, LAYERS[kind], operation);
    expect(required.length).toBeGreaterThan(0);
    expectAllowed(pipelines[kind].roles.DeployRole as PolicyDocument[], required);
  });
});

describe.each(KINDS)('%s pipeline: build and pipeline roles', (kind) => {
  test('the CodeBuild role allows the build logs, artifacts, and for app builds the clone and ci/build.sh calls', () => {
    const appLayers = kind === 'app' ? ['boot', 'app-default', 'app-lane'] : undefined;
    const required = buildRoleRequirements(pipelines[kind], buildScript, appLayers);
    expectAllowed(pipelines[kind].roles.BuildRole as PolicyDocument[], required);
    if (kind !== 'app') {
      // Nothing beyond that: the app build's calls are not allowed to an infra or boot build.
      const app = buildRoleRequirements(pipelines[kind], buildScript, ['boot', 'app-default', 'app-lane']);
      const extra = unmet(pipelines[kind].roles.BuildRole as PolicyDocument[], app).map((f) => f.requirement.action);
      expect(extra).toEqual(expect.arrayContaining(['ecr:PutImage', 'cloudformation:ListExports']));
    }
  });

  test('the pipeline role allows the sources, artifacts, build, change sets and passing the deploy role', () => {
    expectAllowed(pipelines[kind].roles.PipelineRole as PolicyDocument[], pipelineRoleRequirements(pipelines[kind]));
  });
});

/** The policies with `action` taken out of every statement that names it (a statement left empty goes). */
function without(policies: PolicyDocument[], action: string): PolicyDocument[] {
  return policies.map((p) => ({
    ...p,
    Statement: statementsOf([p]).flatMap((s): Statement[] => {
      const actions = s.Action === undefined ? undefined : [s.Action].flat().filter((a) => a !== action);
      if (actions === undefined) return [s];
      return actions.length === 0 ? [] : [{ ...s, Action: actions }];
    }),
  }));
}

describe('ci/build.sh', () => {
  /** The AWS CLI, docker and git calls of one layer's build, with all three replaced by recorders. */
  function recordedCalls(layer: string): string[] {
    const script = [
      'log=$(mktemp)',
      // Every stub answers "x": an export, a target group, a repository URI; describe-images "exists". The stack's
      // parameters (the previous revision) are JSON: a stack with none.
      'aws() { echo "aws $*" >> "$log"; if [[ $2 == describe-stacks ]]; then echo "[]"; else echo x; fi; }',
      // `aws ecr get-login-password | docker login --password-stdin`: the stub reads the password as docker does, or
      // a quick exit would break the pipe under pipefail (a flaky "ECR login failed" on a busy machine).
      'docker() { echo "docker $*" >> "$log"; if [[ $* == *--password-stdin* ]]; then cat > /dev/null; fi; }',
      'git() { echo "git $*" >> "$log"; }',
      '. ci/build.sh',
      'prebuild; build; postbuild',
      'cat "$log"; rm -f "$log"',
    ].join('\n');
    const env = {
      ...process.env,
      ...{ LAYER: layer, ENV, SERVICE: service, LANE, BRANCH: 'main', CODEBUILD_SRC_DIR_AppOut: outDir },
    };
    return execFileSync('bash', ['-c', script], { cwd: outDir, env }).toString().split('\n').filter(Boolean);
  }

  test('an infra or boot build makes no AWS call, so those build roles need none', () => {
    expect(recordedCalls('infra')).toEqual([]);
    expect(recordedCalls('boot')).toEqual([]);
  });

  test('an app build makes AWS calls, and each is one the proof parsed from the script', () => {
    const calls = recordedCalls('app').filter((c) => c.startsWith('aws '));
    expect(calls.length).toBeGreaterThan(3);
    const parsed = new Set(buildScriptActions(buildScript));
    for (const call of calls)
      expect(
        [...buildScriptActions(call)].every((a) => parsed.has(a)),
        call,
      ).toBe(true);
  });
});

describe('negative controls', () => {
  test('removing one needed permission fails the proof, naming the call', () => {
    const deploy = pipelines.app.roles.DeployRole as PolicyDocument[];
    const { required } = stackRequirements(deployment, LAYERS.app, 'create');
    expect(unmet(deploy, required)).toEqual([]);
    const failures = unmet(without(deploy, 'elasticloadbalancing:CreateRule'), required);
    expect(failures.length).toBeGreaterThan(0);
    expect(new Set(failures.map((f) => f.requirement.action))).toEqual(new Set(['elasticloadbalancing:CreateRule']));
    expect(describeFailures(failures)).toMatch(
      /elasticloadbalancing:CreateRule on arn:aws:elasticloadbalancing:.*:listener\/app\//,
    );
  });

  test('an explicit Deny wins over the Allow', () => {
    const deploy = pipelines.app.roles.DeployRole as PolicyDocument[];
    const { required } = stackRequirements(deployment, LAYERS.app, 'create');
    const denied: PolicyDocument = {
      Statement: { Effect: 'Deny', Action: 'ecs:Tag*', Resource: 'arn:aws:ecs:*:*:task-definition/*' },
    };
    const failures = unmet([...deploy, denied], required);
    expect(failures.map((f) => f.requirement.action)).toContain('ecs:TagResource');
    expect(failures.every((f) => f.decision.startsWith('denied by'))).toBe(true);
  });

  test('the stack tags reach the tag-on-create calls as request tags', () => {
    const { required } = stackRequirements(deployment, ['app-lane'], 'create');
    const tagCall = required.find((r) => r.action === 'ecs:TagResource' && r.resource.includes(':task-definition/'));
    expect(tagCall?.context).toMatchObject({ 'aws:RequestTag/lanes:lane': LANE });
  });
});

describe('least privilege', () => {
  const allRoles = () =>
    KINDS.flatMap((k) => Object.entries(pipelines[k].roles).map(([n, p]) => [`${k} ${n}`, p] as const));

  test('no role allows every action, or every action of a service, on every resource except where no ARN exists', () => {
    for (const [name, policies] of allRoles()) {
      for (const s of statementsOf(policies)) {
        if (s.Effect !== 'Allow') continue;
        expect(s.NotAction, name).toBeUndefined();
        expect(s.NotResource, name).toBeUndefined();
        const actions = [s.Action ?? []].flat();
        expect(actions, name).not.toContain('*');
        const everywhere = [s.Resource ?? []].flat().includes('*');
        // The shared layers (platform team only) keep service wildcards for the network and ALB they create.
        if (everywhere && !name.endsWith('DeployRole'))
          expect(
            actions.filter((a) => a.endsWith(':*')),
            name,
          ).toEqual([]);
        if (everywhere && name.startsWith('app '))
          expect(
            actions.filter((a) => a.endsWith(':*')),
            name,
          ).toEqual([]);
      }
    }
  });

  test("the app pipeline may change its service's app stacks in its env only: boot and infra stacks are denied", () => {
    const policies = pipelines.app.roles.PipelineRole as PolicyDocument[];
    const stack = (name: string) => `arn:aws:cloudformation:${account.region}:${account.account}:stack/${name}/0`;
    for (const name of [bootStackName(service, ENV), infraStackName(ENV)]) {
      for (const action of [
        'cloudformation:CreateChangeSet',
        'cloudformation:ExecuteChangeSet',
        'cloudformation:DeleteStack',
      ]) {
        expect(evaluate(policies, { action, resource: stack(name) }).type, `${action} ${name}`).toBe('explicit-deny');
      }
    }
    const change = (name: string) =>
      evaluate(policies, { action: 'cloudformation:CreateChangeSet', resource: stack(name) });
    expect(change(awsNames(ENV, service, LANE).appStack).type).toBe('allowed');
    // Another service's lanes, or the same service in another env, belong to other pipelines.
    const other = Object.keys(project.services).find((s) => s !== service) as string;
    expect(change(awsNames(ENV, other, LANE).appStack).type).toBe('implicit-deny');
    expect(change(awsNames('prod', service, LANE).appStack).type).toBe('implicit-deny');
  });

  test('the app deploy role cannot delete what the boot and infra layers own', () => {
    const appPolicies = pipelines.app.roles.DeployRole as PolicyDocument[];
    const appActions = new Set(
      OPERATIONS.flatMap((op) =>
        stackRequirements(deployment, LAYERS.app, op).required.map((r) => r.action.toLowerCase()),
      ),
    );
    const shared = stackRequirements(deployment, ['infra', 'boot'], 'delete').required.filter(
      (r) => r.resource !== '*' && !appActions.has(r.action.toLowerCase()),
    );
    expect(shared.length).toBeGreaterThan(10);
    const allowed = shared.filter((r) => evaluate(appPolicies, r).type === 'allowed');
    expect(allowed.map((r) => `${r.action} ${r.resource}`)).toEqual([]);
  });
});

describe('property-scoped handler permissions', () => {
  test('are waived only while the template leaves the property out', () => {
    const { waived } = stackRequirements(deployment, LAYERS.app, 'create');
    expect(waived.map((w) => `${w.type} ${w.action}`)).toContain(
      'AWS::ElasticLoadBalancingV2::ListenerRule cognito-idp:DescribeUserPoolClient',
    );
    const rule = deployment.resources.find((r) => r.layer === 'app-lane' && r.type.endsWith('::ListenerRule'));
    if (!rule) throw new Error('no listener rule in app-lane');
    const cognito = {
      ...rule,
      layer: 'probe',
      rawProperties: {
        ...rule.rawProperties,
        Actions: [{ Type: 'authenticate-cognito', AuthenticateCognitoConfig: {} }],
      },
    };
    const probe = { ...deployment, resources: [cognito] };
    // Set, the permission is required again (and the proof asks for a sample user pool to place it on).
    expect(() => stackRequirements(probe, ['probe'], 'create')).toThrow(/cognito-idp:DescribeUserPoolClient/);
  });
});
