import { type FSWatcher, type Stats, statSync, watch } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { errnoCode } from './error-text.js';

export interface FollowLogOptions {
  /** Start at the current end of the file instead of its beginning. @default false */
  fromEnd?: boolean;
  /** Following ends when this aborts; without it, it never ends. */
  signal?: AbortSignal;
  /** How often the file is looked at when no change notification arrives. @default 250 */
  pollMs?: number;
}

const NEWLINE = 0x0a;
const READ_BYTES = 1024 * 1024;

/**
 * Calls `onLine` for every line appended to `file`, like `tail -F`, until `signal` aborts; the promise then
 * resolves, after handing over a last line that had no newline yet. The file may not exist yet and may be written
 * by other processes; when it is truncated or replaced it is read again from its start. Polling keeps it correct
 * (change notifications are unreliable across processes and file systems); `fs.watch` only makes it prompter.
 * A throw from `onLine` ends the following and rejects the promise.
 */
export async function followLog(
  file: string,
  onLine: (line: string) => void,
  options: FollowLogOptions = {},
): Promise<void> {
  const { signal } = options;
  const pollMs = options.pollMs ?? 250;
  // Taken synchronously so that `fromEnd` means "lines appended after this call", with no window in between.
  const first = statSyncOrUndefined(file);
  let position = options.fromEnd && first ? first.size : 0;
  let identity = first ? fileIdentity(first) : undefined;
  const lines = new LineSplitter(onLine);
  let watcher: FSWatcher | undefined;
  let wake: (() => void) | undefined;
  const closeWatcher = () => {
    watcher?.close();
    watcher = undefined;
  };

  try {
    // One more read after the abort, so that what was written up to then is not lost.
    for (let last = false; !last; ) {
      last = signal?.aborted ?? false;
      const stats = await statOrUndefined(file);
      if (!stats) {
        closeWatcher();
      } else {
        const id = fileIdentity(stats);
        if ((identity !== undefined && id !== identity) || stats.size < position) {
          lines.flush();
          closeWatcher();
          position = 0;
        }
        identity = id;
        if (stats.size > position) position += await readRange(file, position, stats.size, lines.push);
        watcher ??= tryWatch(file, () => wake?.());
      }
      if (!last) {
        await new Promise<void>((resolve) => {
          wake = pause(pollMs, signal, resolve);
        });
        wake = undefined;
      }
    }
    lines.flush();
  } finally {
    closeWatcher();
  }
}

/** Cuts bytes into lines; a line split between two reads, even inside a character, is joined before decoding. */
class LineSplitter {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onLine: (line: string) => void) {}

  readonly push = (data: Buffer): void => {
    const buffer = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
    let start = 0;
    for (let end = buffer.indexOf(NEWLINE); end !== -1; end = buffer.indexOf(NEWLINE, start)) {
      this.onLine(stripCr(buffer.toString('utf8', start, end)));
      start = end + 1;
    }
    this.pending = buffer.subarray(start);
  };

  flush(): void {
    if (this.pending.length > 0) this.onLine(stripCr(this.pending.toString('utf8')));
    this.pending = Buffer.alloc(0);
  }
}

/** Calls `resolve` after `ms`, on abort, or when the returned function is called, whichever comes first. */
function pause(ms: number, signal: AbortSignal | undefined, resolve: () => void): () => void {
  const done = () => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', done);
    resolve();
  };
  const timer = setTimeout(done, ms);
  signal?.addEventListener('abort', done, { once: true });
  return done;
}

/** Reads [from, to) and hands it to `emit` in bounded pieces; returns how many bytes it read. */
async function readRange(file: string, from: number, to: number, emit: (data: Buffer) => void): Promise<number> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    // Removed since it was looked at: the next look sees it gone.
    if (errnoCode(error) === 'ENOENT') return 0;
    throw error;
  }
  try {
    let position = from;
    while (position < to) {
      const buffer = Buffer.alloc(Math.min(READ_BYTES, to - position));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      emit(buffer.subarray(0, bytesRead));
    }
    return position - from;
  } finally {
    await handle.close();
  }
}

function tryWatch(file: string, onChange: () => void): FSWatcher | undefined {
  try {
    const watcher = watch(file, { persistent: false }, onChange);
    watcher.on('error', () => {});
    return watcher;
  } catch {
    return undefined;
  }
}

async function statOrUndefined(file: string): Promise<Stats | undefined> {
  try {
    return await stat(file);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function statSyncOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function fileIdentity(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
