import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Small secret files (the admin token, the lane-token signing key): created once with mode 0600, and used only while
 * no one else on the machine may read them.
 */

/** A fresh secret: `bytes` random bytes as hex, on one line. */
export function randomSecret(bytes: number): string {
  return `${randomBytes(bytes).toString('hex')}\n`;
}

/**
 * Creates `file` holding `content`, mode 0600, unless it exists already. The content goes to a temporary file that is
 * then hard-linked into place, so two processes creating it at once end up with one complete file, and a reader never
 * sees half of it. With `folderMode`, missing folders are created with that mode. Throws the file system's error,
 * except for a file that already exists.
 */
export function createPrivateFile(file: string, content: string, options: { folderMode?: number } = {}): void {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    if (options.folderMode !== undefined) mkdirSync(dirname(file), { recursive: true, mode: options.folderMode });
    writeFileSync(temp, content, { mode: 0o600, flag: 'wx' });
    linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // Never created: nothing to clean up.
    }
  }
}

/** What reading a private file found: its text, or why it may not be used. */
export type PrivateFileRead =
  | { type: 'read'; text: string }
  | { type: 'not-file' }
  | { type: 'too-large'; maxBytes: number }
  /** Group or others may access it; `mode` is its permission bits. */
  | { type: 'shared'; mode: number };

/** Reads a private file of at most `maxBytes`, checked on the open file itself. The file system's errors are thrown. */
export function readPrivateFile(file: string, maxBytes: number): PrivateFileRead {
  const fd = openSync(file, 'r');
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { type: 'not-file' };
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) return { type: 'shared', mode: stat.mode & 0o777 };
    if (stat.size > maxBytes) return { type: 'too-large', maxBytes };
    return { type: 'read', text: readFileSync(fd, 'utf8') };
  } finally {
    closeSync(fd);
  }
}
