// What a trace file is made of (TraceReader.stats): bytes by chunk kind and the counts of ticks, moves and events.

import type { TickRecord } from '../model/types.js';
import type { OpenedLayout } from './chunk-scan.js';
import { CHUNK_HEADER_BYTES, ChunkKind } from './layout.js';

export interface TraceStats {
  readonly fileBytes: number;
  readonly chunks: number;
  readonly keyframes: number;
  readonly ticks: number;
  readonly moves: number;
  readonly events: number;
  /** Bytes by chunk kind, frames included: header (with the file header), keyframe, ticks, index (with the footer). */
  readonly bytesByKind: Readonly<Record<'header' | 'keyframe' | 'ticks' | 'index' | 'damaged', number>>;
}

/**
 * The stats of a file of `fileBytes` bytes laid out as `layout`: from the index's per-chunk counts, or by reading
 * every tick with `readTicks` when the index cannot tell (rebuilt after damage).
 */
export function traceStats(layout: OpenedLayout, fileBytes: number, readTicks: () => Iterable<TickRecord>): TraceStats {
  const entries = layout.entries;
  const bytes = { header: 0, keyframe: 0, ticks: 0, index: 0, damaged: 0 };
  let ticks = 0;
  let moves = 0;
  let events = 0;
  const counted = entries.every((e) => e.kind !== ChunkKind.Ticks || e.ticks !== undefined);
  for (const entry of entries) {
    const size = CHUNK_HEADER_BYTES + entry.storedLength;
    if (entry.bad !== undefined) bytes.damaged += size;
    else if (entry.kind === ChunkKind.Keyframe) bytes.keyframe += size;
    else if (entry.kind === ChunkKind.Ticks) bytes.ticks += size;
    if (counted && entry.kind === ChunkKind.Ticks) {
      ticks += entry.ticks ?? 0;
      moves += entry.moves ?? 0;
      events += entry.events ?? 0;
    }
  }
  if (!counted) {
    for (const record of readTicks()) {
      ticks++;
      moves += record.moves.count;
      events += record.events.count;
    }
  }
  const first = entries[0]?.offset ?? layout.cutAt ?? fileBytes;
  bytes.header = Math.min(first, fileBytes);
  bytes.index = Math.max(0, fileBytes - bytes.header - bytes.keyframe - bytes.ticks - bytes.damaged);
  const keyframes = entries.filter((e) => e.kind === ChunkKind.Keyframe).length;
  return { fileBytes, chunks: entries.length, keyframes, ticks, moves, events, bytesByKind: bytes };
}
