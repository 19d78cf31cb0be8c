import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig, parseGatewayConfig } from './config.js';
import type { GatewayConfig } from './config-types.js';
import { GatewayConfigError } from './errors.js';

const exampleFile = fileURLToPath(new URL('../../../examples/gateway/gateway.json', import.meta.url));

// biome-ignore lint/suspicious/noExplicitAny: test fixtures are edited freely, like a user edits the JSON file.
type Raw = any;

/** The smallest valid input: one service with one default replica. */
function minimal(): Raw {
  return {
    listen: { port: 8080 },
    admin: { port: 9901 },
    services: { shop: { lanes: { default: { replicas: ['http://127.0.0.1:4001'] } } } },
  };
}

function issuesOf(raw: unknown): { path: string; message: string }[] {
  try {
    parseGatewayConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayConfigError);
    return [...(error as GatewayConfigError).issues];
  }
  throw new Error('expected the configuration to be rejected');
}

function parsed(change: (raw: Raw) => void): GatewayConfig {
  const raw = minimal();
  change(raw);
  return parseGatewayConfig(raw);
}

const shop = (raw: Raw) => raw.services.shop;
const lane = (raw: Raw, name = 'default') => raw.services.shop.lanes[name];
const withGray = (raw: Raw) => {
  raw.services.shop.lanes.gray = { replicas: ['http://127.0.0.1:4011'] };
};

type Case = [name: string, change: (raw: Raw) => void, path: string, message: string];

