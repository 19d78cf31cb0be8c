import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import type { AdminConfig } from './config-types.js';
import { GatewayConfigError } from './errors.js';

/** 32 random bytes, written as 64 hex characters: what `lanes up` and a standalone gateway create. */
const TOKEN_BYTES = 32;
/** A hand-written token shorter than this is too easy to guess. */
const MIN_TOKEN_CHARS = 32;
/** Bound on what is read from the file: a token is one short line. */
const MAX_TOKEN_FILE_BYTES = 4096;

function tokenIssue(file: string, message: string): GatewayConfigError {
  return new GatewayConfigError([{ path: 'admin.tokenFile', message: `${file}: ${message}` }]);
}

function failure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder; create the folder first';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'this is a folder; give the path of a file';
  return (error as Error).message;
}

/**
 * Reads the admin token; a file that is group- or world-accessible, empty, too short or too long is refused with a
 * message saying how to fix it. Whitespace around the token (a trailing newline) is ignored.
 */
export async function readAdminToken(file: string): Promise<string> {
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw tokenIssue(file, 'not a regular file');
    if (info.size > MAX_TOKEN_FILE_BYTES)
      throw tokenIssue(file, `over ${MAX_TOKEN_FILE_BYTES} bytes; a token is one line`);
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
      const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
      throw tokenIssue(file, `other users may read it (mode ${mode}); run chmod 600 on it`);
    }
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof GatewayConfigError) throw error;
    throw tokenIssue(file, `cannot read the admin token: ${failure(error)}`);
  }
  const token = text.trim();
  if (token.length < MIN_TOKEN_CHARS || /\s/.test(token)) {
    throw tokenIssue(file, `the admin token must be one word of at least ${MIN_TOKEN_CHARS} characters`);
  }
  return token;
}

/**
 * The admin token in `file`, created (mode 0600, 32 random bytes as hex) when the file does not exist yet. Two
 * processes creating it at once agree: the second finds the first one's file.
 */
export async function readOrCreateAdminToken(file: string): Promise<string> {
  try {
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(`${randomBytes(TOKEN_BYTES).toString('hex')}\n`);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw tokenIssue(file, `cannot create the admin token: ${failure(error)}`);
    }
  }
  return readAdminToken(file);
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether an `Authorization` header carries `Bearer <token>` (RFC 6750 §2.1; the scheme is case-insensitive, RFC 9110
 * §11.1). Both sides are hashed first so `timingSafeEqual` compares equal lengths and the token's length does not
 * leak through timing.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^bearer +(\S+) *$/i.exec(header ?? '');
  if (!match) return false;
  return timingSafeEqual(digest(match[1]!), digest(token));
}

/** The token the admin API of this configuration requires, or undefined when it has no `tokenFile` (reads only). */
export function adminToken(admin: AdminConfig): Promise<string | undefined> {
  return admin.tokenFile === undefined ? Promise.resolve(undefined) : readOrCreateAdminToken(admin.tokenFile);
}
