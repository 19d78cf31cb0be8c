import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { describe, ObjectFields, readJsonText } from '@lanes/json-config';
import { LANE_CARRIERS } from '@lanes/trace-context';
import { readAdmission } from './config-admission.js';
import {
  CONFIG_DEFAULTS,
  MAX_HEADER_BYTES_RANGE,
  MS_RANGE,
  PORT_RANGE,
  TRACE_CONTEXT_LEVEL_RANGE,
} from './config-defaults.js';
import { gatewayIssues } from './config-issues.js';
import { isBindHost, LOOPBACK_HOSTS } from './config-names.js';
import { readServices } from './config-service.js';
import {
  type AdminConfig,
  GATEWAY_ENGINES,
  type GatewayConfig,
  type ListenAddress,
  NGINX_LANE_PARSERS,
  type NginxEngineConfig,
  type TimeoutsConfig,
  type TraceContextConfig,
} from './config-types.js';
import { GatewayConfigError } from './errors.js';
import { readLeaksConfig } from './leaks/read-leaks-config.js';

/** `$schema` lets editors find gateway.schema.json; it means nothing to the gateway. */
const TOP_FIELDS = [
  '$schema',
  'listen',
  'admin',
  'carriers',
  'requireTraceparent',
  'traceContext',
  'accessLog',
  'timeouts',
  'limits',
  'leaks',
  'admission',
  'services',
  'engine',
  'nginx',
] as const;
const LISTEN_FIELDS = ['host', 'port'] as const;
const ADMIN_FIELDS = ['host', 'port', 'tokenFile'] as const;
const TIMEOUT_FIELDS = [
  'headersMs',
  'idleMs',
  'clientBodyMs',
  'upstreamConnectMs',
  'upstreamHeadersMs',
  'upstreamBodyMs',
] as const;
const LIMIT_FIELDS = ['maxHeaderBytes'] as const;
const TRACE_CONTEXT_FIELDS = ['level'] as const;
const NGINX_FIELDS = ['laneParser'] as const;
const CARRIER_NAMES = { item: 'carrier', list: 'carriers in precedence order' };

function readAddress(root: ObjectFields, key: 'listen' | 'admin', file?: string): AdminConfig {
  const fields = root.object(key, key === 'admin' ? ADMIN_FIELDS : LISTEN_FIELDS);
  if (!fields) {
    if (!root.has(key)) root.missing(key, 'missing; give at least { "port": <number> } (0 picks a free port)');
    return { host: CONFIG_DEFAULTS.host, port: 0 };
  }
  const tokenFile = key === 'admin' ? fields.text('tokenFile', 'the path of the admin token file') : undefined;
  const extra: { tokenFile?: string } = {};
  if (tokenFile !== undefined) {
    extra.tokenFile = isAbsolute(tokenFile) ? tokenFile : resolve(file ? dirname(file) : '.', tokenFile);
  }
  const port = fields.integer('port', { ...PORT_RANGE, missing: 'give a port number (0 picks a free port)' });
  const raw = fields.string('host');
  if (raw === undefined) return { host: CONFIG_DEFAULTS.host, port, ...extra };
  const host = raw.toLowerCase();
  if (!isBindHost(host)) {
    const hint = host.startsWith('[') ? ' (write IPv6 addresses without brackets)' : ' (no scheme or port)';
    fields.report(fields.at('host'), `expected an IP address or hostname${hint}, got ${describe(raw)}`);
  } else if (key === 'admin' && !LOOPBACK_HOSTS.includes(host)) {
    fields.report(
      fields.at('host'),
      `the admin API is for this machine only, so it only binds to loopback: use "127.0.0.1", "::1" or "localhost", got ${describe(raw)}`,
    );
  }
  return { host, port, ...extra };
}

