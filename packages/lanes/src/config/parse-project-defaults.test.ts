import { describe, expect, it } from 'vitest';
import type { Project } from '../model.js';
import { type ProjectContext, parseProject } from './parse-project.js';

// biome-ignore lint/suspicious/noExplicitAny: fixtures are edited freely, like a user edits the JSON file.
type Raw = any;

function context(params: ProjectContext['params'] = {}): ProjectContext {
  return { dir: '/work/shop-demo', file: '/work/shop-demo/lanes.json', env: 'dev', params };
}

function parsed(raw: Raw, params: ProjectContext['params'] = {}): Project {
  return parseProject(raw, context(params));
}

/** The example of docs/project-file.md. */
const example: Raw = {
  $schema: './packages/lanes/lanes.schema.json',
  project: 'shop-demo',
  stateDir: '.lanes',
  gateway: { port: 8080, adminPort: 9901, carriers: ['tracestate', 'baggage'] },
  services: {
    shop: {
      route: { pathPrefix: '/shop' },
      run: {
        command: ['node', 'services/shop.js'],
        cwd: '.',
        env: { CART_URL: 'http://127.0.0.1:8080/cart' },
        portEnv: 'PORT',
      },
      healthCheck: { path: '/healthz', intervalMs: 1000, timeoutMs: 1000 },
      replicas: 2,
      startTimeoutMs: 15000,
      maxStartFailures: 3,
      whenLaneDown: 'fallback',
      lanes: {
        gray: { run: { env: { VERSION: '1.1.0' } }, weight: 10, replicas: 1, ttl: '7d' },
      },
    },
  },
};

describe('parseProject aws', () => {
  it('reads the match mode and a raised rules quota', () => {
    const project = parsed({
      aws: { headerMatch: 'wildcard', albRulesQuota: 200 },
      services: { web: { run: { command: ['x'] } } },
    });
    expect(project.aws).toEqual({ headerMatch: 'wildcard', albRulesQuota: 200 });
  });

  it('keeps the defaults for what the block leaves out', () => {
    const project = parsed({ aws: { albRulesQuota: 150 }, services: { web: { run: { command: ['x'] } } } });
    expect(project.aws).toEqual({ headerMatch: 'regex', albRulesQuota: 150 });
  });
});

