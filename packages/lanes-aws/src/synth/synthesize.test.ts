import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { admissionSettings, LanesError, loadProject, type Project } from '@lanes/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { validateTemplateFiles } from './spec-validate.js';
import { synthesize } from './synthesize.js';

const here = dirname(fileURLToPath(import.meta.url));
const shopDir = join(here, '../../../../examples/shop');
const goldenDir = join(here, '__golden__', 'shop-dev');
const update = process.env.UPDATE_GOLDEN === '1';

let project: Project;
let outDir: string;
let files: string[];
let warnings: unknown[];

beforeAll(async () => {
  project = await loadProject(shopDir, { env: 'dev' });
  outDir = mkdtempSync(join(tmpdir(), 'lanes-synth-'));
  ({ files, warnings } = await synthesize(project, { outDir }));
}, 120_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('synthesize(examples/shop, dev)', () => {
  test('writes the infra repo', () => {
    expect(files).toEqual([
      'ci/build.sh',
      'ci/buildspec.yaml',
      'ci/config/app-cart--dev.json',
      'ci/config/app-shop--dev.json',
      'ci/config/boot-cart--dev.json',
      'ci/config/boot-shop--dev.json',
      'ci/config/infra-dev.json',
      'ci/pipelines/app-pipeline.template.json',
      'ci/pipelines/boot-pipeline.template.json',
      'ci/pipelines/infra-pipeline.template.json',
      'ci/stack-policies/boot.json',
      'ci/stack-policies/infra.json',
      'ci/templates/app-default.template.json',
      'ci/templates/app-lane.template.json',
      'ci/templates/boot.template.json',
      'ci/templates/infra.template.json',
      'params/boot-dev.json',
      'params/cart-dev.json',
      'params/infra-dev.json',
      'params/shop-dev.json',
    ]);
  });

  // Regenerate with `UPDATE_GOLDEN=1 npx vitest run packages/lanes-aws/src/synth`; CI runs without it and fails on
  // any difference. The `.golden` suffix keeps the formatter off these files.
  test('matches the golden files', async () => {
    for (const file of files) {
      const actual = await readFile(join(outDir, file), 'utf8');
      const golden = join(goldenDir, `${file}.golden`);
      if (update) {
        await mkdir(dirname(golden), { recursive: true });
        writeFileSync(golden, actual);
      }
      expect(actual, `${file} differs from its golden file; regenerate with UPDATE_GOLDEN=1`).toBe(
        readFileSync(golden, 'utf8'),
      );
    }
  });

  test("every template fits in CloudFormation's inline limit, so synth warns of nothing", () => {
    expect(warnings).toEqual([]);
  });

  test('is deterministic', async () => {
    const again = mkdtempSync(join(tmpdir(), 'lanes-synth-'));
    await synthesize(project, { outDir: again });
    for (const file of files) {
      expect(await readFile(join(again, file), 'utf8')).toBe(await readFile(join(outDir, file), 'utf8'));
    }
    await rm(again, { recursive: true, force: true });
  }, 120_000);

  test('every template passes the CloudFormation resource schemas (no unknown property, no wrong type)', () => {
    const templates = files.filter((f) => f.endsWith('.template.json')).map((f) => join(outDir, f));
    const findings = validateTemplateFiles(templates);
    const acknowledged = new Set(['W1001', 'W1030']); // Fn::If-guarded references; see the stacks' acknowledgements
    const unexpected = findings.filter((f) => !acknowledged.has(f.rule));
    expect(unexpected).toEqual([]);
    expect(findings.every((f) => f.severity !== 'error' && f.severity !== 'fatal')).toBe(true);
  });

  test('template configurations carry the stack policies and the seed parameters', async () => {
    const infra = JSON.parse(await readFile(join(outDir, 'ci/config/infra-dev.json'), 'utf8'));
    expect(infra.Parameters).toEqual({
      Env: 'dev',
      CreateNetwork: 'true',
      VpcCidr: '10.20.0.0/16',
      NatGateways: 'one',
    });
    expect(JSON.stringify(infra.StackPolicy)).toContain('Update:Replace');
    const boot = JSON.parse(await readFile(join(outDir, 'ci/config/boot-cart--dev.json'), 'utf8'));
    expect(boot.Parameters).toMatchObject({
      ServiceName: 'cart',
      Env: 'dev',
      ListenerPort: '80',
      ContainerPort: '8080',
      HealthCheckPath: '/healthz',
      DefaultTargetGroupName: 'cart--dev--default',
    });
    expect(boot.StackPolicy.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Resource: 'LogicalResourceId/HttpListener' }),
    );
  });
});

