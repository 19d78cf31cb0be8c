import { describe, expect, it } from 'vitest';
import { type ConfigIssue, LanesConfigError, LanesError } from '../errors.js';
import { type ProjectContext, parseProject } from './parse-project.js';

// biome-ignore lint/suspicious/noExplicitAny: fixtures are edited freely, like a user edits the JSON file.
type Raw = any;

const FILE = '/proj/lanes.json';
const SHOP_PARAMS = '/proj/params/shop-dev.json';

function context(params: ProjectContext['params'] = {}): ProjectContext {
  return { dir: '/proj', file: FILE, env: 'dev', params };
}

/** The smallest valid project: one service with its command. */
function minimal(): Raw {
  return { services: { shop: { run: { command: ['node', 'shop.js'] } } } };
}

function issuesOf(raw: unknown, ctx = context()): ConfigIssue[] {
  try {
    parseProject(raw, ctx);
  } catch (error) {
    expect(error).toBeInstanceOf(LanesConfigError);
    return [...(error as LanesConfigError).issues];
  }
  throw new Error('expected the project to be rejected');
}

const shop = (raw: Raw) => raw.services.shop;
const run = (raw: Raw) => raw.services.shop.run;
const withCart = (raw: Raw) => {
  raw.services.cart = { run: { command: ['node', 'cart.js'] } };
};
const gray = (raw: Raw, lane: Raw) => {
  raw.services.shop.lanes = { gray: lane };
};

type Case = [name: string, change: (raw: Raw) => void, path: string, message: string];

