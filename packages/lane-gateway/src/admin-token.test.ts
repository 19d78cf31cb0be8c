import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerMatches, readAdminToken, readOrCreateAdminToken } from './admin-token.js';
import { parseGatewayConfig } from './config.js';
import { GatewayConfigError } from './errors.js';

describe('the admin token file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lanes-admin-token-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is created with 32 random bytes and mode 0600, and read back the same', async () => {
    const file = join(dir, 'created');
    const token = await readOrCreateAdminToken(file);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readOrCreateAdminToken(file)).toBe(token);
    expect(await readAdminToken(file)).toBe(token);
    expect(await readOrCreateAdminToken(join(dir, 'other'))).not.toBe(token);
  });

  it('is refused when other users may read it', async () => {
    const file = join(dir, 'open');
    await writeFile(file, `${'x'.repeat(40)}\n`);
    await chmod(file, 0o644);
    await expect(readAdminToken(file)).rejects.toThrow('mode 0644); run chmod 600');
  });

  it.each([
    ['too short', 'short'],
    ['empty', ''],
    ['two words', `${'x'.repeat(40)} ${'y'.repeat(40)}`],
  ])('is refused when %s', async (_name, content) => {
    const file = join(dir, `bad-${content.length}`);
    await writeFile(file, content, { mode: 0o600 });
    const error = await readAdminToken(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayConfigError);
    expect((error as GatewayConfigError).issues[0]!.path).toBe('admin.tokenFile');
    expect((error as Error).message).toContain('at least 32 characters');
  });

  it('names the file when it cannot be created', async () => {
    await expect(readOrCreateAdminToken(join(dir, 'missing-folder', 'token'))).rejects.toThrow(
      /missing-folder\/token: cannot create the admin token: no such file or folder/,
    );
  });

  it('keeps a hand-written token as written, without the newline', async () => {
    const file = join(dir, 'written');
    await writeFile(file, `${'t'.repeat(48)}\n`, { mode: 0o600 });
    expect(await readOrCreateAdminToken(file)).toBe('t'.repeat(48));
    expect(await readFile(file, 'utf8')).toBe(`${'t'.repeat(48)}\n`);
  });
});

describe('bearerMatches', () => {
  const token = 'k'.repeat(64);
  it.each([
    [`Bearer ${token}`, true],
    [`BEARER ${token}`, true],
    [`Bearer ${token.slice(1)}`, false],
    [`Bearer ${token} extra`, false],
    [token, false],
    ['Bearer', false],
    [undefined, false],
  ])('%s -> %s', (header, expected) => {
    expect(bearerMatches(header, token)).toBe(expected);
  });
});

describe('admin.tokenFile in the gateway config', () => {
  const raw = (admin: Record<string, unknown>) => ({
    listen: { port: 8080 },
    admin: { port: 9901, ...admin },
    services: { shop: { lanes: { default: { replicas: [] } } } },
  });

  it('is resolved against the config file folder', () => {
    expect(parseGatewayConfig(raw({ tokenFile: 'admin-token' }), '/etc/lanes/gateway.json').admin.tokenFile).toBe(
      '/etc/lanes/admin-token',
    );
    expect(parseGatewayConfig(raw({ tokenFile: '/run/token' })).admin.tokenFile).toBe('/run/token');
  });

  it('is absent unless given', () => {
    expect(parseGatewayConfig(raw({})).admin).toEqual({ host: '127.0.0.1', port: 9901 });
  });

  it.each([
    ['', 'expected the path of the admin token file, got an empty string'],
    [42, 'expected a string, got 42'],
  ])('rejects %j', (tokenFile, message) => {
    expect(() => parseGatewayConfig(raw({ tokenFile }))).toThrow(`admin.tokenFile: ${message}`);
  });

  it('names the field in the message for a typo', () => {
    expect(() => parseGatewayConfig(raw({ token: 'x' }))).toThrow(/admin\.token: unknown field .*tokenFile/);
  });
});
