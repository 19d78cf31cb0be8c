import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateTokenKey } from './token-key.js';

const dir = mkdtempSync(join(tmpdir(), 'lane-token-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadOrCreateTokenKey', () => {
  it('creates a 32-byte key with mode 0600 on first use, then reads the same key', () => {
    const file = join(dir, 'state', 'lane-token.key');
    const key = loadOrCreateTokenKey(file);
    expect(key).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(Buffer.from(loadOrCreateTokenKey(file)).equals(Buffer.from(key))).toBe(true);
  });

  it('refuses a key file that group or others can read, saying how to fix it', () => {
    const file = join(dir, 'open.key');
    writeFileSync(file, `${'ab'.repeat(32)}\n`);
    chmodSync(file, 0o644);
    expect(() => loadOrCreateTokenKey(file)).toThrow(`mode 644`);
    expect(() => loadOrCreateTokenKey(file)).toThrow(`chmod 600 ${file}`);
    chmodSync(file, 0o600);
    expect(loadOrCreateTokenKey(file)).toHaveLength(32);
  });

  it('refuses a key file that holds no key', () => {
    const file = join(dir, 'short.key');
    writeFileSync(file, 'abcd\n', { mode: 0o600 });
    expect(() => loadOrCreateTokenKey(file)).toThrow('at least 32 bytes');
  });
});
