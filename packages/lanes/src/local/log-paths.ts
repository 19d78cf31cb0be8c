import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LanesError } from '../errors.js';
import { errnoCode } from './error-text.js';

/** The parts of a lane key `{env}/{service}/{lane}`. */
export interface LaneKeyParts {
  env: string;
  service: string;
  lane: string;
}

/** One replica's log file of a lane; `replica` is the id in its name (`replica-{id}.log`). */
export interface LaneLogFile {
  replica: string;
  path: string;
}

const REPLICA_LOG = /^replica-(.+)\.log$/;

/** `<stateDir>/logs/{env}/{service}/{lane}/replica-{id}.log`: one file per replica, kept after it stops. */
export function logFileFor(stateDir: string, key: LaneKeyParts, replicaId: number | string): string {
  return join(laneLogDir(stateDir, key), `replica-${safeSegment(String(replicaId))}.log`);
}

/**
 * The replica logs of a lane, numeric ids in numeric order, found on disk rather than in the database so that
 * `lanes logs` still shows the logs of replicas the database has forgotten. A lane without logs has none.
 */
export async function laneLogFiles(stateDir: string, key: LaneKeyParts): Promise<LaneLogFile[]> {
  const dir = laneLogDir(stateDir, key);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return [];
    throw error;
  }
  const files: LaneLogFile[] = [];
  for (const name of names) {
    const replica = REPLICA_LOG.exec(name)?.[1];
    if (replica !== undefined) files.push({ replica, path: join(dir, name) });
  }
  return files.sort((a, b) => a.replica.localeCompare(b.replica, 'en', { numeric: true }));
}

function laneLogDir(stateDir: string, key: LaneKeyParts): string {
  return join(stateDir, 'logs', safeSegment(key.env), safeSegment(key.service), safeSegment(key.lane));
}

/** Names are validated long before this point; a path that escapes the logs folder would still be a bug here. */
function safeSegment(segment: string): string {
  if (segment === '' || segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) {
    throw new LanesError(
      'LANES_INVALID_LOG_PATH',
      `cannot use ${JSON.stringify(segment)} in a log file path`,
      'system',
    );
  }
  return segment;
}