const invalid: Case[] = [
  // top level
  ['unknown field near a known one', (r) => (r.listn = {}), 'listn', 'unknown field "listn" (did you mean "listen"?)'],
  ['unknown field far from any', (r) => (r.zzz = 1), 'zzz', 'known fields: listen, admin'],
  ['$schema not a string', (r) => (r.$schema = 1), '$schema', 'expected a string, got 1'],
  ['missing listen', (r) => delete r.listen, 'listen', 'missing'],
  ['listen not an object', (r) => (r.listen = 8080), 'listen', 'expected an object, got 8080'],
  ['missing listen.port', (r) => delete r.listen.port, 'listen.port', 'missing; give a port number'],
  ['port too large', (r) => (r.listen.port = 70000), 'listen.port', 'from 0 to 65535, got 70000'],
  ['port negative', (r) => (r.listen.port = -1), 'listen.port', 'from 0 to 65535'],
  ['port fractional', (r) => (r.listen.port = 80.5), 'listen.port', 'got 80.5'],
  ['port as string', (r) => (r.listen.port = '8080'), 'listen.port', 'got "8080"'],
  ['host not a string', (r) => (r.listen.host = 1), 'listen.host', 'expected a string'],
  ['host with scheme', (r) => (r.listen.host = 'http://x'), 'listen.host', 'expected an IP address or hostname'],
  ['host with brackets', (r) => (r.listen.host = '[::1]'), 'listen.host', 'without brackets'],
  ['admin on all interfaces', (r) => (r.admin.host = '0.0.0.0'), 'admin.host', 'only binds to loopback'],
  ['admin on a LAN address', (r) => (r.admin.host = '192.168.1.2'), 'admin.host', 'use "127.0.0.1", "::1"'],
  ['missing admin', (r) => delete r.admin, 'admin', 'missing'],
  ['admin on the proxy port', (r) => (r.admin.port = 8080), 'admin.port', 'same port as listen.port (8080)'],
  ['carriers empty', (r) => (r.carriers = []), 'carriers', 'expected a non-empty list of carriers'],
  ['carriers a string', (r) => (r.carriers = 'baggage'), 'carriers', 'got "baggage"'],
  ['unknown carrier', (r) => (r.carriers = ['b3']), 'carriers[0]', 'unknown carrier "b3"; expected one of'],
  ['misspelled carrier', (r) => (r.carriers = ['bagage']), 'carriers[0]', 'did you mean "baggage"?'],
  ['carrier twice', (r) => (r.carriers = ['baggage', 'baggage']), 'carriers[1]', '"baggage" is listed twice'],
  ['requireTraceparent', (r) => (r.requireTraceparent = 'yes'), 'requireTraceparent', 'expected true or false'],
  ['traceContext a number', (r) => (r.traceContext = 2), 'traceContext', 'expected an object'],
  ['traceContext level 3', (r) => (r.traceContext = { level: 3 }), 'traceContext.level', 'from 1 to 2, got 3'],
  ['traceContext level text', (r) => (r.traceContext = { level: '2' }), 'traceContext.level', 'got "2"'],
  ['unknown traceContext field', (r) => (r.traceContext = { levle: 1 }), 'traceContext.levle', 'did you mean "level"?'],
  ['accessLog', (r) => (r.accessLog = 1), 'accessLog', 'expected true or false, got 1'],
  ['timeouts not an object', (r) => (r.timeouts = 5), 'timeouts', 'expected an object'],
  ['timeout zero', (r) => (r.timeouts = { headersMs: 0 }), 'timeouts.headersMs', 'from 1 to 3600000, got 0'],
  ['timeout over an hour', (r) => (r.timeouts = { idleMs: 3600001 }), 'timeouts.idleMs', 'from 1 to 3600000'],
  ['timeout fractional', (r) => (r.timeouts = { upstreamConnectMs: 1.5 }), 'timeouts.upstreamConnectMs', 'got 1.5'],
  ['timeout negative', (r) => (r.timeouts = { upstreamHeadersMs: -1 }), 'timeouts.upstreamHeadersMs', 'got -1'],
  ['timeout as text', (r) => (r.timeouts = { upstreamBodyMs: '60s' }), 'timeouts.upstreamBodyMs', 'got "60s"'],
  ['body timeout zero', (r) => (r.timeouts = { clientBodyMs: 0 }), 'timeouts.clientBodyMs', 'from 1 to 3600000, got 0'],
  ['unknown timeout', (r) => (r.timeouts = { idleMS: 1 }), 'timeouts.idleMS', 'did you mean "idleMs"?'],
  ['header limit small', (r) => (r.limits = { maxHeaderBytes: 1023 }), 'limits.maxHeaderBytes', 'from 1024 to'],
  ['header limit big', (r) => (r.limits = { maxHeaderBytes: 1048577 }), 'limits.maxHeaderBytes', 'to 1048576'],
  ['leaks not an object', (r) => (r.leaks = true), 'leaks', 'expected an object'],
  ['leaks.enabled', (r) => (r.leaks = { enabled: 'on' }), 'leaks.enabled', 'expected true or false, got "on"'],
  ['leaks.maxTraces zero', (r) => (r.leaks = { maxTraces: 0 }), 'leaks.maxTraces', 'from 1 to 1000000, got 0'],
  ['leaks.maxTraces huge', (r) => (r.leaks = { maxTraces: 1e7 }), 'leaks.maxTraces', 'from 1 to 1000000'],
  ['leaks.ttlMs', (r) => (r.leaks = { ttlMs: '5m' }), 'leaks.ttlMs', 'from 1 to 3600000, got "5m"'],
  ['misspelled leaks field', (r) => (r.leaks = { maxTrace: 5 }), 'leaks.maxTrace', 'did you mean "maxTraces"?'],
  // services
  ['no services', (r) => delete r.services, 'services', 'missing; give at least one service'],
  ['empty services', (r) => (r.services = {}), 'services', 'expected at least one service'],
  ['services a list', (r) => (r.services = []), 'services', 'expected an object of services by name, got a list'],
  ['uppercase service', (r) => (r.services.Shop = shop(r)), 'services.Shop', 'invalid service name "Shop"'],
  ['service with space', (r) => (r.services['my shop'] = {}), 'services["my shop"]', 'invalid service name'],
  ['service not an object', (r) => (r.services.shop = []), 'services.shop', 'expected an object, got a list'],
  ['misspelled lanes', (r) => (shop(r).lane = {}), 'services.shop.lane', 'did you mean "lanes"?'],
  ['pathPrefix on the service', (r) => (shop(r).pathPrefix = '/'), 'services.shop.pathPrefix', 'match.pathPrefix'],
  ['missing lanes', (r) => delete shop(r).lanes, 'services.shop.lanes', 'missing; every service needs "lanes"'],
  ['lanes a list', (r) => (shop(r).lanes = []), 'services.shop.lanes', 'expected an object of lanes by name'],
  ['no default lane', (r) => (shop(r).lanes = { gray: lane(r) }), 'services.shop.lanes.default', 'needs a "default"'],
  ['uppercase lane', (r) => (shop(r).lanes.Gray = {}), 'services.shop.lanes.Gray', 'invalid lane name "Gray"'],
  ['underscore lane', (r) => (shop(r).lanes.gray_2 = {}), 'services.shop.lanes.gray_2', 'invalid lane name'],
  ['lane over 63', (r) => (shop(r).lanes['a'.repeat(64)] = {}), `services.shop.lanes.${'a'.repeat(64)}`, 'at most 63'],
  ['lane ending in -', (r) => (shop(r).lanes['pr-'] = {}), 'services.shop.lanes.pr-', 'invalid lane name'],
  ['lane not an object', (r) => (shop(r).lanes.gray = 'x'), 'services.shop.lanes.gray', 'expected an object'],
  ['misspelled replicas', (r) => (lane(r).replica = []), 'services.shop.lanes.default.replica', 'did you mean'],
  ['missing replicas', (r) => delete lane(r).replicas, 'services.shop.lanes.default.replicas', 'missing'],
  ['replicas a string', (r) => (lane(r).replicas = 'http://a:1'), 'services.shop.lanes.default.replicas', 'a list'],
  // replica URLs
  ...(
    [
      ['localhost:3000', 'got "localhost:3000" (did you mean "http://localhost:3000"?)'],
      ['https://127.0.0.1:4001', 'talks plain HTTP to replicas'],
      ['http://127.0.0.1', 'add the port'],
      ['http://127.0.0.1:4001/api', 'remove the path, query or fragment "/api"'],
      ['http://127.0.0.1:4001?x=1', 'remove the path'],
      ['http://127.0.0.1:4001#top', 'remove the path'],
      ['http://user:pw@127.0.0.1:4001', 'credentials are not allowed'],
      ['http://127.0.0.1:0', 'the port must be from 1 to 65535'],
      ['http://127.0.0.1:70000', 'the port must be from 1 to 65535'],
      ['http://:4001', 'expected an http:// URL with host and port'],
      ['http://exa mple:4001', 'expected an http:// URL with host and port'],
      ['', 'expected an http:// URL with host and port, got ""'],
    ] as const
  ).map(
    ([url, message]): Case => [
      `replica ${url}`,
      (r) => (lane(r).replicas = [url]),
      'services.shop.lanes.default.replicas[0]',
      message,
    ],
  ),
  ['replica not a string', (r) => (lane(r).replicas = [4001]), 'services.shop.lanes.default.replicas[0]', 'got 4001'],
  [
    'replica listed twice',
    (r) => lane(r).replicas.push('HTTP://127.0.0.1:04001/'),
    'services.shop.lanes.default.replicas[1]',
    'same as replicas[0] (http://127.0.0.1:4001)',
  ],
  // weights
  ['negative weight', (r) => (lane(r).weight = -1), 'services.shop.lanes.default.weight', 'a number >= 0, got -1'],
  ['weight as text', (r) => (lane(r).weight = '10'), 'services.shop.lanes.default.weight', 'got "10"'],
  ['infinite weight', (r) => (lane(r).weight = Infinity), 'services.shop.lanes.default.weight', 'got Infinity'],
  ['NaN weight', (r) => (lane(r).weight = Number.NaN), 'services.shop.lanes.default.weight', 'got NaN'],
  [
    'all weights zero',
    (r) => {
      withGray(r);
      lane(r).weight = 0;
    },
    'services.shop.lanes',
    'every lane has weight 0',
  ],
  // policies
  ['whenLaneDown', (r) => (shop(r).whenLaneDown = 'drop'), 'services.shop.whenLaneDown', '"fallback" or "reject"'],
  ['stickiness a string', (r) => (shop(r).stickiness = 'x-user'), 'services.shop.stickiness', 'expected an object'],
  ['stickiness empty', (r) => (shop(r).stickiness = {}), 'services.shop.stickiness', 'got neither'],
  [
    'stickiness both',
    (r) => (shop(r).stickiness = { header: 'x-a', cookie: 'a' }),
    'services.shop.stickiness',
    'exactly one of { "header": "<name>" } or { "cookie": "<name>" }, not both',
  ],
  [
    'sticky header with space',
    (r) => (shop(r).stickiness = { header: 'x user' }),
    'services.shop.stickiness.header',
    'expected a header name',
  ],
  ['sticky header empty', (r) => (shop(r).stickiness = { header: '' }), 'services.shop.stickiness.header', 'got ""'],
  [
    'sticky cookie with ;',
    (r) => (shop(r).stickiness = { cookie: 'a;b' }),
    'services.shop.stickiness.cookie',
    'expected a cookie name',
  ],
  ['sticky headr', (r) => (shop(r).stickiness = { headr: 'x' }), 'services.shop.stickiness.headr', 'did you mean'],
  // match
  ['match a list', (r) => (shop(r).match = []), 'services.shop.match', 'expected an object'],
  ['hosts a string', (r) => (shop(r).match = { hosts: 'a' }), 'services.shop.match.hosts', 'expected a list'],
  ['host a number', (r) => (shop(r).match = { hosts: [1] }), 'services.shop.match.hosts[0]', 'expected a hostname'],
  [
    'host with port',
    (r) => (shop(r).match = { hosts: ['Shop.Local:8080'] }),
    'services.shop.match.hosts[0]',
    'without their port; use "shop.local"',
  ],
  ['wildcard host', (r) => (shop(r).match = { hosts: ['*.shop'] }), 'services.shop.match.hosts[0]', 'wildcards'],
  ['host with scheme', (r) => (shop(r).match = { hosts: ['http://a'] }), 'services.shop.match.hosts[0]', 'no scheme'],
  [
    'host twice',
    (r) => (shop(r).match = { hosts: ['shop.local', 'SHOP.local'] }),
    'services.shop.match.hosts[1]',
    'same as hosts[0] (shop.local)',
  ],
  ['relative prefix', (r) => (shop(r).match = { pathPrefix: 'api' }), 'services.shop.match.pathPrefix', 'with "/"'],
  ['prefix with query', (r) => (shop(r).match = { pathPrefix: '/a?b' }), 'services.shop.match.pathPrefix', '"?"'],
  // health
  ['health path', (r) => (shop(r).healthCheck = { path: 'healthz' }), 'services.shop.healthCheck.path', 'with "/"'],
  [
    'health interval',
    (r) => (shop(r).healthCheck = { intervalMs: 0 }),
    'services.shop.healthCheck.intervalMs',
    'from 1 to 3600000',
  ],
  [
    'health timeout',
    (r) => (shop(r).healthCheck = { timeoutMs: 1e9 }),
    'services.shop.healthCheck.timeoutMs',
    'from 1 to 3600000',
  ],
  [
    'healthy threshold',
    (r) => (shop(r).healthCheck = { healthyThreshold: 0 }),
    'services.shop.healthCheck.healthyThreshold',
    'from 1 to 1000, got 0',
  ],
  [
    'unhealthy threshold',
    (r) => (shop(r).healthCheck = { unhealthyThreshold: 1.5 }),
    'services.shop.healthCheck.unhealthyThreshold',
    'got 1.5',
  ],
  [
    'passive failures',
    (r) => (shop(r).passiveHealth = { consecutiveFailures: 0 }),
    'services.shop.passiveHealth.consecutiveFailures',
    'from 1 to 1000',
  ],
  ['eject time', (r) => (shop(r).passiveHealth = { ejectMs: 0 }), 'services.shop.passiveHealth.ejectMs', 'from 1'],
  // two services, one request
  [
    'two catch-all services',
    (r) => (r.services.cart = structuredClone(shop(r))),
    'services.cart.match',
    'services "shop" and "cart" both match pathPrefix "/", any host',
  ],
  [
    'two services sharing a host and prefix',
    (r) => {
      shop(r).match = { hosts: ['a.local', 'b.local'], pathPrefix: '/api' };
      r.services.cart = { ...structuredClone(shop(r)), match: { hosts: ['B.local'], pathPrefix: '/api' } };
    },
    'services.cart.match',
    'both match pathPrefix "/api", host b.local',
  ],
];

