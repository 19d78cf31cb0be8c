/**
 * The schema, as the ordered list of migrations that build it. A migration never changes once released: add a new
 * one instead. `open` applies the missing ones in one transaction and refuses a database from a newer version.
 */
export interface Migration {
  version: number;
  sql: string;
}

const laneKeyColumns = 'env TEXT NOT NULL, service TEXT NOT NULL, lane TEXT NOT NULL';

const v1 = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

CREATE TABLE operations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('deploy', 'promote', 'rollback', 'delete', 'route', 'gc', 'up', 'down')),
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'reverted')),
  holder_pid INTEGER NOT NULL,
  holder_hostname TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL,
  finished_at INTEGER,
  error TEXT
) STRICT;
CREATE INDEX operations_running ON operations (id) WHERE status = 'running';

CREATE TABLE operation_lanes (
  operation_id INTEGER NOT NULL REFERENCES operations (id),
  ${laneKeyColumns},
  PRIMARY KEY (operation_id, env, service, lane)
) STRICT;
CREATE INDEX operation_lanes_by_lane ON operation_lanes (env, service, lane, operation_id);

CREATE TABLE journal (
  operation_id INTEGER NOT NULL REFERENCES operations (id),
  seq INTEGER NOT NULL CHECK (seq > 0),
  step TEXT NOT NULL,
  data TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (operation_id, seq)
) STRICT;

CREATE TABLE locks (
  ${laneKeyColumns},
  operation_id INTEGER NOT NULL REFERENCES operations (id),
  acquired_at INTEGER NOT NULL,
  PRIMARY KEY (env, service, lane)
) STRICT;
CREATE INDEX locks_by_operation ON locks (operation_id);

CREATE TABLE revisions (
  ${laneKeyColumns},
  number INTEGER NOT NULL CHECK (number > 0),
  spec TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  operation_id INTEGER NOT NULL REFERENCES operations (id),
  PRIMARY KEY (env, service, lane, number)
) STRICT;

CREATE TABLE lanes (
  ${laneKeyColumns},
  generation INTEGER NOT NULL,
  current_revision INTEGER,
  weight REAL NOT NULL CHECK (weight >= 0),
  desired_replicas INTEGER NOT NULL CHECK (desired_replicas >= 0),
  ttl_ms INTEGER CHECK (ttl_ms IS NULL OR ttl_ms > 0),
  status TEXT NOT NULL CHECK (status IN ('active', 'deleting')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (env, service, lane),
  FOREIGN KEY (env, service, lane, current_revision) REFERENCES revisions (env, service, lane, number)
) STRICT;

CREATE TABLE lane_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ${laneKeyColumns},
  generation INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  from_time INTEGER NOT NULL,
  to_time INTEGER,
  operation_id INTEGER NOT NULL REFERENCES operations (id),
  FOREIGN KEY (env, service, lane, revision) REFERENCES revisions (env, service, lane, number)
) STRICT;
CREATE INDEX lane_history_by_lane ON lane_history (env, service, lane, generation, id);

CREATE TABLE replicas (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ${laneKeyColumns},
  revision INTEGER NOT NULL,
  port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
  pid INTEGER,
  state TEXT NOT NULL CHECK (state IN ('starting', 'running', 'draining', 'stopped', 'failed')),
  started_at INTEGER NOT NULL,
  stopped_at INTEGER,
  log_file TEXT,
  exit_code INTEGER,
  operation_id INTEGER REFERENCES operations (id),
  FOREIGN KEY (env, service, lane) REFERENCES lanes (env, service, lane) ON DELETE CASCADE,
  FOREIGN KEY (env, service, lane, revision) REFERENCES revisions (env, service, lane, number)
) STRICT;
CREATE INDEX replicas_by_lane ON replicas (env, service, lane, state);
CREATE UNIQUE INDEX replicas_live_port ON replicas (port) WHERE state IN ('starting', 'running', 'draining');

CREATE TABLE port_reservations (
  port INTEGER PRIMARY KEY CHECK (port BETWEEN 1 AND 65535),
  holder_pid INTEGER NOT NULL,
  holder_hostname TEXT NOT NULL,
  reserved_at INTEGER NOT NULL
) STRICT;

CREATE TABLE samples (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ${laneKeyColumns},
  at INTEGER NOT NULL,
  running INTEGER NOT NULL,
  desired INTEGER NOT NULL,
  healthy INTEGER NOT NULL,
  requests INTEGER NOT NULL,
  errors_5xx INTEGER NOT NULL,
  FOREIGN KEY (env, service, lane) REFERENCES lanes (env, service, lane) ON DELETE CASCADE
) STRICT;
CREATE INDEX samples_by_lane ON samples (env, service, lane, id);
`;

/**
 * v2: holders are recorded with their start time (`/proc/<pid>/stat` field 22), so a pid the kernel reused for
 * another process is not taken for the holder. NULL where unknown (rows from v1, systems without /proc).
 */
const v2 = `
ALTER TABLE operations ADD COLUMN holder_start_time INTEGER;
ALTER TABLE port_reservations ADD COLUMN holder_start_time INTEGER;
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, sql: v1 },
  { version: 2, sql: v2 },
];
