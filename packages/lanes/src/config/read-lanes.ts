import { belongsIn, childPath, describe, type IssueSink, isJsonObject, ObjectFields } from '@lanes/json-config';
import type { DeclaredLane } from '../model.js';
import { DEFAULT_LANE, laneNameProblem } from '../naming.js';
import { parseDuration } from './duration.js';
import { PROJECT_DEFAULTS, PROJECT_FIELDS, REPLICAS_RANGE } from './project-defaults.js';
import { type RunContext, readPartialRun } from './read-run.js';

export interface LanesContext extends RunContext {
  service: string;
  env: string;
  /** The service's `run.portEnv`, in force for a lane that does not set its own. */
  portEnv: string;
}

const LANE_ELSEWHERE = {
  command: belongsIn('run.command'),
  env: belongsIn('run.env'),
  cwd: belongsIn('run.cwd'),
  portEnv: belongsIn('run.portEnv'),
  ttlMs: 'use "ttl" with a unit, e.g. "7d"',
  analysis: 'a lane is judged by its service\'s rules: put "analysis" in the service, next to "lanes"',
};

const DURATION_EXAMPLES = '"30m", "12h" or "7d"';

function readTtl(lane: ObjectFields): number | undefined {
  const value = lane.get('ttl');
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms !== undefined && ms > 0) return ms;
  const hint = typeof value === 'number' ? ' (a number has no unit)' : '';
  lane.report(lane.at('ttl'), `expected a duration such as ${DURATION_EXAMPLES}, got ${describe(value)}${hint}`);
  return undefined;
}

function readLane(value: unknown, path: string, sink: IssueSink, context: LanesContext): DeclaredLane | undefined {
  const lane = ObjectFields.open(value, path, sink, PROJECT_FIELDS.lane, LANE_ELSEWHERE);
  if (!lane) return undefined;
  const replicas = lane.has('replicas') ? lane.integer('replicas', REPLICAS_RANGE) : undefined;
  return {
    run: readPartialRun(lane, context, context.portEnv),
    weight: lane.number('weight', 0, PROJECT_DEFAULTS.laneWeight),
    replicas,
    ttlMs: readTtl(lane),
  };
}

/** A service's `lanes`: extra lanes that `lanes up` starts next to `default`, by name. */
export function readLanes(service: ObjectFields, context: LanesContext): Record<string, DeclaredLane> {
  const lanes: Record<string, DeclaredLane> = {};
  const value = service.get('lanes');
  if (value === undefined) return lanes;
  const path = service.at('lanes');
  if (!isJsonObject(value)) {
    service.report(
      path,
      `expected an object of lanes by name, e.g. { "gray": { "weight": 10 } }, got ${describe(value)}`,
    );
    return lanes;
  }
  for (const [name, raw] of Object.entries(value)) {
    const lanePath = childPath(path, name);
    if (name === DEFAULT_LANE) {
      service.report(
        lanePath,
        `"default" is the service's own lane: configure it at the service level (run, replicas, healthCheck of services.${context.service})`,
      );
      continue;
    }
    const problem = laneNameProblem(name, context);
    if (problem) {
      service.report(lanePath, problem);
      continue;
    }
    const lane = readLane(raw, lanePath, service.sink, context);
    if (lane) lanes[name] = lane;
  }
  return lanes;
}
