import type { Writable } from 'node:stream';

/**
 * `lanes logs | head -1`: once the reader is gone, a write fails with EPIPE, emitted as an 'error' event that,
 * unheard, crashes the CLI with a stack trace. As other Unix tools, the CLI then ends quietly: nobody reads on.
 */
export function endQuietlyOnBrokenPipe(stream: Writable, end: () => void): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') end();
    else throw error;
  });
}
