import { belongsIn, childPath, closestName, describe, isJsonObject, ObjectFields } from '@lanes/json-config';
import { isValidLaneName } from '@lanes/trace-context';
import { CONFIG_DEFAULTS, MS_RANGE, THRESHOLD_RANGE } from './config-defaults.js';
import type { GatewayIssues } from './config-issues.js';
import { type Checked, checkMatchHost, checkReplicaUrl, isDnsLabel, isHttpToken } from './config-names.js';
import type {
  HealthCheckConfig,
  LaneConfig,
  PassiveHealthConfig,
  ServiceConfig,
  ServiceMatch,
  Stickiness,
} from './config-types.js';
import { LANE_DOWN_POLICIES } from './config-types.js';

const SERVICE_FIELDS = ['match', 'whenLaneDown', 'stickiness', 'healthCheck', 'passiveHealth', 'lanes'] as const;
/** Fields people put on the service that belong one level down. */
const SERVICE_ELSEWHERE = {
  hosts: belongsIn('match.hosts'),
  pathPrefix: belongsIn('match.pathPrefix'),
  replicas: belongsIn('lanes.default.replicas'),
  weight: belongsIn('lanes.<lane>.weight'),
  header: belongsIn('stickiness.header'),
  cookie: belongsIn('stickiness.cookie'),
};
const MATCH_FIELDS = ['hosts', 'pathPrefix'] as const;
const STICKINESS_FIELDS = ['header', 'cookie'] as const;
const HEALTH_FIELDS = ['path', 'intervalMs', 'timeoutMs', 'healthyThreshold', 'unhealthyThreshold'] as const;
const PASSIVE_FIELDS = ['consecutiveFailures', 'ejectMs'] as const;
const LANE_FIELDS = ['replicas', 'weight'] as const;

const DNS_LABEL_RULE = 'lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63';
const TOKEN_RULE = "letters, digits and !#$%&'*+-.^_`|~";

/**
 * A list of strings, each checked and normalised, and each listed once after normalising (`HTTP://A:1` and
 * `http://a:1/` are the same replica).
 */
function uniqueList(fields: ObjectFields, key: string, expected: string, check: (raw: string) => Checked): string[] {
  const value = fields.get(key);
  if (value !== undefined && !Array.isArray(value)) {
    fields.report(fields.at(key), `expected a list, got ${describe(value)}`);
  }
  const firstIndex = new Map<string, number>();
  const items: unknown[] = Array.isArray(value) ? value : [];
  for (const [index, raw] of items.entries()) {
    const path = childPath(fields.at(key), index);
    const checked: Checked =
      typeof raw === 'string' ? check(raw) : { ok: false, message: `expected ${expected}, got ${describe(raw)}` };
    const first = checked.ok ? firstIndex.get(checked.value) : undefined;
    if (!checked.ok) fields.report(path, checked.message);
    else if (first !== undefined) fields.report(path, `same as ${key}[${first}] (${checked.value}); list each once`);
    else firstIndex.set(checked.value, index);
  }
  return [...firstIndex.keys()];
}

