import type { SqliteConnection } from './sqlite-connection.js';

/** What every query module needs: the connection, the clock, and this machine's name for holder checks. */
export interface StoreContext {
  connection: SqliteConnection;
  now: () => number;
  hostname: string;
}
