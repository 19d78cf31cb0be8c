import { basename, join, resolve } from 'node:path';
import { GATEWAY_ENGINES, readLeaksConfig, readNginxEngineConfig, readTraceContext } from '@lanes/gateway';
import { belongsIn, childPath, closestName, describe, isJsonObject, ObjectFields } from '@lanes/json-config';
import { LANE_CARRIERS } from '@lanes/trace-context';
import { type ConfigIssue, LanesConfigError, LanesError } from '../errors.js';
import type { GatewaySettings, Project, ServiceModel, ServiceRoute } from '../model.js';
import { awsNameCollisions, collisionMessage } from '../name-collisions.js';
import { envNameProblem, RESERVED_SERVICE_NAMES, serviceNameProblem } from '../naming.js';
import { FileIssues } from './file-issues.js';
import { isBindHost } from './hostnames.js';
import { PORT_RANGE, PROJECT_DEFAULTS, PROJECT_FIELDS } from './project-defaults.js';
import { readAdmission } from './read-admission.js';
import { AWS_TOP_ELSEWHERE, readAws } from './read-aws.js';
import { readGatewayCrashLoop } from './read-remediation.js';
import { readService } from './read-service.js';

/** What the project file is read against. */
export interface ProjectContext {
  /** The project folder, as given (issues name files under it the same way); relative paths start here. */
  dir: string;
  /** The project file, as given (relative to the working directory, or absolute): issues name it so. */
  file: string;
  /** The environment (a lowercase DNS label of at most 16 characters). */
  env: string;
  /**
   * The parameters of each `params/{name}-{env}.json`, by `{name}`: `infra`, `boot` or a service. Parameter files
   * of services the project file lacks are reported.
   */
  params: Record<string, Record<string, string>>;
  /** Checks that each `run.cwd` exists; `loadProject` passes one that asks the file system. @default no check */
  directoryExists?: ((path: string) => boolean) | undefined;
}

const TOP_ELSEWHERE = {
  name: 'did you mean "project"?',
  port: belongsIn('gateway.port'),
  adminPort: belongsIn('gateway.adminPort'),
  carriers: belongsIn('gateway.carriers'),
  trusted: belongsIn('admission.trusted'),
  openLanes: belongsIn('admission.openLanes'),
  ...AWS_TOP_ELSEWHERE,
};

const GATEWAY_ELSEWHERE = {
  admin: 'use "adminPort": the admin API always binds to 127.0.0.1 because it is for this machine only',
  adminHost: 'the admin API always binds to 127.0.0.1 because it is for this machine only',
  listen: 'use "host" and "port"',
};

/** Where a params file is, named the way the project folder was given. */
export function paramsFilePath(dir: string, name: string, env: string): string {
  return join(dir, 'params', `${name}-${env}.json`);
}

/** Throws when `env` cannot be used: it is part of every AWS name, and no file is to blame for it. */
export function checkEnv(env: string): void {
  const problem = envNameProblem(env);
  if (problem) throw new LanesError('LANES_ENV_INVALID', problem, 'user');
}

const CARRIER_NAMES = { item: 'carrier', list: 'carriers in precedence order' };

function readGateway(root: ObjectFields): GatewaySettings {
  const defaults = PROJECT_DEFAULTS.gateway;
  const gateway = root.object('gateway', PROJECT_FIELDS.gateway, GATEWAY_ELSEWHERE);
  if (!gateway) return { ...defaults, carriers: [...defaults.carriers], crashLoop: readGatewayCrashLoop(undefined) };
  const engine = gateway.choice('engine', GATEWAY_ENGINES, defaults.engine);
  let host = gateway.string('host')?.toLowerCase() ?? defaults.host;
  if (!isBindHost(host)) {
    gateway.report(
      gateway.at('host'),
      `expected an IP address or hostname to bind (IPv6 without brackets), got ${describe(host)}`,
    );
    host = defaults.host;
  }
  const port = gateway.integer('port', { ...PORT_RANGE, default: defaults.port });
  const adminPort = gateway.integer('adminPort', { ...PORT_RANGE, default: defaults.adminPort });
  if (port !== 0 && port === adminPort) {
    gateway.report(
      gateway.at('adminPort'),
      `same port as gateway.port (${port}); give the admin API a port of its own`,
    );
  }
  const carriers = gateway.choiceList('carriers', LANE_CARRIERS, defaults.carriers, CARRIER_NAMES);
  // Validated as the gateway does, with paths under `gateway.leaks`; absent, the gateway's defaults apply.
  const leaks = gateway.has('leaks') ? readLeaksConfig(gateway) : undefined;
  // The W3C Trace Context level the gateway parses (2; 1 only when asked for), checked as the gateway checks it.
  const traceContext = gateway.has('traceContext') ? readTraceContext(gateway) : undefined;
  // The nginx engine's own settings (how it reads the lane), checked as the gateway checks them.
  const nginx = gateway.has('nginx') ? readNginxEngineConfig(gateway) : undefined;
  const crashLoop = readGatewayCrashLoop(gateway);
  return { engine, host, port, adminPort, carriers, leaks, traceContext, nginx, crashLoop };
}

/** Where two routes claim the same request, or `undefined` when they never do (the gateway refuses such a pair). */
function sharedRoute(a: ServiceRoute, b: ServiceRoute): string | undefined {
  if (a.pathPrefix !== b.pathPrefix) return undefined;
  if (a.hosts.length === 0 && b.hosts.length === 0) return `pathPrefix "${a.pathPrefix}" on any host`;
  const host = a.hosts.find((candidate) => b.hosts.includes(candidate));
  return host === undefined ? undefined : `pathPrefix "${a.pathPrefix}" on host ${host}`;
}

