// Each chunk has its own string table, defined on first use: a reference is varint 0 followed by the string (which
// gets the next index), or varint i + 1 for the i-th string already defined in this chunk. Tag names, message
// names and trace ids repeat tick after tick and so cost a byte or two each.

import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';

export class StringTableWriter {
  private readonly indexes = new Map<string, number>();

  reset(): void {
    this.indexes.clear();
  }

  write(out: ByteWriter, value: string): void {
    const index = this.indexes.get(value);
    if (index !== undefined) {
      out.varint(index + 1);
      return;
    }
    this.indexes.set(value, this.indexes.size);
    out.varint(0);
    out.string(value);
  }
}

export class StringTableReader {
  private readonly strings: string[] = [];

  read(input: ByteReader): string {
    const ref = input.varint();
    if (ref === 0) {
      const value = input.string();
      this.strings.push(value);
      return value;
    }
    const value = this.strings[ref - 1];
    if (value === undefined) throw input.fail(`string reference ${ref} is not defined yet`);
    return value;
  }
}
