import { readHealthTimings } from '@lanes/gateway';
import { belongsIn, childPath, describe, ObjectFields } from '@lanes/json-config';
import type { HealthCheckSpec, ServiceModel, ServiceRoute } from '../model.js';
import type { FileIssues } from './file-issues.js';
import { routeHostProblem } from './hostnames.js';
import {
  LANE_DOWN_CHOICES,
  MS_RANGE,
  PROJECT_DEFAULTS,
  PROJECT_FIELDS,
  REPLICAS_RANGE,
  SERVICE_PARAMS,
  START_FAILURES_RANGE,
} from './project-defaults.js';
import { readAnalysis } from './read-analysis.js';
import { readLanes } from './read-lanes.js';
import { readCrashLoop, readPassiveHealth } from './read-remediation.js';
import { type RunContext, readRun } from './read-run.js';
import { isUrlPath, pathRule, readUrlPath } from './url-path.js';

export interface ServiceContext extends RunContext {
  env: string;
  /** Whether this is the project's only service: its route then defaults to `/`. */
  only: boolean;
  /** The parameters of `params/{service}-{env}.json`, when there is one. */
  params: Record<string, string> | undefined;
  /** Where issues about that params file go. */
  paramsIssues: FileIssues;
}

const SERVICE_ELSEWHERE = {
  command: belongsIn('run.command'),
  cwd: belongsIn('run.cwd'),
  env: belongsIn('run.env'),
  portEnv: belongsIn('run.portEnv'),
  pathPrefix: belongsIn('route.pathPrefix'),
  hosts: belongsIn('route.hosts'),
  match: 'use "route" (with pathPrefix and hosts)',
  weight: belongsIn('lanes.<lane>.weight'),
  ttl: belongsIn('lanes.<lane>.ttl'),
  metrics: belongsIn('analysis.metrics'),
  metricsPath: belongsIn('analysis.metricsPath'),
};

function readHosts(route: ObjectFields): string[] {
  const value = route.get('hosts');
  if (value === undefined) return [];
  const path = route.at('hosts');
  if (!Array.isArray(value)) {
    route.report(path, `expected a list of hostnames, got ${describe(value)}`);
    return [];
  }
  const hosts: string[] = [];
  value.forEach((raw: unknown, index) => {
    const at = childPath(path, index);
    const host = typeof raw === 'string' ? raw.toLowerCase() : undefined;
    const problem = host === undefined ? `expected a hostname, got ${describe(raw)}` : routeHostProblem(host);
    if (problem) route.report(at, `${problem}${host === undefined ? '' : ` (got ${describe(raw)})`}`);
    else if (hosts.includes(host!)) route.report(at, `"${host}" is listed twice; list each host once`);
    else hosts.push(host!);
  });
  return hosts;
}

function readRoute(service: ObjectFields, name: string, context: ServiceContext): ServiceRoute {
  const pathPrefix = context.only ? '/' : `/${name}`;
  const route = service.object('route', PROJECT_FIELDS.route);
  if (!route) return { pathPrefix, hosts: [] };
  return { pathPrefix: readUrlPath(route, 'pathPrefix', false) ?? pathPrefix, hosts: readHosts(route) };
}

/**
 * A default taken from the params file, for a field the project file leaves out. A value that cannot serve is
 * reported against the params file, with the way out (set the field in the project file, which wins).
 */
function paramDefault<T>(
  name: string,
  key: string,
  field: string,
  context: ServiceContext,
  read: (raw: string) => T | undefined,
  expected: string,
): T | undefined {
  const raw = context.params?.[key];
  if (raw === undefined) return undefined;
  const value = read(raw);
  if (value === undefined) {
    context.paramsIssues.report(
      key,
      `expected ${expected}, got ${describe(raw)}; ${key} is the local default of services.${name}.${field}: fix it here or set ${field} in the project file (which wins)`,
    );
  }
  return value;
}

function readHealthCheck(service: ObjectFields, name: string, context: ServiceContext): HealthCheckSpec {
  const defaults = PROJECT_DEFAULTS.healthCheck;
  const health = service.object('healthCheck', PROJECT_FIELDS.healthCheck);
  const path = health && readUrlPath(health, 'path', true);
  const given = path !== undefined || health?.has('path') === true || health?.isMisspelled('path') === true;
  const fromParams = given
    ? undefined
    : paramDefault(
        name,
        SERVICE_PARAMS.healthCheckPath,
        'healthCheck.path',
        context,
        (raw) => (isUrlPath(raw, true) ? raw : undefined),
        pathRule(true),
      );
  const resolvedPath = path ?? fromParams ?? defaults.path;
  if (!health) return { ...defaults, path: resolvedPath };
  return { path: resolvedPath, ...readHealthTimings(health, defaults) };
}

function readReplicas(service: ObjectFields, name: string, context: ServiceContext): number {
  if (service.has('replicas')) return service.integer('replicas', REPLICAS_RANGE);
  // A misspelled `replicas` was meant to win over the params file: judging DesiredCount would only add noise.
  if (service.isMisspelled('replicas')) return PROJECT_DEFAULTS.replicas;
  const { min, max } = REPLICAS_RANGE;
  const fromParams = paramDefault(
    name,
    SERVICE_PARAMS.replicas,
    'replicas',
    context,
    (raw) => (/^\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max ? Number(raw) : undefined),
    `a whole number from ${min} to ${max} to run locally`,
  );
  return fromParams ?? PROJECT_DEFAULTS.replicas;
}

/** One entry of `services`, with every default filled in; `undefined` when it is not even an object. */
export function readService(
  value: unknown,
  path: string,
  sink: FileIssues,
  name: string,
  context: ServiceContext,
): ServiceModel | undefined {
  const service = ObjectFields.open(value, path, sink, PROJECT_FIELDS.service, SERVICE_ELSEWHERE);
  if (!service) return undefined;
  const run = readRun(service, context);
  return {
    name,
    route: readRoute(service, name, context),
    run,
    healthCheck: readHealthCheck(service, name, context),
    replicas: readReplicas(service, name, context),
    startTimeoutMs: service.integer('startTimeoutMs', { ...MS_RANGE, default: PROJECT_DEFAULTS.startTimeoutMs }),
    drainMs: service.integer('drainMs', { ...MS_RANGE, min: 0, default: PROJECT_DEFAULTS.drainMs }),
    maxStartFailures: service.integer('maxStartFailures', {
      ...START_FAILURES_RANGE,
      default: PROJECT_DEFAULTS.maxStartFailures,
    }),
    whenLaneDown: service.choice('whenLaneDown', LANE_DOWN_CHOICES, PROJECT_DEFAULTS.whenLaneDown),
    passiveHealth: readPassiveHealth(service),
    crashLoop: readCrashLoop(service),
    lanes: readLanes(service, { ...context, service: name, portEnv: run.portEnv }),
    analysis: readAnalysis(service),
    params: { ...context.params },
  };
}
