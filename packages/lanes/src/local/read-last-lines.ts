import { type FileHandle, open } from 'node:fs/promises';
import { errnoCode } from './error-text.js';

const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * The last `n` lines of a text file, read backwards in chunks so that a replica's long log costs only its tail.
 * A final newline ends the last line rather than starting an empty one; `\r\n` endings are accepted. A missing
 * file has no lines (a replica that never started has no log).
 */
export async function readLastLines(file: string, n: number): Promise<string[]> {
  if (n <= 0) return [];
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return [];
    throw error;
  }
  try {
    const tail = await readTail(handle, n);
    if (tail.length === 0) return [];
    const text = tail.toString('utf8');
    const lines = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
    return lines.slice(-n).map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  } finally {
    await handle.close();
  }
}

/**
 * The smallest suffix of the file that holds its last `n` lines whole: enough chunks to see `n` newlines before
 * the file's final byte. Decoded only once joined, so a character split between two chunks stays whole.
 */
async function readTail(handle: FileHandle, n: number): Promise<Buffer> {
  const { size } = await handle.stat();
  const chunks: Buffer[] = [];
  let end = size;
  let newlines = 0;
  while (end > 0 && newlines < n) {
    const start = Math.max(0, end - CHUNK_BYTES);
    const chunk = Buffer.alloc(end - start);
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, start);
    const data = chunk.subarray(0, bytesRead);
    const countUpTo = end === size ? data.length - 1 : data.length;
    for (let i = 0; i < countUpTo; i++) if (data[i] === NEWLINE) newlines++;
    chunks.unshift(data);
    end = start;
  }
  return Buffer.concat(chunks);
}