const invalid: Case[] = [
  // top level
  ['services missing', (r) => delete r.services, 'services', 'missing; give at least one service'],
  [
    'misspelled top field',
    (r) => {
      r.servces = r.services;
      delete r.services;
    },
    'servces',
    'did you mean "services"?',
  ],
  [
    'unknown top field',
    (r) => (r.zzz = 1),
    'zzz',
    'known fields: project, stateDir, gateway, admission, aws, services',
  ],
  ['name instead of project', (r) => (r.name = 'x'), 'name', 'did you mean "project"?'],
  ['port at the top', (r) => (r.port = 1), 'port', 'it belongs in "gateway.port"'],
  ['$schema not a string', (r) => (r.$schema = 1), '$schema', 'expected a string, got 1'],
  ['project empty', (r) => (r.project = ' '), 'project', 'expected a project name, got an empty string'],
  ['project a number', (r) => (r.project = 5), 'project', 'expected a string, got 5'],
  ['stateDir empty', (r) => (r.stateDir = ''), 'stateDir', 'expected a folder'],
  // admission
  ['trusted at the top', (r) => (r.trusted = []), 'trusted', 'it belongs in "admission.trusted"'],
  ['admission CIDR', (r) => (r.admission = { trusted: ['10.0.0.0/40'] }), 'admission.trusted[0]', '0 to 32'],
  ['admission hops', (r) => (r.admission = { trustedHops: 11 }), 'admission.trustedHops', 'from 0 to 10'],
  ['admission lane', (r) => (r.admission = { openLanes: ['-x'] }), 'admission.openLanes[0]', 'not a lane name'],
  [
    'admission maxTtl',
    (r) => (r.admission = { tokens: { maxTtl: '60d' } }),
    'admission.tokens.maxTtl',
    'expected a duration from 1s to 30d',
  ],
  ['admission unknown', (r) => (r.admission = { trusts: [] }), 'admission.trusts', 'did you mean "trusted"?'],
  // aws
  ['aws not an object', (r) => (r.aws = 'regex'), 'aws', 'expected an object, got "regex"'],
  [
    'headerMatch unknown',
    (r) => (r.aws = { headerMatch: 'exact' }),
    'aws.headerMatch',
    'expected "regex" or "wildcard"',
  ],
  ['headerMatch misspelled', (r) => (r.aws = { headerMatch: 'regx' }), 'aws.headerMatch', 'did you mean "regex"'],
  ['albRulesQuota zero', (r) => (r.aws = { albRulesQuota: 0 }), 'aws.albRulesQuota', 'from 1 to 50000, got 0'],
  ['albRulesQuota quoted', (r) => (r.aws = { albRulesQuota: '200' }), 'aws.albRulesQuota', 'without quotes: 200'],
  ['albRulesQuota a fraction', (r) => (r.aws = { albRulesQuota: 150.5 }), 'aws.albRulesQuota', 'got 150.5'],
  ['aws field misspelled', (r) => (r.aws = { albRuleQuota: 200 }), 'aws.albRuleQuota', 'did you mean "albRulesQuota"'],
  [
    'carriers in aws',
    (r) => (r.aws = { carriers: ['baggage'] }),
    'aws.carriers',
    'match the carriers of "gateway.carriers"',
  ],
  ['headerMatch at the top', (r) => (r.headerMatch = 'regex'), 'headerMatch', 'it belongs in "aws.headerMatch"'],
  // gateway
  ['gateway not an object', (r) => (r.gateway = 8080), 'gateway', 'expected an object, got 8080'],
  ['port too large', (r) => (r.gateway = { port: 70000 }), 'gateway.port', 'from 0 to 65535, got 70000'],
  ['port negative', (r) => (r.gateway = { port: -1 }), 'gateway.port', 'from 0 to 65535, got -1'],
  ['port quoted', (r) => (r.gateway = { port: '80' }), 'gateway.port', 'write it without quotes: 80'],
  ['admin on the proxy port', (r) => (r.gateway = { port: 9000, adminPort: 9000 }), 'gateway.adminPort', 'same port'],
  [
    'host with a scheme',
    (r) => (r.gateway = { host: 'http://x' }),
    'gateway.host',
    'expected an IP address or hostname',
  ],
  ['host with an empty label', (r) => (r.gateway = { host: 'a..b' }), 'gateway.host', 'expected an IP address'],
  ['admin host', (r) => (r.gateway = { admin: { host: '0.0.0.0' } }), 'gateway.admin', 'always binds to 127.0.0.1'],
  ['carriers empty', (r) => (r.gateway = { carriers: [] }), 'gateway.carriers', 'expected a non-empty list'],
  ['carrier unknown', (r) => (r.gateway = { carriers: ['b3'] }), 'gateway.carriers[0]', 'unknown carrier "b3"'],
  [
    'carrier misspelled',
    (r) => (r.gateway = { carriers: ['bagage'] }),
    'gateway.carriers[0]',
    'did you mean "baggage"',
  ],
  ['carrier twice', (r) => (r.gateway = { carriers: ['baggage', 'baggage'] }), 'gateway.carriers[1]', 'listed twice'],
  // services
  ['services empty', (r) => (r.services = {}), 'services', 'expected an object with at least one service'],
  ['services a list', (r) => (r.services = []), 'services', 'got a list'],
  ['service uppercase', (r) => (r.services = { Shop: shop(r) }), 'services.Shop', 'use "shop"'],
  ['service reserved', (r) => (r.services = { boot: shop(r) }), 'services.boot', 'is reserved'],
  ['service too long', (r) => (r.services = { ['s'.repeat(50)]: shop(r) }), `services.${'s'.repeat(50)}`, 'at most 45'],
  ['service not an object', (r) => (r.services.shop = ['node']), 'services.shop', 'expected an object, got a list'],
  ['command on the service', (r) => (shop(r).command = []), 'services.shop.command', 'belongs in "run.command"'],
  ['misspelled service field', (r) => (shop(r).replica = 2), 'services.shop.replica', 'did you mean "replicas"?'],
  // run
  ['run missing', (r) => delete shop(r).run, 'services.shop.run', 'missing; say how to start one replica'],
  ['run not an object', (r) => (shop(r).run = 'node shop.js'), 'services.shop.run', 'expected an object'],
  ['command missing', (r) => delete run(r).command, 'services.shop.run.command', 'missing; give the program'],
  [
    'command as one string',
    (r) => (run(r).command = 'node services/shop.js'),
    'services.shop.run.command',
    'expected a list of arguments, not one string: split it into an argv array: ["node", "services/shop.js"]',
  ],
  [
    'command for a shell',
    (r) => (run(r).command = 'node shop.js | tee log'),
    'services.shop.run.command',
    '["sh", "-c", "node shop.js | tee log"]',
  ],
  ['command empty', (r) => (run(r).command = []), 'services.shop.run.command', 'expected at least the program'],
  ['command an object', (r) => (run(r).command = {}), 'services.shop.run.command', 'got an object'],
  ['command number', (r) => (run(r).command = ['node', 8080]), 'services.shop.run.command[1]', 'quote it: "8080"'],
  ['command empty program', (r) => (run(r).command = ['']), 'services.shop.run.command[0]', 'program to run is empty'],
  ['cwd empty', (r) => (run(r).cwd = ''), 'services.shop.run.cwd', 'expected a folder'],
  ['cwd a number', (r) => (run(r).cwd = 1), 'services.shop.run.cwd', 'expected a string, got 1'],
  ['env a list', (r) => (run(r).env = ['A=1']), 'services.shop.run.env', 'expected an object of variables'],
  ['env number', (r) => (run(r).env = { CART_PORT: 3000 }), 'services.shop.run.env.CART_PORT', 'quote it: "3000"'],
  ['env boolean', (r) => (run(r).env = { DEBUG: true }), 'services.shop.run.env.DEBUG', 'quote it: "true"'],
  ['env object', (r) => (run(r).env = { A: {} }), 'services.shop.run.env.A', 'expected a string, got an object'],
  ['env bad name', (r) => (run(r).env = { 'A B': 'x' }), 'services.shop.run.env["A B"]', 'invalid variable name'],
  ['env sets the port', (r) => (run(r).env = { PORT: '1' }), 'services.shop.run.env.PORT', 'PORT is set by lanes'],
  [
    'env sets a custom port variable',
    (r) => Object.assign(run(r), { portEnv: 'HTTP_PORT', env: { HTTP_PORT: '1' } }),
    'services.shop.run.env.HTTP_PORT',
    'HTTP_PORT is set by lanes',
  ],
  ['portEnv invalid', (r) => (run(r).portEnv = 'http port'), 'services.shop.run.portEnv', 'environment variable name'],
  ['cmd instead of command', (r) => (run(r).cmd = 'x'), 'services.shop.run.cmd', 'use "command", a list'],
  ['port in run', (r) => (run(r).port = 1), 'services.shop.run.port', "lanes picks each replica's port"],
  // route
  [
    'pathPrefix relative',
    (r) => (shop(r).route = { pathPrefix: 'shop' }),
    'services.shop.route.pathPrefix',
    'starting with "/"',
  ],
  [
    'pathPrefix query',
    (r) => (shop(r).route = { pathPrefix: '/a?b' }),
    'services.shop.route.pathPrefix',
    'no spaces, "?"',
  ],
  ['pathPrefix on the service', (r) => (shop(r).pathPrefix = '/x'), 'services.shop.pathPrefix', 'route.pathPrefix'],
  [
    'hosts a string',
    (r) => (shop(r).route = { hosts: 'a' }),
    'services.shop.route.hosts',
    'expected a list of hostnames',
  ],
  [
    'host with a port',
    (r) => (shop(r).route = { hosts: ['shop.localhost:8080'] }),
    'services.shop.route.hosts[0]',
    'matched without their port; use "shop.localhost"',
  ],
  ['host wildcard', (r) => (shop(r).route = { hosts: ['*.localhost'] }), 'services.shop.route.hosts[0]', 'wildcards'],
  ['host twice', (r) => (shop(r).route = { hosts: ['a', 'A'] }), 'services.shop.route.hosts[1]', '"a" is listed twice'],
  [
    'same route',
    (r) => {
      withCart(r);
      shop(r).route = { pathPrefix: '/x' };
      r.services.cart.route = { pathPrefix: '/x' };
    },
    'services.cart.route',
    'services "shop" and "cart" both have the route pathPrefix "/x" on any host',
  ],
  [
    'same route on a shared host',
    (r) => {
      withCart(r);
      shop(r).route = { pathPrefix: '/', hosts: ['a', 'b'] };
      r.services.cart.route = { pathPrefix: '/', hosts: ['b'] };
    },
    'services.cart.route',
    'on host b',
  ],
  [
    'default route of a service taken by another',
    (r) => {
      withCart(r);
      shop(r).route = { pathPrefix: '/cart' };
    },
    'services.cart.route',
    'both have the route pathPrefix "/cart"',
  ],
  // health check and numbers
  ['health path relative', (r) => (shop(r).healthCheck = { path: 'healthz' }), 'services.shop.healthCheck.path', '"/"'],
  [
    'interval zero',
    (r) => (shop(r).healthCheck = { intervalMs: 0 }),
    'services.shop.healthCheck.intervalMs',
    'from 1 to 3600000, got 0',
  ],
  [
    'timeout fractional',
    (r) => (shop(r).healthCheck = { timeoutMs: 1.5 }),
    'services.shop.healthCheck.timeoutMs',
    'got 1.5',
  ],
  [
    'health unknown field',
    (r) => (shop(r).healthCheck = { pth: '/' }),
    'services.shop.healthCheck.pth',
    'did you mean "path"?',
  ],
  ['replicas zero', (r) => (shop(r).replicas = 0), 'services.shop.replicas', 'from 1 to 32, got 0'],
  ['replicas 33', (r) => (shop(r).replicas = 33), 'services.shop.replicas', 'from 1 to 32, got 33'],
  ['replicas quoted', (r) => (shop(r).replicas = '2'), 'services.shop.replicas', 'without quotes'],
  [
    'start timeout over an hour',
    (r) => (shop(r).startTimeoutMs = 3_600_001),
    'services.shop.startTimeoutMs',
    'from 1 to 3600000',
  ],
  ['start failures zero', (r) => (shop(r).maxStartFailures = 0), 'services.shop.maxStartFailures', 'from 1 to 100'],
  [
    'whenLaneDown typo',
    (r) => (shop(r).whenLaneDown = 'fallbak'),
    'services.shop.whenLaneDown',
    'did you mean "fallback"?',
  ],
  // lanes
  ['lanes a list', (r) => (shop(r).lanes = ['gray']), 'services.shop.lanes', 'expected an object of lanes by name'],
  [
    'lane default',
    (r) => (shop(r).lanes = { default: {} }),
    'services.shop.lanes.default',
    '"default" is the service\'s own lane: configure it at the service level',
  ],
  ['lane uppercase', (r) => (shop(r).lanes = { Gray: {} }), 'services.shop.lanes.Gray', 'use "gray"'],
  [
    'lane too long',
    (r) => (shop(r).lanes = { ['g'.repeat(58)]: {} }),
    `services.shop.lanes.${'g'.repeat(58)}`,
    'for service "shop" in env "dev" lanes can be at most 57 characters because the Cloud Map name shop--<lane>',
  ],
  [
    'lane with "--"',
    (r) => (shop(r).lanes = { 'dev--b': {} }),
    'services.shop.lanes.dev--b',
    'lane "dev--b" contains "--": "--" separates the parts of AWS names',
  ],
  ['lane not an object', (r) => gray(r, 10), 'services.shop.lanes.gray', 'expected an object, got 10'],
  ['lane env outside run', (r) => gray(r, { env: {} }), 'services.shop.lanes.gray.env', 'belongs in "run.env"'],
  [
    'lane weight negative',
    (r) => gray(r, { weight: -1 }),
    'services.shop.lanes.gray.weight',
    'expected a number >= 0, got -1',
  ],
  ['lane weight quoted', (r) => gray(r, { weight: '10' }), 'services.shop.lanes.gray.weight', 'got "10"'],
  ['lane replicas zero', (r) => gray(r, { replicas: 0 }), 'services.shop.lanes.gray.replicas', 'from 1 to 32'],
  [
    'lane ttl with a space',
    (r) => gray(r, { ttl: '7 days' }),
    'services.shop.lanes.gray.ttl',
    'expected a duration such as "30m"',
  ],
  ['lane ttl a number', (r) => gray(r, { ttl: 7 }), 'services.shop.lanes.gray.ttl', 'a number has no unit'],
  ['lane ttl zero', (r) => gray(r, { ttl: '0m' }), 'services.shop.lanes.gray.ttl', 'got "0m"'],
  ['lane ttlMs', (r) => gray(r, { ttlMs: 1000 }), 'services.shop.lanes.gray.ttlMs', 'use "ttl" with a unit'],
  [
    'lane command a string',
    (r) => gray(r, { run: { command: 'node b.js' } }),
    'services.shop.lanes.gray.run.command',
    '["node", "b.js"]',
  ],
  [
    'lane sets the port',
    (r) => gray(r, { run: { env: { PORT: '1' } } }),
    'services.shop.lanes.gray.run.env.PORT',
    'set by lanes',
  ],
  [
    'lane sets the service port variable',
    (r) => {
      run(r).portEnv = 'HTTP_PORT';
      gray(r, { run: { env: { HTTP_PORT: '1' } } });
    },
    'services.shop.lanes.gray.run.env.HTTP_PORT',
    'HTTP_PORT is set by lanes',
  ],
];