describe('parseGatewayConfig rejects', () => {
  it.each(invalid)('%s', (_name, change, path, message) => {
    const raw = minimal();
    change(raw);
    const issues = issuesOf(raw);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe(path);
    expect(issues[0]!.message).toContain(message);
  });

  it.each([
    ['null', null],
    ['a list', []],
    ['a string', 'gateway.json'],
  ])('a root that is %s', (_name, raw) => {
    expect(issuesOf(raw)).toEqual([{ path: '', message: expect.stringContaining('expected an object') }]);
  });
});

describe('parseGatewayConfig accepts', () => {
  it('fills in every default', () => {
    const config: GatewayConfig = parseGatewayConfig(minimal());
    expect(config).toEqual({
      engine: 'node',
      nginx: { laneParser: 'njs' },
      listen: { host: '127.0.0.1', port: 8080 },
      admin: { host: '127.0.0.1', port: 9901 },
      carriers: ['tracestate', 'baggage'],
      requireTraceparent: false,
      traceContext: { level: 2 },
      accessLog: true,
      timeouts: {
        headersMs: 10000,
        idleMs: 5000,
        clientBodyMs: 30000,
        upstreamConnectMs: 2000,
        upstreamHeadersMs: 30000,
        upstreamBodyMs: 60000,
      },
      limits: { maxHeaderBytes: 16384 },
      leaks: { enabled: true, maxTraces: 100000, ttlMs: 300000 },
      admission: {
        trusted: ['127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
        trustedHops: 0,
        openLanes: ['default'],
      },
      services: {
        shop: {
          match: { hosts: [], pathPrefix: '/' },
          whenLaneDown: 'fallback',
          healthCheck: {
            path: '/healthz',
            intervalMs: 2000,
            timeoutMs: 1000,
            healthyThreshold: 2,
            unhealthyThreshold: 2,
          },
          passiveHealth: { consecutiveFailures: 3, ejectMs: 10000 },
          lanes: { default: { replicas: ['http://127.0.0.1:4001'], weight: 100 } },
        },
      },
    });
    expect('stickiness' in config.services.shop!).toBe(false);
  });

  it('fills defaults inside partly given objects', () => {
    const config = parsed((r) => {
      r.timeouts = { idleMs: 1 };
      shop(r).healthCheck = { path: '/ready?full=1' };
      shop(r).passiveHealth = { ejectMs: 5 };
    });
    expect(config.timeouts).toMatchObject({ idleMs: 1, headersMs: 10000 });
    expect(config.services.shop!.healthCheck).toMatchObject({ path: '/ready?full=1', intervalMs: 2000 });
    expect(config.services.shop!.passiveHealth).toEqual({ consecutiveFailures: 3, ejectMs: 5 });
  });

  it('gives the default lane weight 100 and other lanes 0', () => {
    const config = parsed((r) => withGray(r));
    expect(config.services.shop!.lanes.default!.weight).toBe(100);
    expect(config.services.shop!.lanes.gray!.weight).toBe(0);
  });

  it('lets a canary take all untagged traffic', () => {
    const config = parsed((r) => {
      withGray(r);
      lane(r).weight = 0;
      lane(r, 'gray').weight = 2.5;
    });
    expect(config.services.shop!.lanes.gray!.weight).toBe(2.5);
  });

  it('normalises replica URLs to http://host:port', () => {
    const config = parsed((r) => {
      lane(r).replicas = ['HTTP://LocalHost:04001/', 'http://[::1]:4002', 'http://127.0.0.1:80', 'http://my_svc:5000'];
    });
    expect(config.services.shop!.lanes.default!.replicas).toEqual([
      'http://localhost:4001',
      'http://[::1]:4002',
      'http://127.0.0.1:80',
      'http://my_svc:5000',
    ]);
  });

  it('accepts a lane with no replicas yet', () => {
    expect(parsed((r) => (lane(r).replicas = [])).services.shop!.lanes.default!.replicas).toEqual([]);
  });

  it('stores a sticky header lowercase and a sticky cookie as written', () => {
    expect(parsed((r) => (shop(r).stickiness = { header: 'X-User-Id' })).services.shop!.stickiness).toEqual({
      header: 'x-user-id',
    });
    expect(parsed((r) => (shop(r).stickiness = { cookie: 'Lane_Sticky' })).services.shop!.stickiness).toEqual({
      cookie: 'Lane_Sticky',
    });
  });

  it('lowercases match hosts and keeps IPv6 brackets', () => {
    const config = parsed((r) => (shop(r).match = { hosts: ['Shop.Example.COM', '[::1]', '127.0.0.1'] }));
    expect(config.services.shop!.match.hosts).toEqual(['shop.example.com', '[::1]', '127.0.0.1']);
  });

  it.each(['127.0.0.1', '::1', 'localhost', 'LOCALHOST'])('an admin host of %s', (host) => {
    expect(parsed((r) => (r.admin.host = host)).admin.host).toBe(host.toLowerCase());
  });

  it.each(['0.0.0.0', '::', 'gateway.internal', '10.0.0.5'])('a listen host of %s', (host) => {
    expect(parsed((r) => (r.listen.host = host)).listen.host).toBe(host);
  });

  it('lets both listeners pick free ports', () => {
    const config = parsed((r) => {
      r.listen.port = 0;
      r.admin.port = 0;
    });
    expect([config.listen.port, config.admin.port]).toEqual([0, 0]);
  });

  it('accepts services that differ by host or prefix', () => {
    const config = parsed((r) => {
      const copy = () => structuredClone(shop(r));
      r.services.cart = { ...copy(), match: { pathPrefix: '/cart' } };
      r.services.admin = { ...copy(), match: { hosts: ['admin.local'] } };
      r.services.api = { ...copy(), match: { hosts: ['api.local'] } };
    });
    expect(Object.keys(config.services)).toEqual(['shop', 'cart', 'admin', 'api']);
  });

  it('accepts carriers in either order, and just one', () => {
    expect(parsed((r) => (r.carriers = ['baggage', 'tracestate'])).carriers).toEqual(['baggage', 'tracestate']);
    expect(parsed((r) => (r.carriers = ['baggage'])).carriers).toEqual(['baggage']);
  });

  it('accepts $schema and ignores it', () => {
    expect('$schema' in parsed((r) => (r.$schema = './gateway.schema.json'))).toBe(false);
  });

  it('accepts its own output again (GET then PUT /admin/config)', () => {
    const once = parsed((r) => {
      withGray(r);
      shop(r).stickiness = { cookie: 'lane' };
    });
    expect(parseGatewayConfig(structuredClone(once))).toEqual(once);
  });
});

describe('parseGatewayConfig reports', () => {
  it('every issue at once, in file order, naming the file', () => {
    const raw = minimal();
    raw.listen.port = 'x';
    lane(raw).replica = [];
    lane(raw).replicas = ['localhost:1'];
    shop(raw).stickiness = { header: 'a b' };
    let error: unknown;
    try {
      parseGatewayConfig(raw, 'gateway.json');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GatewayConfigError);
    const configError = error as GatewayConfigError;
    expect(configError.code).toBe('GATEWAY_CONFIG_INVALID');
    expect(configError.fault).toBe('user');
    expect(configError.file).toBe('gateway.json');
    expect(configError.issues.map((issue) => issue.path)).toEqual([
      'listen.port',
      'services.shop.stickiness.header',
      'services.shop.lanes.default.replica',
      'services.shop.lanes.default.replicas[0]',
    ]);
    expect(configError.message).toMatch(/^gateway\.json: invalid gateway configuration\n {2}listen\.port: /);
  });

  it('a misspelled required field once, not also as missing', () => {
    const raw = minimal();
    raw.listn = raw.listen;
    delete raw.listen;
    lane(raw).replica = lane(raw).replicas;
    delete lane(raw).replicas;
    shop(raw).stickiness = { haeder: 'x-user' };
    expect(issuesOf(raw)).toEqual([
      { path: 'listn', message: 'unknown field "listn" (did you mean "listen"?)' },
      { path: 'services.shop.stickiness.haeder', message: 'unknown field "haeder" (did you mean "header"?)' },
      { path: 'services.shop.lanes.default.replica', message: 'unknown field "replica" (did you mean "replicas"?)' },
    ]);
  });

  it('a lane name that looks like a misspelled default', () => {
    const raw = minimal();
    shop(raw).lanes = { defualt: lane(raw) };
    expect(issuesOf(raw)).toEqual([
      {
        path: 'services.shop.lanes.default',
        message: expect.stringContaining('(is "defualt" meant to be "default"?)'),
      },
    ]);
  });

  it('each colliding service once, and no collision for a match it got wrong', () => {
    const raw = minimal();
    for (const name of ['cart', 'user', 'search']) raw.services[name] = structuredClone(shop(raw));
    raw.services.search.match = { pathPrefix: 'search' };
    expect(issuesOf(raw)).toEqual([
      { path: 'services.search.match.pathPrefix', message: expect.stringContaining('starting with "/"') },
      { path: 'services.cart.match', message: expect.stringContaining('services "shop" and "cart" both match') },
      { path: 'services.user.match', message: expect.stringContaining('services "shop" and "user" both match') },
    ]);
  });

  it('an issue per bad entry of a list', () => {
    const issues = issuesOf({ ...minimal(), carriers: ['tracestate', 'x', 'baggage', 'y'] });
    expect(issues.map((issue) => issue.path)).toEqual(['carriers[1]', 'carriers[3]']);
  });
});

describe('loadGatewayConfig', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gateway-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function loadFailure(file: string): Promise<GatewayConfigError> {
    const error = await loadGatewayConfig(file).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(GatewayConfigError);
    return error as GatewayConfigError;
  }

  it('reads the example file', async () => {
    const config = await loadGatewayConfig(exampleFile);
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(config.admin).toEqual({ host: '127.0.0.1', port: 9901 });
    expect(config.services.shop!.stickiness).toEqual({ header: 'x-user-id' });
    expect(config.services.shop!.lanes).toEqual({
      default: { replicas: ['http://127.0.0.1:4001', 'http://127.0.0.1:4002'], weight: 90 },
      gray: { replicas: ['http://127.0.0.1:4011'], weight: 10 },
    });
  });

  it('names a missing file', async () => {
    const file = join(dir, 'missing.json');
    const error = await loadFailure(file);
    expect(error.file).toBe(file);
    expect(error.message).toContain(file);
    expect(error.issues[0]!.message).toContain('file not found');
  });

  it('names a folder given as the file', async () => {
    expect((await loadFailure(dir)).issues[0]!.message).toContain('folder');
  });

  it('gives the line and column of a JSON syntax error', async () => {
    const file = join(dir, 'trailing-comma.json');
    await writeFile(file, '{\n  "listen": { "port": 8080 },\n}\n');
    const error = await loadFailure(file);
    expect(error.file).toBe(file);
    expect(error.issues).toEqual([{ path: '', message: expect.stringContaining('invalid JSON at line 3, column 1') }]);
  });

  it('validates the content and names the file', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ ...minimal(), carriers: [] }));
    const error = await loadFailure(file);
    expect(error.issues.map((issue) => issue.path)).toEqual(['carriers']);
    expect(error.message.startsWith(`${file}: `)).toBe(true);
  });

  it('reads a file saved with a byte-order mark', async () => {
    const file = join(dir, 'bom.json');
    await writeFile(file, `\uFEFF${JSON.stringify(minimal())}`);
    expect((await loadGatewayConfig(file)).listen.port).toBe(8080);
  });
});

