import { closeSync, openSync, writeSync } from 'node:fs';

/** Where exporters and the NDJSON writer put text: a file, stdout, a string array. Node's Writable fits too. */
export interface TextSink {
  write(chunk: string): void;
}

/**
 * Text to a file descriptor, buffered so a trace of many small ticks costs few system calls. Writes are
 * synchronous: when `flush()` returns, the text is in the file (a crash loses at most the unflushed buffer).
 */
export class FdTextSink implements TextSink {
  private readonly fd: number;
  private readonly ownsFd: boolean;
  private readonly bufferChars: number;
  private parts: string[] = [];
  private buffered = 0;
  private closed = false;

  /** `target` is a path (created or truncated, closed by {@link close}) or an open fd (left open). */
  constructor(target: string | number, options: { bufferChars?: number } = {}) {
    this.ownsFd = typeof target === 'string';
    this.fd = typeof target === 'string' ? openSync(target, 'w') : target;
    this.bufferChars = options.bufferChars ?? 1 << 16;
  }

  write(chunk: string): void {
    if (this.closed) throw new Error('FdTextSink: write after close.');
    this.parts.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered >= this.bufferChars) this.flush();
  }

  flush(): void {
    if (this.buffered === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.buffered = 0;
    // A pipe (stdout) may take only part of a write, or none (EAGAIN when Node made it non-blocking): wait for the
    // reader briefly and go on, so the writes stay synchronous and memory stays bounded.
    const bytes = Buffer.from(text, 'utf8');
    let offset = 0;
    while (offset < bytes.length) {
      try {
        offset += writeSync(this.fd, bytes, offset);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        Atomics.wait(pause, 0, 0, 2);
      }
    }
  }

  /** Flushes; closes the file if this sink opened it. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.ownsFd) closeSync(this.fd);
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Collects text in memory (tests, small exports). */
export class StringTextSink implements TextSink {
  private readonly parts: string[] = [];

  write(chunk: string): void {
    this.parts.push(chunk);
  }

  toString(): string {
    return this.parts.join('');
  }
}
