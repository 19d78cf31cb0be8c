// Test helpers: a WorldState as plain sorted data, and the chunk layout of a file (walking the frames).

import type { TickRecord } from '../../model/types.js';
import { WorldState } from '../../model/world-state.js';
import { decodeFrame } from '../chunk-frame.js';
import { CHUNK_HEADER_BYTES, FILE_HEADER_BYTES } from '../layout.js';

export function plainWorld(state: WorldState): object {
  return {
    tick: state.tick,
    time: state.time,
    entities: [...state.entities.values()].map((e) => ({ ...e })).sort((a, b) => a.id - b.id),
    views: [...state.views.keys()].sort((a, b) => a - b).map((w) => [w, state.viewOf(w)]),
  };
}

/** The world after each tick, by full replay from the start. */
export function replayAll(records: readonly TickRecord[]): Map<number, object> {
  const state = new WorldState();
  const worlds = new Map<number, object>();
  for (const record of records) {
    state.apply(record);
    worlds.set(record.tick, plainWorld(state));
  }
  return worlds;
}

export interface ChunkSpan {
  offset: number;
  end: number;
  kind: number;
  firstTick: number;
  lastTick: number;
}

/** Every chunk of a valid file, header chunk and index chunk included, by walking the frames. */
export function chunkSpans(bytes: Uint8Array): ChunkSpan[] {
  const spans: ChunkSpan[] = [];
  let offset = FILE_HEADER_BYTES;
  while (offset + CHUNK_HEADER_BYTES <= bytes.length) {
    const frame = decodeFrame(bytes.subarray(offset, offset + CHUNK_HEADER_BYTES));
    if (typeof frame === 'string') break;
    const end = offset + CHUNK_HEADER_BYTES + frame.storedLength;
    spans.push({ offset, end, kind: frame.kind, firstTick: frame.firstTick, lastTick: frame.lastTick });
    offset = end;
  }
  return spans;
}