describe('parseProject defaults', () => {
  it('fills in every default of a minimal project', () => {
    const project = parsed({ services: { web: { run: { command: ['node', 'server.js'] } } } });
    expect(project).toEqual({
      dir: '/work/shop-demo',
      file: '/work/shop-demo/lanes.json',
      name: 'shop-demo',
      env: 'dev',
      stateDir: '/work/shop-demo/.lanes',
      gateway: {
        engine: 'node',
        host: '127.0.0.1',
        port: 8080,
        adminPort: 9901,
        carriers: ['tracestate', 'baggage'],
        crashLoop: { maxRestarts: 5, windowMs: 120_000, initialBackoffMs: 1000, maxBackoffMs: 30_000 },
      },
      aws: { headerMatch: 'regex', albRulesQuota: 100 },
      admission: {
        trusted: ['127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
        trustedHops: 0,
        tokens: { keyFile: '/work/shop-demo/.lanes/lane-token.key', maxTtlMs: 86_400_000 },
        openLanes: ['default'],
      },
      services: {
        web: {
          name: 'web',
          route: { pathPrefix: '/', hosts: [] },
          run: { command: ['node', 'server.js'], cwd: '/work/shop-demo', env: {}, portEnv: 'PORT' },
          healthCheck: {
            path: '/healthz',
            intervalMs: 1000,
            timeoutMs: 1000,
            healthyThreshold: 1,
            unhealthyThreshold: 2,
          },
          replicas: 1,
          startTimeoutMs: 15000,
          drainMs: 300,
          maxStartFailures: 3,
          whenLaneDown: 'fallback',
          passiveHealth: { consecutiveFailures: 3, ejectMs: 10_000 },
          crashLoop: {
            maxRestarts: 5,
            windowMs: 120_000,
            initialBackoffMs: 1000,
            maxBackoffMs: 30_000,
            onLoop: 'mark-unhealthy',
          },
          lanes: {},
          params: {},
        },
      },
    } satisfies Project);
  });

  it('reads the documented example', () => {
    const project = parsed(example);
    const shop = project.services.shop!;
    expect(project.name).toBe('shop-demo');
    expect(shop.run).toEqual({
      command: ['node', 'services/shop.js'],
      cwd: '/work/shop-demo',
      env: { CART_URL: 'http://127.0.0.1:8080/cart' },
      portEnv: 'PORT',
    });
    expect(shop.replicas).toBe(2);
    expect(shop.lanes).toEqual({
      gray: { run: { env: { VERSION: '1.1.0' } }, weight: 10, replicas: 1, ttlMs: 7 * 86_400_000 },
    });
  });

  it('routes each of several services under its own name', () => {
    const project = parsed({
      services: {
        shop: { run: { command: ['a'] } },
        cart: { run: { command: ['b'] }, route: { hosts: ['Cart.Localhost'] } },
        root: { run: { command: ['c'] }, route: { pathPrefix: '/' } },
      },
    });
    expect(project.services.shop?.route).toEqual({ pathPrefix: '/shop', hosts: [] });
    expect(project.services.cart?.route).toEqual({ pathPrefix: '/cart', hosts: ['cart.localhost'] });
    expect(project.services.root?.route).toEqual({ pathPrefix: '/', hosts: [] });
  });

  it('lets two services share a path prefix on different hosts', () => {
    const project = parsed({
      services: {
        a: { run: { command: ['a'] }, route: { pathPrefix: '/', hosts: ['a.localhost'] } },
        b: { run: { command: ['b'] }, route: { pathPrefix: '/', hosts: ['b.localhost'] } },
      },
    });
    expect(Object.keys(project.services)).toEqual(['a', 'b']);
  });

  it('resolves paths against the project folder, and keeps absolute ones', () => {
    const project = parsed({
      stateDir: '/var/lanes',
      services: {
        shop: {
          run: { command: ['node', 'x.js'], cwd: 'services/shop' },
          lanes: { gray: { run: { cwd: '../other' } } },
        },
      },
    });
    expect(project.stateDir).toBe('/var/lanes');
    expect(project.services.shop?.run.cwd).toBe('/work/shop-demo/services/shop');
    expect(project.services.shop?.lanes.gray?.run).toEqual({ cwd: '/work/other' });
  });

  it('keeps a lane run spec partial, for the deploy to merge over the service', () => {
    const project = parsed({
      services: {
        shop: {
          run: { command: ['node', 'x.js'], env: { A: '1' } },
          lanes: {
            gray: {},
            blue: { run: { command: ['node', 'y.js'], portEnv: 'HTTP_PORT', env: { PORT: '1' } } },
          },
        },
      },
    });
    expect(project.services.shop?.lanes).toEqual({
      gray: { run: {}, weight: 0, replicas: undefined, ttlMs: undefined },
      blue: {
        run: { command: ['node', 'y.js'], portEnv: 'HTTP_PORT', env: { PORT: '1' } },
        weight: 0,
        replicas: undefined,
        ttlMs: undefined,
      },
    });
  });

  it('takes the gateway traceContext level, checked as the gateway checks it, Level 2 when absent', () => {
    const services = { shop: { run: { command: ['node', 'server.js'] } } };
    expect(parsed({ gateway: { traceContext: { level: 1 } }, services }).gateway.traceContext).toEqual({ level: 1 });
    expect(parsed({ services }).gateway.traceContext).toBeUndefined();
    expect(() => parsed({ gateway: { traceContext: { level: 3 } }, services })).toThrow(/gateway\.traceContext\.level/);
  });

  it('takes the gateway nginx lane parser, checked as the gateway checks it, absent when not given', () => {
    const services = { shop: { run: { command: ['node', 'server.js'] } } };
    const native = parsed({ gateway: { engine: 'nginx', nginx: { laneParser: 'native' } }, services });
    expect(native.gateway.nginx).toEqual({ laneParser: 'native' });
    expect(parsed({ services }).gateway.nginx).toBeUndefined();
    expect(() => parsed({ gateway: { nginx: { laneParser: 'lua' } }, services })).toThrow(/gateway\.nginx\.laneParser/);
  });

  it('takes the gateway leaks block, checked as the gateway checks it, with paths in the project file', () => {
    const services = { web: { run: { command: ['x'] } } };
    const given = parsed({ gateway: { leaks: { maxTraces: 5000 } }, services });
    expect(given.gateway.leaks).toEqual({ enabled: true, maxTraces: 5000, ttlMs: 300000 });
    expect(parsed({ services }).gateway.leaks).toBeUndefined();
    expect(() => parsed({ gateway: { leaks: { enabled: 'yes', maxTraces: 0 } }, services })).toThrow(
      /gateway\.leaks\.enabled: expected true or false[\s\S]*gateway\.leaks\.maxTraces: expected a whole number of traces from 1/,
    );
  });

  it('takes the gateway settings given, and lets both ports be picked freely', () => {
    const project = parsed({
      gateway: {
        engine: 'nginx',
        host: 'LOCALHOST',
        port: 0,
        adminPort: 0,
        carriers: ['baggage'],
        crashLoop: { maxRestarts: 2, initialBackoffMs: 50 },
      },
      services: { web: { run: { command: ['x'] } } },
    });
    expect(project.gateway).toEqual({
      engine: 'nginx',
      host: 'localhost',
      port: 0,
      adminPort: 0,
      carriers: ['baggage'],
      crashLoop: { maxRestarts: 2, windowMs: 120_000, initialBackoffMs: 50, maxBackoffMs: 30_000 },
    });
  });

  it('refuses an engine it does not have, naming the choices', () => {
    expect(() => parsed({ gateway: { engine: 'envoy' }, services: { web: { run: { command: ['x'] } } } })).toThrow(
      /gateway\.engine.*node.*nginx/,
    );
  });

  it('accepts IP addresses where they fit', () => {
    const project = parsed({
      gateway: { host: '::1' },
      services: { web: { run: { command: ['x'] }, route: { hosts: ['[::1]', '127.0.0.1', 'my_app.local'] } } },
    });
    expect(project.gateway.host).toBe('::1');
    expect(project.services.web?.route.hosts).toEqual(['[::1]', '127.0.0.1', 'my_app.local']);
  });

  it('names the project after its folder unless told otherwise', () => {
    expect(parsed({ project: ' shop ', services: { web: { run: { command: ['x'] } } } }).name).toBe('shop');
  });
});

describe('parseProject with params files', () => {
  const raw = () => ({ services: { shop: { run: { command: ['node', 'x.js'] } } } });
  const params = { shop: { DesiredCount: '3', HealthCheckPath: '/ready', ImageUri: 'repo/shop:1' } };

  it('takes DesiredCount and HealthCheckPath as defaults, and keeps every parameter', () => {
    const shop = parsed(raw(), params).services.shop!;
    expect(shop.replicas).toBe(3);
    expect(shop.healthCheck.path).toBe('/ready');
    expect(shop.params).toEqual(params.shop);
  });

  it('lets the project file win', () => {
    const project = raw() as Raw;
    project.services.shop.replicas = 1;
    project.services.shop.healthCheck = { path: '/healthz' };
    const shop = parsed(project, params).services.shop!;
    expect(shop.replicas).toBe(1);
    expect(shop.healthCheck.path).toBe('/healthz');
    expect(shop.params.DesiredCount).toBe('3');
  });

  it('uses a params health path with the project file timings', () => {
    const project = raw() as Raw;
    project.services.shop.healthCheck = { intervalMs: 500 };
    expect(parsed(project, params).services.shop?.healthCheck).toEqual({
      path: '/ready',
      intervalMs: 500,
      timeoutMs: 1000,
      healthyThreshold: 1,
      unhealthyThreshold: 2,
    });
  });

  it('says nothing about infra and boot parameter files', () => {
    expect(() => parsed(raw(), { infra: { Env: 'dev' }, boot: {} })).not.toThrow();
  });
});