describe('parseProject rejects', () => {
  it.each(invalid)('%s', (_name, change, path, message) => {
    const raw = minimal();
    change(raw);
    const issues = issuesOf(raw);
    expect(issues).toEqual([{ file: FILE, path, message: expect.stringContaining(message) }]);
  });

  it.each([
    ['a list', []],
    ['null', null],
    ['a string', 'shop'],
  ])('a project file that is %s', (_name, raw) => {
    expect(issuesOf(raw)).toEqual([{ file: FILE, path: '', message: expect.stringContaining('expected an object') }]);
  });

  it('a run.cwd that does not exist, when asked to check', () => {
    const raw = minimal();
    run(raw).cwd = 'services';
    raw.services.shop.lanes = { gray: { run: { cwd: '/elsewhere' } } };
    const issues = issuesOf(raw, { ...context(), directoryExists: (path) => path === '/proj' });
    expect(issues).toEqual([
      {
        file: FILE,
        path: 'services.shop.run.cwd',
        message: 'no folder at /proj/services; relative paths start at the project folder /proj',
      },
      { file: FILE, path: 'services.shop.lanes.gray.run.cwd', message: 'no folder at /elsewhere' },
    ]);
  });

  it('an env that cannot be an env name, with a LanesError that names no file', () => {
    for (const env of ['Dev', 'a'.repeat(17), '']) {
      expect(() => parseProject(minimal(), { ...context(), env })).toThrow(LanesError);
      try {
        parseProject(minimal(), { ...context(), env });
      } catch (error) {
        expect((error as LanesError).code).toBe('LANES_ENV_INVALID');
        expect(error).not.toBeInstanceOf(LanesConfigError);
      }
    }
  });

  it('with every problem at once, across files, grouped by file in the message', () => {
    const raw = minimal();
    raw.gateway = { port: 'x' };
    run(raw).command = 'node shop.js';
    run(raw).env = { N: 1 };
    raw.services.shop.lanes = { default: {}, gray: { ttl: '7' } };
    raw.services.Cart = {};
    const ctx = context({ shop: { DesiredCount: 'many' }, cart: {} });
    const issues = issuesOf(raw, ctx);
    expect(issues.map((issue) => `${issue.file}: ${issue.path}`)).toEqual([
      '/proj/params/cart-dev.json: ',
      '/proj/lanes.json: gateway.port',
      '/proj/lanes.json: services.shop.run.command',
      '/proj/lanes.json: services.shop.run.env.N',
      `${SHOP_PARAMS}: DesiredCount`,
      '/proj/lanes.json: services.shop.lanes.default',
      '/proj/lanes.json: services.shop.lanes.gray.ttl',
      '/proj/lanes.json: services.Cart',
    ]);
    let message = '';
    try {
      parseProject(raw, ctx);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('/proj/lanes.json:\n  gateway.port: expected an integer port from 0 to 65535, got "x"');
    expect(message).toContain(`${SHOP_PARAMS}:\n  DesiredCount: expected a whole number`);
  });
});

describe('parseProject with params files', () => {
  it('reports a params file of a service the project file does not have', () => {
    const issues = issuesOf(minimal(), context({ cart: { Env: 'dev' }, infra: {}, boot: {} }));
    expect(issues).toEqual([
      {
        file: '/proj/params/cart-dev.json',
        path: '',
        message: 'no service "cart" in lanes.json; add it under "services" or remove this file',
      },
    ]);
  });

  it('says nothing about params files while the services cannot be read', () => {
    const issues = issuesOf({ services: 'shop' }, context({ shop: {} }));
    expect(issues.map((issue) => issue.file)).toEqual([FILE]);
  });

  it('suggests the service a misnamed params file was meant for', () => {
    const issues = issuesOf(minimal(), context({ shopp: {} }));
    expect(issues[0]?.message).toContain('did you mean "shop" (rename the file to shop-dev.json)?');
  });

  it('names params files the way the project folder was given', () => {
    const issues = issuesOf(minimal(), {
      dir: 'examples/shop',
      file: 'examples/shop/lanes.json',
      env: 'prod',
      params: { cart: {} },
    });
    expect(issues[0]?.file).toBe('examples/shop/params/cart-prod.json');
  });

  it.each([
    ['DesiredCount', '0', 'expected a whole number from 1 to 32 to run locally, got "0"'],
    ['DesiredCount', '33', 'got "33"'],
    ['DesiredCount', '2.5', 'got "2.5"'],
    ['DesiredCount', 'two', 'DesiredCount is the local default of services.shop.replicas: fix it here or set replicas'],
    ['HealthCheckPath', 'healthz', 'expected a path starting with "/"'],
    ['HealthCheckPath', '/a b', 'HealthCheckPath is the local default of services.shop.healthCheck.path'],
  ])('reports %s %j against the params file when the project file leaves it to it', (key, value, message) => {
    const issues = issuesOf(minimal(), context({ shop: { [key]: value } }));
    expect(issues).toEqual([{ file: SHOP_PARAMS, path: key, message: expect.stringContaining(message) }]);
  });

  it('does not judge a params default the project file meant to override but misspelled', () => {
    const raw = minimal();
    shop(raw).replica = 2;
    shop(raw).healthCheck = { pth: '/ready' };
    const issues = issuesOf(raw, context({ shop: { DesiredCount: '0', HealthCheckPath: 'x' } }));
    expect(issues.map((issue) => issue.path)).toEqual(['services.shop.replica', 'services.shop.healthCheck.pth']);
  });

  it('ignores params values the project file overrides', () => {
    const raw = minimal();
    shop(raw).replicas = 2;
    shop(raw).healthCheck = { path: '/ready' };
    const project = parseProject(raw, context({ shop: { DesiredCount: '0', HealthCheckPath: 'x' } }));
    expect(project.services.shop?.replicas).toBe(2);
    expect(project.services.shop?.healthCheck.path).toBe('/ready');
  });
});
