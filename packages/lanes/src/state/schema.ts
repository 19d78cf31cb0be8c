import { LanesError } from '../errors.js';
import { MIGRATIONS } from './migrations.js';
import type { SqliteConnection } from './sqlite-connection.js';

/** The schema version this code reads and writes. */
export const SCHEMA_VERSION = MIGRATIONS.reduce((latest, m) => Math.max(latest, m.version), 0);

/**
 * Brings the database to `SCHEMA_VERSION`. Several CLIs may open a new file at once: the version is read again
 * under the write lock, so each migration runs exactly once.
 */
export function migrate(connection: SqliteConnection): void {
  if (checkedVersion(connection) === SCHEMA_VERSION) return;
  connection.write(() => {
    const version = checkedVersion(connection);
    for (const migration of MIGRATIONS) {
      if (migration.version <= version) continue;
      connection.exec(migration.sql);
      connection.run(
        `INSERT INTO meta (key, value) VALUES ('schema_version', ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        String(migration.version),
      );
    }
  });
}

function checkedVersion(connection: SqliteConnection): number {
  const version = readVersion(connection);
  if (version > SCHEMA_VERSION) {
    throw new LanesError(
      'LANES_STATE_TOO_NEW',
      `the lanes state database ${connection.file} has schema version ${version}, but this version of lanes ` +
        `understands versions up to ${SCHEMA_VERSION}. Upgrade lanes to work on this project.`,
      'user',
    );
  }
  return version;
}

function readVersion(connection: SqliteConnection): number {
  const table = connection.get<{ name: string }>(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'`,
  );
  if (!table) return 0;
  const row = connection.get<{ value: string }>(`SELECT value FROM meta WHERE key = 'schema_version'`);
  const version = row ? Number(row.value) : 0;
  if (!Number.isInteger(version) || version < 0) {
    throw new LanesError(
      'LANES_STATE_UNREADABLE',
      `the lanes state database ${connection.file} has an invalid schema version ${JSON.stringify(row?.value)}; ` +
        'restore it from a backup or move it away to start from an empty state.',
      'system',
    );
  }
  return version;
}
