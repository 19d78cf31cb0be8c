// Bounds-checked reads over one chunk's payload. Every length is checked against the bytes left before anything is
// allocated, and every failure is a CORRUPT TraceError naming the chunk's file offset: a damaged or hostile file
// can make the reader throw, never hang, crash or allocate without bound.

import { TraceError, TraceErrorCode } from '../errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

export class ByteReader {
  readonly bytes: Uint8Array;
  pos = 0;
  /** File offset of the chunk, for error messages. */
  readonly offset: number;
  /** Kind of the chunk (`ticks`, `keyframe`, ...), for error messages. */
  readonly kind: string;
  private readonly view: DataView;

  constructor(bytes: Uint8Array, offset: number, kind = '') {
    this.bytes = bytes;
    this.offset = offset;
    this.kind = kind;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  fail(what: string): TraceError {
    return this.error(TraceErrorCode.Corrupt, what);
  }

  /** A LIMIT error: the chunk decodes to more than docs/aoitrace-format.md's "Limits" allow. */
  limit(what: string): TraceError {
    return this.error(TraceErrorCode.Limit, what, ' See docs/aoitrace-format.md, "Limits".');
  }

  private error(code: TraceErrorCode, what: string, after = ''): TraceError {
    const chunk = this.kind === '' ? 'chunk' : `${this.kind} chunk`;
    return new TraceError(code, `${chunk} at byte ${this.offset}: ${what} (payload byte ${this.pos}).${after}`, {
      offset: this.offset,
    });
  }

  /** Throws unless `n` more bytes exist; `n` may come from the file, so it is checked before any allocation. */
  need(n: number, what: string): void {
    if (n > this.bytes.length - this.pos) throw this.fail(`${what} runs past the end of the payload`);
  }

  u8(): number {
    if (this.pos >= this.bytes.length) throw this.fail('unexpected end of payload');
    return this.bytes[this.pos++]!;
  }

  f64(): number {
    this.need(8, 'a float');
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  varint(): number {
    const bytes = this.bytes;
    let pos = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      if (pos >= bytes.length) throw this.fail('unexpected end of payload in a varint');
      const b = bytes[pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) {
        this.pos = pos;
        if (result > Number.MAX_SAFE_INTEGER) throw this.fail('varint out of range');
        return result;
      }
      scale *= 128;
    }
    throw this.fail('varint longer than 8 bytes');
  }

  svarint(): number {
    const v = this.varint();
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }

  /** A count of items that each take at least `minBytes`: bounded by what is left. */
  count(what: string, minBytes = 1): number {
    const n = this.varint();
    if (n * minBytes > this.remaining) throw this.fail(`${what} count ${n} exceeds the payload`);
    return n;
  }

  number(): number {
    if (this.pos >= this.bytes.length) throw this.fail('unexpected end of payload in a number');
    if (this.bytes[this.pos] === 1) {
      this.pos++;
      return this.f64();
    }
    const v = this.varint();
    if (v % 2 !== 0) throw this.fail('bad number tag');
    const z = v / 2;
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  string(): string {
    const length = this.varint();
    this.need(length, 'a string');
    const start = this.pos;
    this.pos += length;
    try {
      return decoder.decode(this.bytes.subarray(start, start + length));
    } catch {
      throw this.fail('a string is not valid UTF-8');
    }
  }

  /** A view of the next `n` bytes (no copy). */
  take(n: number, what: string): Uint8Array {
    this.need(n, what);
    const start = this.pos;
    this.pos += n;
    return this.bytes.subarray(start, start + n);
  }

  end(): void {
    if (this.pos !== this.bytes.length) throw this.fail(`${this.remaining} unexpected bytes after the data`);
  }
}
