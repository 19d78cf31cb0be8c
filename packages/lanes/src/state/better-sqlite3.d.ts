/**
 * The part of better-sqlite3's API the state store uses. `@types/better-sqlite3` is not a dependency; this
 * declaration stays internal to `src/state` (no public type mentions it), so the package's emitted types never
 * need it.
 */
declare module 'better-sqlite3' {
  export type SqlValue = string | number | bigint | Buffer | null;

  export interface RunResult {
    changes: number;
    lastInsertRowid: number | bigint;
  }

  export interface Statement {
    run(...params: SqlValue[]): RunResult;
    get(...params: SqlValue[]): unknown;
    all(...params: SqlValue[]): unknown[];
  }

  /** A function wrapped by `db.transaction(fn)`; nested calls become savepoints. */
  export interface Transaction<F extends (...args: never[]) => unknown> {
    (...args: Parameters<F>): ReturnType<F>;
    deferred(...args: Parameters<F>): ReturnType<F>;
    immediate(...args: Parameters<F>): ReturnType<F>;
    exclusive(...args: Parameters<F>): ReturnType<F>;
  }

  export interface Options {
    readonly?: boolean;
    fileMustExist?: boolean;
    /** busy_timeout in ms. @default 5000 */
    timeout?: number;
  }

  export interface Database {
    readonly name: string;
    readonly open: boolean;
    readonly inTransaction: boolean;
    prepare(sql: string): Statement;
    exec(sql: string): this;
    pragma(source: string, options?: { simple?: boolean }): unknown;
    transaction<F extends (...args: never[]) => unknown>(fn: F): Transaction<F>;
    close(): this;
  }

  const Database: new (filename: string, options?: Options) => Database;
  export default Database;
}
