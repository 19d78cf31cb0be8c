import { createHash, timingSafeEqual } from 'node:crypto';
import type { AdminConfig } from './config-types.js';
import { GatewayConfigError } from './errors.js';
import { createPrivateFile, type PrivateFileRead, randomSecret, readPrivateFile } from './private-file.js';

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
  let read: PrivateFileRead;
  try {
    read = readPrivateFile(file, MAX_TOKEN_FILE_BYTES);
  } catch (error) {
    throw tokenIssue(file, `cannot read the admin token: ${failure(error)}`);
  }
  if (read.type === 'not-file') throw tokenIssue(file, 'not a regular file');
  if (read.type === 'too-large') throw tokenIssue(file, `over ${read.maxBytes} bytes; a token is one line`);
  if (read.type === 'shared') {
    const mode = read.mode.toString(8).padStart(4, '0');
    throw tokenIssue(file, `other users may read it (mode ${mode}); run chmod 600 on it`);
  }
  const token = read.text.trim();
  if (token.length < MIN_TOKEN_CHARS || /\s/.test(token)) {
    throw tokenIssue(file, `the admin token must be one word of at least ${MIN_TOKEN_CHARS} characters`);
  }
  return token;
}

/**
 * The admin token in `file`, created (mode 0600, 32 random bytes as hex) when the file does not exist yet. Two
 * processes creating it at once agree: the second finds the first one's complete file.
 */
export async function readOrCreateAdminToken(file: string): Promise<string> {
  try {
    createPrivateFile(file, randomSecret(TOKEN_BYTES));
  } catch (error) {
    throw tokenIssue(file, `cannot create the admin token: ${failure(error)}`);
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
