// Writes 2.x's events section (layout in docs/aoitrace-format.md, "Tick"): the kinds two bits each, then the events
// grouped by watcher; the twin of event-section-reader.ts. Apart from tick-encoder.ts because it is a section of its
// own with its own hot loop; format 3 writes the events its prediction misses in event-deviations.ts.

import type { TraceError } from '../errors.js';
import type { TickRecord } from '../model/types.js';
import { invalidTick } from '../model/world-rules.js';
import { type ByteWriter, putSvarint, putVarint } from './byte-writer.js';

/** 2.x's events section of `record`; a kind above 2 throws INVALID_RECORD. */
export function writeEventSection(out: ByteWriter, record: TickRecord): void {
  const { count, kinds, watchers, targets } = record.events;
  out.varint(count);
  if (count === 0) return;
  const kindBytes = (count + 3) >> 2;
  // Room for the worst case (5 bytes a varint), so the loops below write without checks.
  out.reserve(kindBytes + 5 + count * 15);
  const bytes = out.bytes;
  const base = out.length;
  bytes.fill(0, base, base + kindBytes);
  let groups = 0;
  for (let i = 0; i < count; i++) {
    const kind = kinds[i]!;
    if (kind > 2) throw badEventKind(record.tick, i, kind);
    bytes[base + (i >> 2)]! |= kind << ((i & 3) * 2);
    if (i === 0 || watchers[i] !== watchers[i - 1]) groups++;
  }
  let n = putVarint(bytes, base + kindBytes, groups);
  let prevWatcher = 0;
  let i = 0;
  while (i < count) {
    const watcher = watchers[i]!;
    let end = i + 1;
    while (end < count && watchers[end] === watcher) end++;
    n = putSvarint(bytes, n, watcher - prevWatcher);
    n = putVarint(bytes, n, end - i - 1);
    let prevTarget = watcher;
    for (; i < end; i++) {
      n = putSvarint(bytes, n, targets[i]! - prevTarget);
      prevTarget = targets[i]!;
    }
    prevWatcher = watcher;
  }
  out.length = n;
}

/** The error of event `i` of tick `tick` with kind `kind` (> 2). */
export function badEventKind(tick: number, i: number, kind: number): TraceError {
  return invalidTick(tick, `event ${i} has kind ${kind}; kinds are 0 (enter), 1 (exit), 2 (move).`);
}