function readTimeouts(root: ObjectFields): TimeoutsConfig {
  const defaults = CONFIG_DEFAULTS.timeouts;
  const fields = root.object('timeouts', TIMEOUT_FIELDS);
  if (!fields) return { ...defaults };
  const read = (key: keyof TimeoutsConfig) => fields.integer(key, { ...MS_RANGE, default: defaults[key] });
  return {
    headersMs: read('headersMs'),
    idleMs: read('idleMs'),
    clientBodyMs: read('clientBodyMs'),
    upstreamConnectMs: read('upstreamConnectMs'),
    upstreamHeadersMs: read('upstreamHeadersMs'),
    upstreamBodyMs: read('upstreamBodyMs'),
  };
}

/** `traceContext` of a config object; lanes.json's `gateway` block reads its own with it, so both say the same. */
export function readTraceContext(root: ObjectFields): TraceContextConfig {
  const fields = root.object('traceContext', TRACE_CONTEXT_FIELDS);
  if (!fields) return { ...CONFIG_DEFAULTS.traceContext };
  const level = fields.integer('level', { ...TRACE_CONTEXT_LEVEL_RANGE, default: CONFIG_DEFAULTS.traceContext.level });
  return { level: level === 1 ? 1 : 2 };
}

/** `nginx` of a gateway configuration (also read by lanes.json's `gateway.nginx`), defaults filled in. */
export function readNginxEngineConfig(root: ObjectFields): NginxEngineConfig {
  const fields = root.object('nginx', NGINX_FIELDS);
  if (!fields) return { ...CONFIG_DEFAULTS.nginx };
  return { laneParser: fields.choice('laneParser', NGINX_LANE_PARSERS, CONFIG_DEFAULTS.nginx.laneParser) };
}

/**
 * Validates a gateway configuration (the parsed JSON of a config file) and fills in every default.
 * Reports every problem at once, each with its JSON path, in one `GatewayConfigError`.
 */
export function parseGatewayConfig(raw: unknown, file?: string): GatewayConfig {
  const issues = gatewayIssues();
  const root = ObjectFields.open(raw, '', issues, TOP_FIELDS);
  if (!root) throw new GatewayConfigError(issues.all, file);
  root.string('$schema');
  const listen: ListenAddress = readAddress(root, 'listen');
  const admin = readAddress(root, 'admin', file);
  if (admin.port !== 0 && admin.port === listen.port) {
    root.report('admin.port', `same port as listen.port (${listen.port}); give the admin API a port of its own`);
  }
  const limits = root.object('limits', LIMIT_FIELDS);
  const config: GatewayConfig = {
    engine: root.choice('engine', GATEWAY_ENGINES, CONFIG_DEFAULTS.engine),
    nginx: readNginxEngineConfig(root),
    listen,
    admin,
    carriers: root.choiceList('carriers', LANE_CARRIERS, CONFIG_DEFAULTS.carriers, CARRIER_NAMES),
    requireTraceparent: root.boolean('requireTraceparent', CONFIG_DEFAULTS.requireTraceparent),
    traceContext: readTraceContext(root),
    accessLog: root.boolean('accessLog', CONFIG_DEFAULTS.accessLog),
    timeouts: readTimeouts(root),
    limits: {
      maxHeaderBytes: limits
        ? limits.integer('maxHeaderBytes', {
            ...MAX_HEADER_BYTES_RANGE,
            default: CONFIG_DEFAULTS.limits.maxHeaderBytes,
          })
        : CONFIG_DEFAULTS.limits.maxHeaderBytes,
    },
    leaks: readLeaksConfig(root),
    admission: readAdmission(root, file),
    services: readServices(root),
  };
  if (issues.all.length > 0) throw new GatewayConfigError(issues.all, file);
  return config;
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found; check the path given to --config';
  if (code === 'EISDIR') return 'this is a folder; give the path of a JSON file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied reading the file';
  return `cannot read the file: ${(error as Error).message}`;
}

/** Reads, parses and validates a config file; every failure (missing, unreadable, bad JSON) names the file. */
export async function loadGatewayConfig(file: string): Promise<GatewayConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new GatewayConfigError([{ path: '', message: readFailure(error) }], file);
  }
  const issues = gatewayIssues();
  const parsed = readJsonText(text, issues);
  if (!parsed) throw new GatewayConfigError(issues.all, file);
  return parseGatewayConfig(parsed.value, file);
}
