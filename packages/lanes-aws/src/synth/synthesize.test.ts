import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LanesError, loadProject, type Project } from '@lanes/core';
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
      'ci/config/app-cart-dev.json',
      'ci/config/app-shop-dev.json',
      'ci/config/boot-cart-dev.json',
      'ci/config/boot-shop-dev.json',
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
    expect(infra.Parameters).toEqual({ Env: 'dev', CreateNetwork: 'true', VpcCidr: '10.20.0.0/16' });
    expect(JSON.stringify(infra.StackPolicy)).toContain('Update:Replace');
    const boot = JSON.parse(await readFile(join(outDir, 'ci/config/boot-cart-dev.json'), 'utf8'));
    expect(boot.Parameters).toMatchObject({
      ServiceName: 'cart',
      Env: 'dev',
      ListenerPort: '80',
      ContainerPort: '8080',
      HealthCheckPath: '/healthz',
      DefaultTargetGroupName: 'cart-dev-default',
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
    expect((await read('ci/config/boot-cart-dev.json')).Parameters.CertificateArn).toBe(arn);
    expect((await read('ci/config/boot-shop-dev.json')).Parameters).not.toHaveProperty('CertificateArn');
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

  test('ALB quota: too many lanes for one service ALB', async () => {
    const lanes = Array.from({ length: 21 }, (_, i) => `l${i}`);
    await expect(synthesize(withLanes(lanes), { outDir: join(outDir, 'x') })).rejects.toThrowError(/ALB holds 20/);
    await expect(synthesize(withLanes(lanes), { outDir: join(outDir, 'x') })).rejects.toBeInstanceOf(LanesError);
  });

  test('fewer rules per lane leave room for more lanes', async () => {
    const lanes = Array.from({ length: 40 }, (_, i) => `l${i}`);
    const result = await synthesize(withLanes(lanes), {
      outDir: join(outDir, 'y'),
      match: { carriers: ['tracestate'], ows: false },
    });
    expect(result.files).toContain('ci/templates/app-lane.template.json');
  }, 120_000);
});
