import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../config.js';
import { GatewayConfigError } from '../errors.js';
import { buildNativeLaneModule } from './native-module.js';
import { NJS_LANES_FILE } from './nginx-engine.js';
import { renderNginxConfig } from './render-config.js';

const here = dirname(fileURLToPath(import.meta.url));
const goldenDir = join(here, '__golden__');
const update = process.env.UPDATE_GOLDEN === '1';
const FIXED = { prefix: '/var/tmp/lanes-nginx-golden', njsFile: '/opt/lanes/njs/lanes.js' };
/** The two ways nginx reads the lane: njs per request, or the native module (native/). */
const PARSERS = {
  njs: { suffix: '', fixed: {} },
  native: { suffix: '.native', fixed: { laneModule: '/opt/lanes/native/ngx_http_lanes_module.so' } },
} as const;

let builtModule = '';
beforeAll(async () => {
  // A real gcc build against nginx-dev, once per nginx version and module source (cached in ~/.cache/lanes).
  builtModule = (await buildNativeLaneModule()).path;
}, 300_000);

/** Configurations that between them use every part of the renderer. */
const CONFIGS: Record<string, unknown> = {
  minimal: {
    listen: { port: 8080 },
    admin: { port: 0 },
    services: { shop: { lanes: { default: { replicas: ['http://127.0.0.1:3000'] } } } },
  },
  full: {
    listen: { host: '0.0.0.0', port: 8443 },
    admin: { port: 0 },
    carriers: ['baggage', 'tracestate'],
    traceContext: { level: 1 },
    accessLog: false,
    limits: { maxHeaderBytes: 8192 },
    timeouts: { upstreamConnectMs: 500, upstreamHeadersMs: 5000, upstreamBodyMs: 20000, idleMs: 7000 },
    admission: { trusted: ['10.0.0.0/8', 'fd00::/8'], openLanes: ['default', 'demo'] },
    services: {
      shop: {
        stickiness: { cookie: 'lane_key' },
        passiveHealth: { consecutiveFailures: 5, ejectMs: 2500 },
        lanes: {
          default: { replicas: ['http://127.0.0.1:3000', 'http://127.0.0.1:3001'], weight: 90 },
          gray: { replicas: ['http://127.0.0.1:3002'], weight: 10 },
          demo: { replicas: [] },
        },
      },
      'cart-api': {
        match: { hosts: ['cart.example.com', 'cart.localhost'], pathPrefix: '/api' },
        whenLaneDown: 'reject',
        stickiness: { header: 'X-User-Id' },
        lanes: {
          default: { replicas: ['http://127.0.0.1:4000'], weight: 2 },
          blue: { replicas: ['http://127.0.0.1:4001'], weight: 1 },
          'pr-7': { replicas: [] },
        },
      },
    },
  },
};

const temp: string[] = [];
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

describe('renderNginxConfig', () => {
  // Regenerate with `UPDATE_GOLDEN=1 npx vitest run packages/lane-gateway/src/nginx`; CI fails on any difference.
  for (const [name, raw] of Object.entries(CONFIGS)) {
    for (const [parser, { suffix, fixed }] of Object.entries(PARSERS)) {
      it(`renders ${name} with the ${parser} lane parser as its golden file`, () => {
        const { text } = renderNginxConfig(parseGatewayConfig(raw), { ...FIXED, ...fixed });
        const golden = join(goldenDir, `${name}${suffix}.nginx.conf.golden`);
        if (update) {
          mkdirSync(goldenDir, { recursive: true });
          writeFileSync(golden, text);
        }
        expect(text, `${name} differs from its golden file; regenerate with UPDATE_GOLDEN=1`).toBe(
          readFileSync(golden, 'utf8'),
        );
      });

      it(`renders ${name} with the ${parser} lane parser as a file nginx -t accepts`, () => {
        const prefix = mkdtempSync(join(tmpdir(), 'lanes-nginx-t-'));
        temp.push(prefix);
        chmodSync(prefix, 0o755);
        const conf = join(prefix, 'nginx.conf');
        const laneModule = parser === 'native' ? { laneModule: builtModule } : {};
        const config = parseGatewayConfig(raw);
        writeFileSync(conf, renderNginxConfig(config, { prefix, njsFile: NJS_LANES_FILE, ...laneModule }).text);
        // Throws with nginx's own message when the file is refused.
        execFileSync('nginx', ['-t', '-q', '-p', prefix, '-c', conf, '-e', join(prefix, 'error.log')], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      });
    }
  }

  it('is pure: the same configuration renders the same text', () => {
    const config = parseGatewayConfig(CONFIGS.full);
    expect(renderNginxConfig(config, FIXED).text).toBe(renderNginxConfig(config, FIXED).text);
  });

  it('renders a replica the health checks hold unhealthy as down, in its lane and as a backup', () => {
    const config = parseGatewayConfig(CONFIGS.full);
    const down = new Set(['http://127.0.0.1:3001']);
    const lines = renderNginxConfig(config, { ...FIXED, down }).text.split('\n');
    const of3001 = lines.filter((line) => line.includes('server 127.0.0.1:3001 '));
    expect(of3001.length).toBeGreaterThan(1);
    for (const line of of3001) expect(line).toMatch(/ down;$/);
    expect(lines.filter((line) => line.endsWith(' down;'))).toHaveLength(of3001.length);
  });

  it('lists what nginx leaves out, by path', () => {
    const { ignored } = renderNginxConfig(parseGatewayConfig(CONFIGS.full), FIXED);
    // Active health checks and the admin API are the supervisor's (nginx-gateway.ts), so only leaks are left out.
    expect(ignored.map((i) => i.path)).toEqual(['leaks']);
  });

  it('refuses what nginx would have to fake, every issue with its path', () => {
    const raw = {
      listen: { port: 0 },
      admin: { port: 0 },
      requireTraceparent: true,
      admission: { trustedHops: 1, tokens: { keyFile: '/tmp/never-read-key' } },
      services: {
        shop: { stickiness: { cookie: 'lane-key' }, lanes: { default: { replicas: ['http://127.0.0.1:1'] } } },
      },
    };
    // The token key file is read by the Node engine only; parsing does not touch it.
    const config = parseGatewayConfig(raw);
    let error: unknown;
    try {
      renderNginxConfig(config, FIXED);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GatewayConfigError);
    expect((error as GatewayConfigError).issues.map((i) => i.path)).toEqual([
      'admission.tokens',
      'admission.trustedHops',
      'requireTraceparent',
      'listen.port',
      'services.shop.stickiness.cookie',
    ]);
  });
});