describe('parseGatewayConfig admission', () => {
  it('reads trusted CIDRs, hops, open lanes and tokens, resolving the key file next to the config file', () => {
    const config = parseGatewayConfig(
      {
        ...minimal(),
        admission: {
          trusted: ['10.0.0.0/8', '::ffff:192.0.2.0/120', '2001:db8::/32', '198.51.100.7'],
          trustedHops: 2,
          tokens: { keyFile: 'keys/lane-token.key', maxTtlMs: 3_600_000 },
          openLanes: ['default', 'demo'],
        },
      },
      '/etc/lanes/gateway.json',
    );
    expect(config.admission).toEqual({
      trusted: ['10.0.0.0/8', '::ffff:192.0.2.0/120', '2001:db8::/32', '198.51.100.7'],
      trustedHops: 2,
      tokens: { keyFile: '/etc/lanes/keys/lane-token.key', maxTtlMs: 3_600_000 },
      openLanes: ['default', 'demo'],
    });
  });

  it('fills the defaults of a partly given block; [] trusts nobody', () => {
    expect(parsed((r) => (r.admission = { trusted: [] })).admission).toEqual({
      trusted: [],
      trustedHops: 0,
      openLanes: ['default'],
    });
  });

  it('names the path of every bad entry', () => {
    const raw = minimal();
    raw.admission = {
      trusted: ['10.0.0.0/33', 'example.com', 7, '10.0.0.0/8', '10.0.0.0/8', 'fe80::/129'],
      trustedHops: -1,
      tokens: { maxTtlMs: 10 },
      openLanes: ['GRAY'],
      open: [],
    };
    expect(issuesOf(raw)).toEqual([
      { path: 'admission.open', message: expect.stringContaining('unknown field "open"') },
      {
        path: 'admission.trusted[0]',
        message: expect.stringContaining('prefix length must be a whole number from 0 to 32'),
      },
      { path: 'admission.trusted[1]', message: expect.stringContaining('expected an IPv4 or IPv6 address') },
      { path: 'admission.trusted[2]', message: 'expected a string, got 7' },
      { path: 'admission.trusted[4]', message: '"10.0.0.0/8" is listed twice' },
      { path: 'admission.trusted[5]', message: expect.stringContaining('from 0 to 128') },
      { path: 'admission.trustedHops', message: expect.stringContaining('from 0 to 10') },
      { path: 'admission.openLanes[0]', message: expect.stringContaining('"GRAY" is not a lane name') },
      { path: 'admission.tokens.keyFile', message: expect.stringContaining('missing') },
      { path: 'admission.tokens.maxTtlMs', message: expect.stringContaining('from 1000 to 2592000000') },
    ]);
  });
});
