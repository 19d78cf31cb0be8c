import { GatewayError } from '../errors.js';
import { createPrivateFile, type PrivateFileRead, randomSecret, readPrivateFile } from '../private-file.js';

/** The key file holds 32 random bytes as hex: the HMAC-SHA-256 block-size advice of RFC 2104 §3 is met twice over. */
const KEY_BYTES = 32;
const MAX_KEY_FILE_BYTES = 4096;

/** Why a lane-token key file cannot be used; the message says what to do (a user's fault: the file is theirs). */
export class TokenKeyError extends GatewayError {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super('GATEWAY_TOKEN_KEY_UNUSABLE', `lane-token key file ${file}: ${message}`, 'user');
    this.name = 'TokenKeyError';
  }
}

function readKey(file: string): Uint8Array {
  let read: PrivateFileRead;
  try {
    read = readPrivateFile(file, MAX_KEY_FILE_BYTES);
  } catch (error) {
    throw new TokenKeyError(file, `cannot read it: ${(error as Error).message}`);
  }
  if (read.type === 'not-file') throw new TokenKeyError(file, 'not a regular file');
  if (read.type === 'shared') {
    const mode = read.mode.toString(8).padStart(3, '0');
    throw new TokenKeyError(
      file,
      `it is readable by group or others (mode ${mode}), so anyone on this machine could forge lane tokens; run "chmod 600 ${file}"`,
    );
  }
  if (read.type === 'too-large') throw new TokenKeyError(file, `larger than ${read.maxBytes} bytes`);
  const text = read.text.trim();
  if (!/^[0-9a-f]+$/.test(text) || text.length < KEY_BYTES * 2 || text.length % 2 !== 0) {
    throw new TokenKeyError(file, `expected at least ${KEY_BYTES} bytes as hex digits; delete it to get a new key`);
  }
  return Buffer.from(text, 'hex');
}

/**
 * The lane-token signing key in `file`, created (mode 0600, folder 0700) when it does not exist yet; a gateway and
 * `lanes token` starting together end up with one complete key (`createPrivateFile`).
 */
export function loadOrCreateTokenKey(file: string): Uint8Array {
  try {
    createPrivateFile(file, randomSecret(KEY_BYTES), { folderMode: 0o700 });
  } catch (error) {
    throw new TokenKeyError(file, `cannot create it: ${(error as Error).message}`);
  }
  return readKey(file);
}
