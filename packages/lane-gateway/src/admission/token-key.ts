import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The key file holds 32 random bytes as hex: the HMAC-SHA-256 block-size advice of RFC 2104 §3 is met twice over. */
const KEY_BYTES = 32;
const MAX_KEY_FILE_BYTES = 4096;

/** Why a lane-token key file cannot be used; the message says what to do. */
export class TokenKeyError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`lane-token key file ${file}: ${message}`);
    this.name = 'TokenKeyError';
  }
}

function readKey(file: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new TokenKeyError(file, `cannot read it: ${(error as Error).message}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new TokenKeyError(file, 'not a regular file');
    if ((stat.mode & 0o077) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(3, '0');
      throw new TokenKeyError(
        file,
        `it is readable by group or others (mode ${mode}), so anyone on this machine could forge lane tokens; run "chmod 600 ${file}"`,
      );
    }
    if (stat.size > MAX_KEY_FILE_BYTES) throw new TokenKeyError(file, `larger than ${MAX_KEY_FILE_BYTES} bytes`);
    const text = readFileSync(fd, 'utf8').trim();
    if (!/^[0-9a-f]+$/.test(text) || text.length < KEY_BYTES * 2 || text.length % 2 !== 0) {
      throw new TokenKeyError(file, `expected at least ${KEY_BYTES} bytes as hex digits; delete it to get a new key`);
    }
    return Buffer.from(text, 'hex');
  } finally {
    closeSync(fd);
  }
}

/**
 * The lane-token signing key in `file`, created (mode 0600, folder 0700) when it does not exist yet. The key is
 * written to a temporary file and hard-linked into place, so a gateway and `lanes token` starting together end up
 * with one complete key, never a half-written one.
 */
export function loadOrCreateTokenKey(file: string): Uint8Array {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(temp, `${randomBytes(KEY_BYTES).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new TokenKeyError(file, `cannot create it: ${(error as Error).message}`);
    }
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // Never created: nothing to clean up.
    }
  }
  return readKey(file);
}