describe('synthesize with a certificate', () => {
  test("a service's CertificateArn (params/{service}-{env}.json) reaches its boot config only", async () => {
    const cart = project.services.cart;
    if (!cart) throw new Error('example changed');
    const arn = 'arn:aws:acm:eu-west-1:123456789012:certificate/1a2b3c4d-0000-1111-2222-333344445555';
    const withCert = {
      ...project,
      services: { ...project.services, cart: { ...cart, params: { ...cart.params, CertificateArn: arn } } },
    };
    const dir = join(outDir, 'cert');
    await synthesize(withCert, { outDir: dir });
    const read = async (file: string) => JSON.parse(await readFile(join(dir, file), 'utf8'));
    expect((await read('ci/config/boot-cart--dev.json')).Parameters.CertificateArn).toBe(arn);
    expect((await read('ci/config/boot-shop--dev.json')).Parameters).not.toHaveProperty('CertificateArn');
    // The app templates do not declare it, so ci/build.sh and the deploy provider leave it out of lane stacks.
    expect((await read('ci/templates/app-lane.template.json')).Parameters).not.toHaveProperty('CertificateArn');
  }, 120_000);
});

describe('synthesize checks before it writes', () => {
  function withLanes(lanes: string[]): Project {
    const cart = project.services.cart;
    if (!cart) throw new Error('example changed');
    const declared = Object.fromEntries(
      lanes.map((l) => [l, { run: {}, weight: 0, replicas: undefined, ttlMs: undefined }]),
    );
    return { ...project, services: { cart: { ...cart, lanes: declared } } };
  }

  const lanes = (n: number) => Array.from({ length: n }, (_, i) => `l${i}`);
  const withQuota = (p: Project, albRulesQuota: number): Project => ({
    ...p,
    aws: { headerMatch: 'regex', albRulesQuota },
  });

  test('90 lanes on one carrier fit one ALB at the default quota of 100 rules (regex: 1 rule per lane)', async () => {
    const result = await synthesize(withLanes(lanes(90)), {
      outDir: join(outDir, 'ninety'),
      match: { carriers: ['tracestate'] },
    });
    expect(result.files).toContain('ci/templates/app-lane.template.json');
  }, 120_000);

  test('90 lanes on both carriers fit under a declared quota of 200, and not at 100', async () => {
    const ninety = withLanes(lanes(90));
    const result = await synthesize(withQuota(ninety, 200), { outDir: join(outDir, 'both-200') });
    expect(result.files).toContain('ci/build.sh');
    const script = await readFile(join(outDir, 'both-200', 'ci/build.sh'), 'utf8');
    expect(script).toContain('DEFAULT_RULE_QUOTA=200');
    expect(script).toContain('RULES_PER_LANE=2');
    const refused = synthesize(withQuota(ninety, 100), { outDir: join(outDir, 'both-100') });
    await expect(refused).rejects.toBeInstanceOf(LanesError);
    await expect(refused).rejects.toThrowError(
      /declares 90 lanes besides default, and its ALB holds 50: 90 × 2 rules \(regex matching on tracestate and baggage\) = 180 rules against a quota of 100 .*"aws\.albRulesQuota"/,
    );
  }, 120_000);

  test('45 lanes on both carriers fit at the default quota, also with a canary; 50 with a canary do not', async () => {
    await synthesize(withLanes(lanes(45)), { outDir: join(outDir, 'both-45') });
    const canary = withLanes(lanes(45));
    const cart = canary.services.cart;
    if (!cart?.lanes.l0) throw new Error('fixture changed');
    cart.lanes.l0.weight = 10;
    await synthesize(canary, { outDir: join(outDir, 'both-45-canary') });
    const crowded = withLanes(lanes(50));
    const crowdedCart = crowded.services.cart;
    if (!crowdedCart?.lanes.l0) throw new Error('fixture changed');
    crowdedCart.lanes.l0.weight = 10;
    await expect(synthesize(crowded, { outDir: join(outDir, 'x') })).rejects.toThrowError(/\+ 1 canary rules = 101/);
  }, 120_000);

  test('the wildcard fallback takes 5 rules per lane on both carriers: 20 lanes at the default quota', async () => {
    const wildcard = {
      ...withLanes(lanes(21)),
      aws: { headerMatch: 'wildcard', albRulesQuota: 100 },
      admission: { ...admissionSettings(project), trusted: ['10.0.0.0/16'] },
    } as Project;
    await expect(synthesize(wildcard, { outDir: join(outDir, 'x') })).rejects.toThrowError(/ALB holds 20/);
  });

  test('admission: the default private ranges do not fit the wildcard rules, and synth says what fits', async () => {
    const wildcard = { ...withLanes(lanes(1)), aws: { headerMatch: 'wildcard', albRulesQuota: 100 } } as Project;
    await expect(synthesize(wildcard, { outDir: join(outDir, 'x') })).rejects.toThrowError(
      /do not fit into the listener rules of a lane: .*hold 2 trusted CIDRs/,
    );
  });

  test('admission: trustedHops is refused on AWS', async () => {
    const hops = { ...project, admission: { ...admissionSettings(project), trustedHops: 1 } } as Project;
    await expect(synthesize(hops, { outDir: join(outDir, 'x') })).rejects.toThrowError(/admission\.trustedHops is 1/);
  });

  test('target groups cap a service at 99 lanes whatever the rules quota', async () => {
    const many = withQuota(withLanes(lanes(100)), 1000);
    await expect(synthesize(many, { outDir: join(outDir, 'x') })).rejects.toThrowError(
      /100 lanes besides default, and its ALB holds 99: 100 target groups per ALB/,
    );
  });
});
