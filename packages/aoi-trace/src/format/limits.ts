// The format's size limits (docs/aoitrace-format.md, "Limits"). Every size and count a reader takes from a file is
// checked against these before anything is allocated, so a file, whatever its bytes, is read in bounded memory; the
// writer checks the same numbers, so it never writes a file a reader refuses.

import { TraceError, TraceErrorCode } from '../errors.js';
import type { TickRecord } from '../model/types.js';

export const Limits = {
  /** Bytes of one chunk payload, stored or inflated. */
  chunkPayload: 32 * 1024 * 1024,
  /** Bytes of the header chunk's payload (tag names and attributes: a few hundred bytes in practice). */
  headerPayload: 1024 * 1024,
  /**
   * Inflated bytes per stored byte of a deflated payload: deflate cannot do better than 1032:1
   * (https://zlib.net/zlib_tech.html, "Maximum Compression Factor"), so a frame declaring more is lying.
   */
  deflateRatio: 1032,
  /** Ticks in one ticks chunk. */
  chunkTicks: 65_536,
  /**
   * Estimated memory of one decoded chunk (see {@link DecodeCost}), strings aside (bounded by the payload): an empty
   * tick is not free, so a chunk of zeros cannot expand into millions of records.
   */
  chunkDecodedBytes: 64 * 1024 * 1024,
  /** Entities alive at once (in a keyframe, or spawned and not despawned). */
  liveEntities: 1 << 20,
  /** View pairs in a world: in one keyframe (a mutual pair counts twice), or after any tick of a replay. */
  viewPairs: 1 << 22,
  /** Chunks in one file (index entries, or chunks found by a scan, damaged stretches included). */
  chunks: 1 << 20,
  /**
   * Format 3: pair tests (a candidate from the grid, or a pair in view) the prediction may make while one ticks chunk
   * is decoded (a few seconds of CPU): bounds the time a small chunk over a huge clump of entities can take.
   */
  predictionWork: 2 ** 30,
} as const;

/**
 * What one decoded item costs in memory, in bytes (a tick record with its arrays, a move's five columns, ...): the
 * unit of {@link Limits.chunkDecodedBytes}, for the reader and the writer alike.
 */
export const DecodeCost = {
  tick: 256,
  move: 32,
  event: 12,
  spawn: 256,
  update: 160,
  despawn: 8,
  message: 256,
  tag: 8,
} as const;

/** The decoded cost of one tick record, as the reader will charge it. */
export function tickCost(record: TickRecord): number {
  let tags = 0;
  for (const spawn of record.spawns) tags += spawn.tags.length;
  for (const update of record.updates) tags += update.tags?.length ?? 0;
  return (
    DecodeCost.tick +
    record.moves.count * DecodeCost.move +
    record.events.count * DecodeCost.event +
    record.spawns.length * DecodeCost.spawn +
    record.updates.length * DecodeCost.update +
    record.despawns.length * DecodeCost.despawn +
    record.messages.length * DecodeCost.message +
    tags * DecodeCost.tag
  );
}

/** Charges a chunk's decoding against the limits; `fail` names the chunk (a ByteReader's `fail`). */
export class ChunkBudget {
  private spent = 0;
  private ticks = 0;
  private readonly fail: (what: string) => TraceError;

  constructor(fail: (what: string) => TraceError) {
    this.fail = fail;
  }

  private work = 0;

  /** Format 3: charges `count` pair tests of the prediction (Limits.predictionWork). */
  predictionWork(count: number): void {
    this.work += count;
    if (this.work > Limits.predictionWork) {
      throw this.fail(`predicts with more than ${Limits.predictionWork} pair tests, the limit`);
    }
  }

  tick(): void {
    if (++this.ticks > Limits.chunkTicks) throw this.fail(`more than ${Limits.chunkTicks} ticks (the limit)`);
    this.charge(1, DecodeCost.tick, 'tick');
  }

  /** Charges `count` items of `unit` bytes each; call before allocating them. */
  charge(count: number, unit: number, what: string): void {
    this.spent += count * unit;
    if (this.spent > Limits.chunkDecodedBytes) {
      throw this.fail(
        `decodes to more than ${Limits.chunkDecodedBytes / 1024 / 1024} MiB (at ${count} ${what}(s)), the limit`,
      );
    }
  }
}

/** A TraceError for a recording the format cannot hold (the writer's side of the limits). */
export function beyondLimit(message: string): TraceError {
  return new TraceError(TraceErrorCode.Limit, `${message} (docs/aoitrace-format.md, "Limits").`);
}
