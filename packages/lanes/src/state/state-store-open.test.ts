import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LanesError } from '../errors.js';
import { SCHEMA_VERSION } from './schema.js';
import { STATE_FILE, StateStore } from './state-store.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lanes-state-open-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openError(dir: string): LanesError {
  try {
    StateStore.open(dir).close();
  } catch (error) {
    if (error instanceof LanesError) return error;
    throw error;
  }
  throw new Error('expected StateStore.open to fail');
}

describe('StateStore.open', () => {
  it('creates the folder and a WAL database with foreign keys and the current schema version', () => {
    const dir = join(tempDir(), 'nested', '.lanes');
    const store = StateStore.open(dir);
    expect(store.file).toBe(join(dir, STATE_FILE));
    store.close();
    const db = new Database(join(dir, STATE_FILE));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get()).toEqual({
      value: String(SCHEMA_VERSION),
    });
    db.close();
  });

  it('keeps the data across reopening without migrating again', () => {
    const dir = tempDir();
    const first = StateStore.open(dir);
    const started = first.beginOperation('up', []);
    expect(started.type).toBe('started');
    first.close();
    const second = StateStore.open(dir);
    expect(second.listOperations().map((op) => op.kind)).toEqual(['up']);
    second.close();
  });

  it('refuses a database written by a newer schema, naming both versions', () => {
    const dir = tempDir();
    StateStore.open(dir).close();
    const db = new Database(join(dir, STATE_FILE));
    db.prepare(`UPDATE meta SET value = '999' WHERE key = 'schema_version'`).run();
    db.close();
    const error = openError(dir);
    expect(error.code).toBe('LANES_STATE_TOO_NEW');
    expect(error.fault).toBe('user');
    expect(error.message).toContain('999');
    expect(error.message).toContain(`up to ${SCHEMA_VERSION}`);
    expect(error.message).toContain(join(dir, STATE_FILE));
  });

  it('reports a garbage file as LANES_STATE_UNREADABLE, naming the file and what to do', () => {
    const dir = tempDir();
    writeFileSync(join(dir, STATE_FILE), Buffer.from('this is not a database, just some text that is long enough'));
    const error = openError(dir);
    expect(error.code).toBe('LANES_STATE_UNREADABLE');
    expect(error.message).toContain(join(dir, STATE_FILE));
    expect(error.message).toMatch(/backup|move it away/);
  });

  it('reports a folder in place of the file as LANES_STATE_UNREADABLE', () => {
    const dir = tempDir();
    mkdirSync(join(dir, STATE_FILE));
    const error = openError(dir);
    expect(error.code).toBe('LANES_STATE_UNREADABLE');
    expect(error.message).toContain(join(dir, STATE_FILE));
  });
});
