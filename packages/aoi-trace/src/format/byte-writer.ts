// A growable little-endian byte buffer with the varint/zigzag encodings of the .aoitrace format. One per encoder,
// reused across chunks, so steady-state encoding allocates nothing.

const encoder = new TextEncoder();

export class ByteWriter {
  bytes: Uint8Array;
  length = 0;
  private view: DataView;

  constructor(capacity = 1 << 16) {
    this.bytes = new Uint8Array(capacity);
    this.view = new DataView(this.bytes.buffer);
  }

  reset(): void {
    this.length = 0;
  }

  /** Makes room for `extra` more bytes. */
  reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < needed) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }

  u8(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  u32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
  }

  f64(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  /** Unsigned LEB128 of an integer in [0, 2^53). */
  varint(value: number): void {
    this.reserve(8);
    const bytes = this.bytes;
    let n = this.length;
    if (value < 0x80000000) {
      let v = value >>> 0;
      while (v >= 0x80) {
        bytes[n++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      bytes[n++] = v;
    } else {
      this.reserve(9);
      let v = value;
      while (v >= 0x80) {
        bytes[n++] = (v % 128) | 0x80;
        v = Math.floor(v / 128);
      }
      bytes[n++] = v;
    }
    this.length = n;
  }

  /** Zigzag then varint: small magnitudes of either sign take one byte. Safe integers only. */
  svarint(value: number): void {
    if (value >= -0x40000000 && value < 0x40000000) this.varint(((value << 1) ^ (value >> 31)) >>> 0);
    else this.varint(value < 0 ? -value * 2 - 1 : value * 2);
  }

  /** A number that is often a small integer: varint(zigzag * 2) for integers below 2^29, else 1 then f64. */
  number(value: number): void {
    if (Number.isInteger(value) && value >= -0x10000000 && value < 0x10000000 && !Object.is(value, -0)) {
      this.varint((((value << 1) ^ (value >> 31)) >>> 0) * 2);
    } else {
      this.u8(1);
      this.f64(value);
    }
  }

  /** UTF-8 bytes with a varint length in front. */
  string(value: string): void {
    const encoded = encoder.encode(value);
    this.varint(encoded.length);
    this.append(encoded);
  }

  append(data: Uint8Array): void {
    this.reserve(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  /** A copy of what was written. */
  toBytes(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/**
 * Hot-loop varint: writes `value` (an integer in [0, 2^35)) at `n` in `bytes`, which the caller reserved (5 bytes
 * a value); returns the new end. Same bytes as {@link ByteWriter.varint}.
 */
export function putVarint(bytes: Uint8Array, n: number, value: number): number {
  let v = value;
  if (v >= 0x80000000) {
    bytes[n++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  v >>>= 0;
  while (v >= 0x80) {
    bytes[n++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  bytes[n++] = v;
  return n;
}

/** Hot-loop svarint for |value| < 2^34 (the difference of two 32-bit ids); see {@link putVarint}. */
export function putSvarint(bytes: Uint8Array, n: number, value: number): number {
  if (value >= -0x40000000 && value < 0x40000000) return putVarint(bytes, n, ((value << 1) ^ (value >> 31)) >>> 0);
  return putVarint(bytes, n, value < 0 ? -value * 2 - 1 : value * 2);
}