/** A path that a request line can carry: starts with `/`, no whitespace, no fragment; a query only where it makes sense. */
function urlPath(fields: ObjectFields, key: string, fallback: string, query: boolean): string {
  const value = fields.get(key);
  if (value === undefined) return fallback;
  const forbidden = query ? /[\s#]/ : /[\s#?]/;
  if (typeof value === 'string' && value.startsWith('/') && !forbidden.test(value)) return value;
  const rule = query ? 'no spaces or "#"' : 'no spaces, "?" or "#"';
  fields.report(fields.at(key), `expected a path starting with "/" (${rule}), got ${describe(value)}`);
  return fallback;
}

function readMatch(service: ObjectFields): ServiceMatch {
  const match = service.object('match', MATCH_FIELDS);
  const hosts = match ? uniqueList(match, 'hosts', 'a hostname', checkMatchHost) : [];
  if (!match) return { hosts, pathPrefix: CONFIG_DEFAULTS.match.pathPrefix };
  return { hosts, pathPrefix: urlPath(match, 'pathPrefix', CONFIG_DEFAULTS.match.pathPrefix, false) };
}

function readStickiness(service: ObjectFields): Stickiness | undefined {
  if (!service.has('stickiness')) return undefined;
  const sticky = service.object('stickiness', STICKINESS_FIELDS);
  if (!sticky) return undefined;
  const expected = 'expected exactly one of { "header": "<name>" } or { "cookie": "<name>" }';
  if (sticky.has('header') && sticky.has('cookie')) {
    sticky.report(sticky.path, `${expected}, not both`);
    return undefined;
  }
  if (!sticky.has('header') && !sticky.has('cookie')) {
    const misspelled = sticky.isMisspelled('header') || sticky.isMisspelled('cookie');
    if (!misspelled) sticky.report(sticky.path, `${expected}, got neither`);
    return undefined;
  }
  const kind = sticky.has('header') ? 'header' : 'cookie';
  const name = sticky.get(kind);
  if (typeof name !== 'string' || !isHttpToken(name)) {
    sticky.report(sticky.at(kind), `expected a ${kind} name (${TOKEN_RULE}), got ${describe(name)}`);
    return undefined;
  }
  // Header names are case-insensitive and Node hands them over lowercase; cookie names are case-sensitive.
  return kind === 'header' ? { header: name.toLowerCase() } : { cookie: name };
}

function readHealthCheck(service: ObjectFields): HealthCheckConfig {
  const defaults = CONFIG_DEFAULTS.healthCheck;
  const health = service.object('healthCheck', HEALTH_FIELDS);
  if (!health) return { ...defaults };
  return { path: urlPath(health, 'path', defaults.path, true), ...readHealthTimings(health, defaults) };
}

/** The timing of active health checks (all but `path`), with the caller's defaults; lanes.json reads its own with it. */
export function readHealthTimings(
  health: ObjectFields,
  defaults: Omit<HealthCheckConfig, 'path'>,
): Omit<HealthCheckConfig, 'path'> {
  return {
    intervalMs: health.integer('intervalMs', { ...MS_RANGE, default: defaults.intervalMs }),
    timeoutMs: health.integer('timeoutMs', { ...MS_RANGE, default: defaults.timeoutMs }),
    healthyThreshold: health.integer('healthyThreshold', { ...THRESHOLD_RANGE, default: defaults.healthyThreshold }),
    unhealthyThreshold: health.integer('unhealthyThreshold', {
      ...THRESHOLD_RANGE,
      default: defaults.unhealthyThreshold,
    }),
  };
}

/** `passiveHealth` of a service; lanes.json's services read theirs with it too, so both files say the same. */
export function readPassiveHealth(service: ObjectFields): PassiveHealthConfig {
  const defaults = CONFIG_DEFAULTS.passiveHealth;
  const passive = service.object('passiveHealth', PASSIVE_FIELDS);
  if (!passive) return { ...defaults };
  return {
    consecutiveFailures: passive.integer('consecutiveFailures', {
      ...THRESHOLD_RANGE,
      default: defaults.consecutiveFailures,
    }),
    ejectMs: passive.integer('ejectMs', { ...MS_RANGE, default: defaults.ejectMs }),
  };
}

function readLane(value: unknown, path: string, name: string, sink: GatewayIssues): LaneConfig | undefined {
  const lane = ObjectFields.open(value, path, sink, LANE_FIELDS);
  if (!lane) return undefined;
  if (!lane.has('replicas')) {
    lane.missing('replicas', 'missing; give a list of replica URLs like "http://127.0.0.1:4001" (may be [])');
  }
  const replicas = uniqueList(lane, 'replicas', 'an http://host:port string', checkReplicaUrl);
  const fallback = name === 'default' ? CONFIG_DEFAULTS.defaultLaneWeight : CONFIG_DEFAULTS.otherLaneWeight;
  return { replicas, weight: lane.number('weight', 0, fallback) };
}

function readLanes(service: ObjectFields<GatewayIssues>): Record<string, LaneConfig> {
  const lanes: Record<string, LaneConfig> = {};
  const path = service.at('lanes');
  const value = service.get('lanes');
  if (value === undefined) {
    service.missing('lanes', 'missing; every service needs "lanes" with at least a "default" lane');
    return lanes;
  }
  if (!isJsonObject(value)) {
    service.report(path, `expected an object of lanes by name, got ${describe(value)}`);
    return lanes;
  }
  for (const [name, raw] of Object.entries(value)) {
    const lanePath = childPath(path, name);
    if (!isValidLaneName(name)) {
      service.report(lanePath, `invalid lane name "${name}": use ${DNS_LABEL_RULE} characters`);
      continue;
    }
    const lane = readLane(raw, lanePath, name, service.sink);
    if (lane) lanes[name] = lane;
  }
  if (!Object.hasOwn(value, 'default')) {
    const typo = Object.keys(value).find((name) => closestName(name, ['default']) !== undefined);
    const hint = typo === undefined ? '' : ` (is "${typo}" meant to be "default"?)`;
    service.report(
      childPath(path, 'default'),
      `missing; every service needs a "default" lane: it serves untagged requests and lanes the service lacks${hint}`,
    );
  } else if (Object.values(lanes).length > 0 && Object.values(lanes).every((lane) => lane.weight === 0)) {
    service.report(path, 'every lane has weight 0; give at least one lane (usually "default") a weight above 0');
  }
  return lanes;
}

function readService(value: unknown, path: string, sink: GatewayIssues): ServiceConfig | undefined {
  const service = ObjectFields.open(value, path, sink, SERVICE_FIELDS, SERVICE_ELSEWHERE);
  if (!service) return undefined;
  const stickiness = readStickiness(service);
  return {
    match: readMatch(service),
    whenLaneDown: service.choice('whenLaneDown', LANE_DOWN_POLICIES, CONFIG_DEFAULTS.whenLaneDown),
    ...(stickiness ? { stickiness } : {}),
    healthCheck: readHealthCheck(service),
    passiveHealth: readPassiveHealth(service),
    lanes: readLanes(service),
  };
}

/** Where two matches claim the same request with equal priority, or `undefined` when they never do. */
function sharedMatch(a: ServiceMatch, b: ServiceMatch): string | undefined {
  if (a.pathPrefix !== b.pathPrefix) return undefined;
  if (a.hosts.length === 0 && b.hosts.length === 0) return `pathPrefix "${a.pathPrefix}", any host`;
  const host = a.hosts.find((candidate) => b.hosts.includes(candidate));
  return host === undefined ? undefined : `pathPrefix "${a.pathPrefix}", host ${host}`;
}

/**
 * Two services that claim the same request with equal priority would be chosen by file order: refuse that. Each
 * service is reported once, against the first earlier service it collides with.
 */
function reportOverlaps(matches: [string, ServiceMatch][], path: string, sink: GatewayIssues): void {
  matches.forEach(([name, match], index) => {
    for (const [other, otherMatch] of matches.slice(0, index)) {
      const shared = sharedMatch(otherMatch, match);
      if (shared === undefined) continue;
      sink.report(
        childPath(childPath(path, name), 'match'),
        `services "${other}" and "${name}" both match ${shared}; give one of them other match.hosts or match.pathPrefix`,
      );
      return;
    }
  });
}

/** Reads `services`: a non-empty object of services named by DNS labels. */
export function readServices(root: ObjectFields<GatewayIssues>): Record<string, ServiceConfig> {
  const services: Record<string, ServiceConfig> = {};
  const path = root.at('services');
  const value = root.get('services');
  if (value !== undefined && !isJsonObject(value)) {
    root.report(path, `expected an object of services by name, got ${describe(value)}`);
    return services;
  }
  if (value === undefined || Object.keys(value).length === 0) {
    const example = '{ "shop": { "lanes": { "default": { "replicas": [...] } } } }';
    if (value === undefined) root.missing('services', `missing; give at least one service, e.g. ${example}`);
    else root.report(path, `expected at least one service, e.g. ${example}`);
    return services;
  }
  const matches: [string, ServiceMatch][] = [];
  for (const [name, raw] of Object.entries(value)) {
    const servicePath = childPath(path, name);
    if (!isDnsLabel(name)) {
      root.report(servicePath, `invalid service name "${name}": use ${DNS_LABEL_RULE} characters`);
      continue;
    }
    const before = root.sink.all.length;
    const service = readService(raw, servicePath, root.sink);
    if (!service) continue;
    services[name] = service;
    // A match that had problems holds defaults; comparing those would report collisions the user never wrote.
    if (!root.sink.reportedUnder(childPath(servicePath, 'match'), before)) matches.push([name, service.match]);
  }
  reportOverlaps(matches, path, root.sink);
  return services;
}
