import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConfigIssue, LanesConfigError, LanesError } from '../errors.js';
import { loadProject } from './load-project.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanes-project-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(path: string, content: unknown): Promise<void> {
  await mkdir(join(dir, path, '..'), { recursive: true });
  await writeFile(join(dir, path), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
}

const project = {
  $schema: './node_modules/@lanes/core/lanes.schema.json',
  project: 'shop-demo',
  services: {
    shop: { route: { pathPrefix: '/shop' }, run: { command: ['node', 'services/shop.js'], cwd: 'services' } },
    cart: { route: { pathPrefix: '/cart' }, run: { command: ['node', 'services/cart.js'] }, replicas: 1 },
  },
};

async function issuesOf(promise: Promise<unknown>): Promise<ConfigIssue[]> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(LanesConfigError);
    return [...(error as LanesConfigError).issues];
  }
  throw new Error('expected the project to be rejected');
}

describe('loadProject', () => {
  beforeEach(async () => {
    await mkdir(join(dir, 'services'));
  });

  it('reads the project file and the params files of the env, in both formats', async () => {
    await write('lanes.json', project);
    await write('params/infra-dev.json', { Parameters: { Env: 'dev', CreateNetwork: 'true' } });
    await write('params/boot-dev.json', [{ ParameterKey: 'Env', ParameterValue: 'dev' }]);
    await write('params/shop-dev.json', { Parameters: { DesiredCount: 2, HealthCheckPath: '/ready' }, Tags: {} });
    await write('params/cart-dev.json', [{ ParameterKey: 'DesiredCount', ParameterValue: '3' }]);
    await write('params/cart-prod.json', "not even JSON: another env is not this command's business");
    await write('params/README.md', '# parameter files');
    const loaded = await loadProject(dir);
    expect(loaded.dir).toBe(dir);
    expect(loaded.file).toBe(join(dir, 'lanes.json'));
    expect(loaded.stateDir).toBe(join(dir, '.lanes'));
    expect(loaded.services.shop).toMatchObject({
      run: { cwd: join(dir, 'services') },
      replicas: 2,
      healthCheck: { path: '/ready' },
      params: { DesiredCount: '2', HealthCheckPath: '/ready' },
    });
    expect(loaded.services.cart).toMatchObject({ replicas: 1, params: { DesiredCount: '3' } });
  });

  it('needs no params folder, and no infra file in it', async () => {
    await write('lanes.json', project);
    await expect(loadProject(dir)).resolves.toMatchObject({ env: 'dev' });
    await write('params/shop-dev.json', { Parameters: {} });
    await expect(loadProject(dir)).resolves.toMatchObject({ name: 'shop-demo' });
  });

  it('reads the params files of the env it is given', async () => {
    await write('lanes.json', project);
    await write('params/shop-prod.json', { Parameters: { DesiredCount: '4' } });
    await write('params/shop-dev.json', '{');
    const loaded = await loadProject(dir, { env: 'prod' });
    expect(loaded.env).toBe('prod');
    expect(loaded.services.shop?.replicas).toBe(4);
  });

  it('says where it looked and how to start a project file when there is none', async () => {
    const issues = await issuesOf(loadProject(dir));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.file).toBe(join(dir, 'lanes.json'));
    expect(issues[0]?.message).toContain(`no project file: looked for ${join(dir, 'lanes.json')}. Create lanes.json`);
    expect(issues[0]?.message).toContain('{ "services": { "web": { "run": { "command": ["node", "server.js"] } } } }');
  });

  it('reads another project file when told, relative to the project folder or absolute', async () => {
    await write('config/lanes.local.json', project);
    await expect(loadProject(dir, { file: 'config/lanes.local.json' })).resolves.toMatchObject({
      dir,
      file: join(dir, 'config/lanes.local.json'),
    });
    await expect(loadProject(dir, { file: join(dir, 'config/lanes.local.json') })).resolves.toMatchObject({ dir });
    const issues = await issuesOf(loadProject(dir, { file: 'nope.json' }));
    expect(issues).toEqual([{ file: join(dir, 'nope.json'), path: '', message: 'file not found; check the path' }]);
  });

  it('names the line and column of a JSON syntax error, in any file', async () => {
    await write('lanes.json', '{\n  "services": {\n    "shop": { "run": { "command": ["node"] } },\n  }\n}\n');
    await write('params/shop-dev.json', '[\n  { "ParameterKey": "A", "ParameterValue": \'x\' }\n]');
    const issues = await issuesOf(loadProject(dir));
    expect(issues).toEqual([
      {
        file: join(dir, 'params/shop-dev.json'),
        path: '',
        message: 'invalid JSON at line 2, column 44: strings must use double quotes in JSON',
      },
      {
        file: join(dir, 'lanes.json'),
        path: '',
        message:
          'invalid JSON at line 4, column 3: expected a property name in double quotes, got "}" (JSON allows no trailing comma)',
      },
    ]);
  });

  it('collects the issues of every file in one error', async () => {
    const broken = structuredClone(project) as typeof project & { services: Record<string, unknown> };
    broken.services.shop.run.cwd = 'no-such-folder';
    await write('lanes.json', broken);
    await write('params/shop-dev.json', { Parameters: { DesiredCount: ['2'] } });
    await write('params/payments-dev.json', { Parameters: {} });
    await mkdir(join(dir, 'params/cart-dev.json'));
    const issues = await issuesOf(loadProject(dir));
    expect(issues.map((issue) => [relative(dir, issue.file), issue.path])).toEqual([
      ['params/cart-dev.json', ''],
      ['params/shop-dev.json', 'Parameters.DesiredCount'],
      ['params/payments-dev.json', ''],
      ['lanes.json', 'services.shop.run.cwd'],
    ]);
    expect(issues[0]?.message).toBe('this is a folder; give the path of a JSON file');
    expect(issues[2]?.message).toContain('no service "payments" in lanes.json');
    expect(issues[3]?.message).toBe(
      `no folder at ${join(dir, 'no-such-folder')}; relative paths start at the project folder ${dir}`,
    );
  });

  it('names files the way the project folder was given', async () => {
    await write('lanes.json', { services: { shop: { run: { command: 'node shop.js' } } } });
    const given = relative(process.cwd(), dir);
    const issues = await issuesOf(loadProject(given));
    expect(issues[0]?.file).toBe(join(given, 'lanes.json'));
  });

  it('refuses an env that cannot be an env name before reading anything', async () => {
    await expect(loadProject(dir, { env: 'Production' })).rejects.toThrow(LanesError);
    await expect(loadProject(dir, { env: 'Production' })).rejects.toMatchObject({
      code: 'LANES_ENV_INVALID',
      message: expect.stringContaining('use "production"'),
    });
  });
});
