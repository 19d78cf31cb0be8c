// Where the writer puts bytes and where the reader gets them: a file (positional, synchronous I/O, never the whole
// file in memory) or memory (tests, fuzzing, small traces).

import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';

/** Something the writer appends whole chunks to, each with one positional write. */
export interface WriteTarget {
  write(bytes: Uint8Array, position: number): void;
  close(): void;
}

/** Random-access bytes for the reader. */
export interface ReadSource {
  readonly size: number;
  /** Exactly `length` bytes at `position` (the caller keeps within `size`). */
  read(position: number, length: number): Uint8Array;
  close(): void;
}

export class FileTarget implements WriteTarget {
  private fd: number | undefined;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(bytes: Uint8Array, position: number): void {
    if (this.fd === undefined) throw new Error('FileTarget: write after close.');
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, position + done);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/** A growable in-memory file. */
export class MemoryTarget implements WriteTarget {
  private buffer = new Uint8Array(1 << 16);
  size = 0;

  write(bytes: Uint8Array, position: number): void {
    const end = position + bytes.length;
    if (end > this.buffer.length) {
      let capacity = this.buffer.length * 2;
      while (capacity < end) capacity *= 2;
      const next = new Uint8Array(capacity);
      next.set(this.buffer.subarray(0, this.size));
      this.buffer = next;
    }
    this.buffer.set(bytes, position);
    this.size = Math.max(this.size, end);
  }

  close(): void {}

  /** A copy of the file so far. */
  bytes(): Uint8Array {
    return this.buffer.slice(0, this.size);
  }
}

export class FileSource implements ReadSource {
  readonly size: number;
  private fd: number | undefined;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }

  read(position: number, length: number): Uint8Array {
    if (this.fd === undefined) throw new Error('FileSource: read after close.');
    const bytes = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, bytes, done, length - done, position + done);
      if (n === 0) break;
      done += n;
    }
    return done === length ? bytes : bytes.subarray(0, done);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

export class BytesSource implements ReadSource {
  readonly size: number;
  private readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.size = bytes.length;
  }

  read(position: number, length: number): Uint8Array {
    return this.bytes.subarray(position, Math.min(this.size, position + length));
  }

  close(): void {}
}
