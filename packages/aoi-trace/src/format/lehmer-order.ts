// Format 3's events section stores a tick's real order, when it is not the canonical one (canonical-order.ts), as a
// Lehmer code over the canonical list; a Fenwick tree makes writing and reading it O(n log n).

import type { EventColumns } from '../model/types.js';
import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { EventBuffer } from './event-buffer.js';

/** The real order as a Lehmer code over the canonical list: per event, how many unused events sort before it. */
export function writeOrder(out: ByteWriter, order: Int32Array): void {
  const n = order.length;
  const position = new Int32Array(n);
  for (let j = 0; j < n; j++) position[order[j]!] = j;
  const tree = new Fenwick(n);
  for (let i = 0; i < n; i++) {
    const at = position[i]!;
    out.varint(tree.prefix(at));
    tree.remove(at);
  }
}

export function readOrder(input: ByteReader, canonical: EventBuffer): EventColumns {
  const n = canonical.count;
  if (n > input.remaining) throw input.fail(`order of ${n} events exceeds the payload`);
  const out = new EventBuffer();
  out.reserve(n);
  const tree = new Fenwick(n);
  for (let i = 0; i < n; i++) {
    const code = input.varint();
    if (code >= n - i) throw input.fail(`order code ${code} past the ${n - i} events left`);
    const at = tree.find(code);
    tree.remove(at);
    out.push(canonical.kinds[at]!, canonical.watchers[at]!, canonical.targets[at]!);
  }
  return out.columns();
}

/** A Fenwick tree over n positions, each 1 (unused) until removed. */
class Fenwick {
  private readonly tree: Int32Array;
  private readonly n: number;
  private top = 1;

  constructor(n: number) {
    this.n = n;
    this.tree = new Int32Array(n + 1);
    for (let i = 1; i <= n; i++) {
      this.tree[i]! += 1;
      const parent = i + (i & -i);
      if (parent <= n) this.tree[parent]! += this.tree[i]!;
    }
    while (this.top * 2 <= n) this.top *= 2;
  }

  /** Unused positions below `at`. */
  prefix(at: number): number {
    let sum = 0;
    for (let i = at; i > 0; i -= i & -i) sum += this.tree[i]!;
    return sum;
  }

  remove(at: number): void {
    for (let i = at + 1; i <= this.n; i += i & -i) this.tree[i]! -= 1;
  }

  /** The position of the unused one with `k` unused before it. */
  find(k: number): number {
    let pos = 0;
    let rest = k;
    for (let step = this.top; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= this.n && this.tree[next]! <= rest) {
        pos = next;
        rest -= this.tree[next]!;
      }
    }
    return pos;
  }
}
