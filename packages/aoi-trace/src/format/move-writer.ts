// A tick's moves section after the count (layout in docs/aoitrace-format.md, "Tick"): the kept moves' ids as runs,
// their teleports and causes, and their residual nibbles. TickEncoder picks the kept moves and their residuals.

import type { TickRecord } from '../model/types.js';
import type { ByteWriter } from './byte-writer.js';
import { writeCause } from './tick-field-writer.js';
import { ESCAPE } from './tick-layout.js';

/** Ids as runs of consecutive ids: [svarint start - end of previous run, varint length - 1]. */
export function writeIdRuns(out: ByteWriter, ids: Int32Array, keep: Int32Array, kept: number): void {
  let runs = 0;
  for (let k = 0; k < kept; k++) if (k === 0 || ids[keep[k]!] !== ids[keep[k - 1]!]! + 1) runs++;
  out.varint(runs);
  let prevEnd = 0;
  let k = 0;
  while (k < kept) {
    const start = ids[keep[k]!]!;
    let end = k + 1;
    while (end < kept && ids[keep[end]!] === start + (end - k)) end++;
    out.svarint(start - prevEnd);
    out.varint(end - k - 1);
    prevEnd = start + (end - k);
    k = end;
  }
}

/** Moves that are teleports or have a cause: [varint index delta, u8 teleport, varint cause + 1]. */
export function writeSpecials(
  out: ByteWriter,
  teleports: Uint8Array,
  causes: Int32Array,
  keep: Int32Array,
  kept: number,
  record: TickRecord,
): void {
  let specials = 0;
  for (let k = 0; k < kept; k++) if (teleports[keep[k]!] === 1 || causes[keep[k]!] !== -1) specials++;
  out.varint(specials);
  let prev = 0;
  for (let k = 0; k < kept && specials > 0; k++) {
    const i = keep[k]!;
    if (teleports[i] !== 1 && causes[i] === -1) continue;
    out.varint(k - prev);
    prev = k;
    out.u8(teleports[i] === 1 ? 1 : 0);
    writeCause(out, causes[i]!, record);
  }
}

/** One nibble per move ((rx + 1) * 3 + (ry + 1), or ESCAPE), two per byte, then the escaped residuals. */
export function writeResiduals(out: ByteWriter, rx: Float64Array, ry: Float64Array, kept: number): void {
  const nibbleBytes = (kept + 1) >> 1;
  out.reserve(nibbleBytes);
  const bytes = out.bytes;
  const base = out.length;
  let escapes = 0;
  for (let k = 0; k < kept; k++) {
    const x = rx[k]!;
    const y = ry[k]!;
    let code = ESCAPE;
    if (x >= -1 && x <= 1 && y >= -1 && y <= 1) code = (x + 1) * 3 + (y + 1);
    else escapes++;
    if ((k & 1) === 0) bytes[base + (k >> 1)] = code;
    else bytes[base + (k >> 1)]! |= code << 4;
  }
  out.length += nibbleBytes;
  if (escapes === 0) return;
  for (let k = 0; k < kept; k++) {
    const x = rx[k]!;
    const y = ry[k]!;
    if (x >= -1 && x <= 1 && y >= -1 && y <= 1) continue;
    out.svarint(x);
    out.svarint(y);
  }
}
