import type { Database as Connection, Statement, Transaction } from 'better-sqlite3';
import Database from 'better-sqlite3';
import { LanesError } from '../errors.js';

// Declared here rather than re-exported, so that our emitted declarations never need @types/better-sqlite3.
export type SqlValue = string | number | bigint | Buffer | null;
export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/** What {@link SqliteConnection} waits on to pause synchronously (nothing ever notifies it). */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** SQLite result codes (extended codes start with these) that mean the file itself cannot be used. */
const UNREADABLE_CODES = ['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CANTOPEN', 'SQLITE_IOERR', 'SQLITE_READONLY'];

/**
 * One better-sqlite3 connection with cached statements, write transactions that take the write lock up front,
 * and SQLite's failures translated into `LanesError`s that name the file.
 */
export class SqliteConnection {
  readonly file: string;
  readonly #db: Connection;
  readonly #busyTimeoutMs: number;
  readonly #statements = new Map<string, Statement>();
  readonly #run: Transaction<(fn: () => unknown) => unknown>;

  private constructor(file: string, db: Connection, busyTimeoutMs: number) {
    this.file = file;
    this.#db = db;
    this.#busyTimeoutMs = busyTimeoutMs;
    this.#run = db.transaction((fn: () => unknown) => fn());
  }

  /** Opens (creating if needed) the file in WAL mode with foreign keys on. */
  static open(file: string, busyTimeoutMs: number): SqliteConnection {
    let db: Connection | undefined;
    try {
      db = new Database(file, { timeout: busyTimeoutMs });
      const connection = new SqliteConnection(file, db, busyTimeoutMs);
      // WAL lets readers run during another process's write; NORMAL sync is still safe against kill -9 in WAL mode.
      connection.#enableWal();
      connection.#pragma('synchronous = NORMAL');
      connection.#pragma('foreign_keys = ON');
      return connection;
    } catch (error) {
      db?.close();
      throw translateError(file, busyTimeoutMs, error);
    }
  }

  run(sql: string, ...params: SqlValue[]): RunResult {
    return this.#guard(() => this.#statement(sql).run(...params));
  }

  get<T>(sql: string, ...params: SqlValue[]): T | undefined {
    return this.#guard(() => this.#statement(sql).get(...params) as T | undefined);
  }

  all<T>(sql: string, ...params: SqlValue[]): T[] {
    return this.#guard(() => this.#statement(sql).all(...params) as T[]);
  }

  exec(sql: string): void {
    this.#guard(() => this.#db.exec(sql));
  }

  /**
   * Runs `fn` in one transaction that holds the write lock from its first statement (BEGIN IMMEDIATE), so a
   * read-then-write (check a lock, then take it) cannot interleave with another process. Inside another
   * transaction it becomes a savepoint. A throw rolls everything back.
   */
  write<T>(fn: () => T): T {
    return this.#guard(() => this.#run.immediate(fn) as T);
  }

  /** Runs `fn` in one read transaction, so several queries see the same snapshot. */
  read<T>(fn: () => T): T {
    return this.#guard(() => this.#run.deferred(fn) as T);
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  #pragma(source: string): void {
    this.#db.pragma(source);
  }

  /**
   * Converts the file to WAL, waiting out other processes within the busy timeout. The conversion takes an
   * exclusive lock, and SQLite returns SQLITE_BUSY at once instead of calling the busy handler where waiting could
   * deadlock (https://sqlite.org/c3ref/busy_handler.html): two processes creating the state at once, one of them
   * in its first write transaction. WAL is a property of the file, so once it is converted this is one read.
   */
  #enableWal(): void {
    const deadline = Date.now() + this.#busyTimeoutMs;
    for (let pauseMs = 2; ; pauseMs = Math.min(pauseMs * 2, 100)) {
      try {
        if (this.#db.pragma('journal_mode', { simple: true }) === 'wal') return;
        // A file system without WAL support answers with the mode it kept: that is used as it is, as before.
        this.#db.pragma('journal_mode = WAL');
        return;
      } catch (error) {
        if (!sqliteCode(error)?.startsWith('SQLITE_BUSY') || Date.now() >= deadline) throw error;
      }
      // A synchronous pause: open() is synchronous, and the other process needs time to commit.
      Atomics.wait(PAUSE, 0, 0, pauseMs);
    }
  }

  #statement(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw translateError(this.file, this.#busyTimeoutMs, error);
    }
  }
}

function translateError(file: string, busyTimeoutMs: number, error: unknown): unknown {
  if (error instanceof LanesError) return error;
  const code = sqliteCode(error);
  if (code === undefined) return error;
  const detail = error instanceof Error ? error.message : String(error);
  if (UNREADABLE_CODES.some((prefix) => code.startsWith(prefix))) {
    return new LanesError(
      'LANES_STATE_UNREADABLE',
      `cannot use the lanes state database ${file} (${code}: ${detail}). Check that the file is readable and ` +
        'writable; if it is damaged, restore it from a backup or move it away to start from an empty state ' +
        '(replicas it started must then be stopped by hand).',
      'system',
      { cause: error },
    );
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new LanesError(
      'LANES_STATE_LOCKED',
      `the lanes state database ${file} is locked by another process (waited up to ${busyTimeoutMs} ms); ` +
        'retry, and look for a stuck lanes process if it persists.',
      'system',
      { cause: error },
    );
  }
  return error;
}

function sqliteCode(error: unknown): string | undefined {
  if (!(error instanceof Error) || !('code' in error)) return undefined;
  const { code } = error as { code: unknown };
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}