function reportSharedRoutes(routes: [string, ServiceRoute][], root: ObjectFields): void {
  routes.forEach(([name, route], index) => {
    for (const [other, otherRoute] of routes.slice(0, index)) {
      const shared = sharedRoute(otherRoute, route);
      if (shared === undefined) continue;
      root.report(
        childPath(childPath('services', name), 'route'),
        `services "${other}" and "${name}" both have the route ${shared}; give one of them another route.pathPrefix or route.hosts`,
      );
      return;
    }
  });
}

function readServices(
  root: ObjectFields<FileIssues>,
  context: ProjectContext,
  dir: string,
): Record<string, ServiceModel> {
  const services: Record<string, ServiceModel> = {};
  const value = root.get('services');
  const example = '{ "web": { "run": { "command": ["node", "server.js"] } } }';
  if (value === undefined) {
    root.missing('services', `missing; give at least one service, e.g. "services": ${example}`);
    return services;
  }
  if (!isJsonObject(value) || Object.keys(value).length === 0) {
    root.report(
      'services',
      `expected an object with at least one service by name, e.g. ${example}, got ${describe(value)}`,
    );
    return services;
  }
  const routes: [string, ServiceRoute][] = [];
  const only = Object.keys(value).length === 1;
  for (const [name, raw] of Object.entries(value)) {
    const path = childPath('services', name);
    const problem = serviceNameProblem(name, context.env);
    if (problem) {
      root.report(path, problem);
      continue;
    }
    const before = root.sink.all.length;
    const paramsIssues = new FileIssues(paramsFilePath(context.dir, name, context.env), root.sink.all);
    const params = Object.hasOwn(context.params, name) ? context.params[name] : undefined;
    const serviceContext = { ...context, dir, only, params, paramsIssues };
    const service = readService(raw, path, root.sink, name, serviceContext);
    if (!service) continue;
    services[name] = service;
    // A route that had problems holds defaults; comparing those would report clashes the user never wrote.
    if (!root.sink.reportedUnder(childPath(path, 'route'), before)) routes.push([name, service.route]);
  }
  reportSharedRoutes(routes, root);
  return services;
}

/** Parameter files of services the project file does not have: a typo in a file name, or a service left out. */
function reportOrphanParams(context: ProjectContext, raw: unknown, issues: ConfigIssue[]): void {
  // Without a readable list of services, every params file would look orphaned: the file's own issue says enough.
  if (!isJsonObject(raw) || !isJsonObject(raw.services)) return;
  const services = raw.services;
  const projectFile = basename(context.file);
  for (const name of Object.keys(context.params)) {
    if (RESERVED_SERVICE_NAMES.includes(name) || Object.hasOwn(services, name)) continue;
    const close = closestName(name, Object.keys(services));
    const hint = close ? `; did you mean "${close}" (rename the file to ${close}-${context.env}.json)?` : '';
    issues.push({
      file: paramsFilePath(context.dir, name, context.env),
      path: '',
      message: `no service "${name}" in ${projectFile}${hint || `; add it under "services" or remove this file`}`,
    });
  }
}

/**
 * Validates the project file against its params files, adding every problem to `issues`. The project it returns
 * holds placeholders where there were problems: use it only when `issues` stayed empty.
 */
export function readProject(raw: unknown, context: ProjectContext, issues: ConfigIssue[]): Project {
  const dir = resolve(context.dir);
  const sink = new FileIssues(context.file, issues);
  reportOrphanParams(context, raw, issues);
  const root = ObjectFields.open(raw, '', sink, PROJECT_FIELDS.top, TOP_ELSEWHERE);
  const project: Project = {
    dir,
    file: resolve(context.file),
    name: basename(dir) || 'project',
    env: context.env,
    stateDir: resolve(dir, PROJECT_DEFAULTS.stateDir),
    gateway: { ...PROJECT_DEFAULTS.gateway, carriers: [...PROJECT_DEFAULTS.gateway.carriers] },
    aws: { ...PROJECT_DEFAULTS.aws },
    services: {},
  };
  if (!root) return project;
  root.string('$schema');
  const name = root.text('project', 'a project name');
  if (name !== undefined) project.name = name.trim();
  const stateDir = root.text('stateDir', 'a folder (relative to the project folder)');
  if (stateDir !== undefined) project.stateDir = resolve(dir, stateDir);
  project.gateway = readGateway(root);
  project.admission = readAdmission(root, project.stateDir);
  project.aws = readAws(root);
  project.services = readServices(root, context, dir);
  reportNameCollisions(project.services, context.env, root);
  return project;
}

/** Two owners of one AWS name would overwrite each other's resources on AWS (see `name-collisions.ts`). */
function reportNameCollisions(services: Record<string, ServiceModel>, env: string, root: ObjectFields): void {
  const lanes = Object.fromEntries(Object.values(services).map((s) => [s.name, Object.keys(s.lanes)]));
  for (const collision of awsNameCollisions(env, lanes)) {
    const owner = collision.owners[1];
    const path = 'service' in owner ? childPath('services', owner.service) : 'services';
    root.report('lane' in owner ? childPath(childPath(path, 'lanes'), owner.lane) : path, collisionMessage(collision));
  }
}

/**
 * Validates a project file's parsed JSON (`raw`) with the parameters of its params files, and fills in every
 * default. Throws a `LanesConfigError` listing every problem in every file, or a `LanesError` (`LANES_ENV_INVALID`)
 * when `context.env` cannot be an env name. Pure unless `context.directoryExists` looks at the disk.
 */
export function parseProject(raw: unknown, context: ProjectContext): Project {
  checkEnv(context.env);
  const issues: ConfigIssue[] = [];
  const project = readProject(raw, context, issues);
  if (issues.length > 0) throw new LanesConfigError(issues);
  return project;
}
