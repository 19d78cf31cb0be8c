// The second half of writing a chunk: apply the view changes of its ticks to the view sets, finish a keyframe with
// those view sets, raw-deflate, checksum and frame. This is most of the writer's CPU on a busy map, and needs nothing
// from the caller but the job, so it runs either inline or on a worker thread (background-packer.ts).

import { crc32, deflateRawSync } from 'node:zlib';
import { ByteWriter } from './byte-writer.js';
import { encodeFrame } from './chunk-frame.js';
import { encodeViews } from './keyframe-codec.js';
import { CHUNK_DEFLATED, ChunkKind } from './layout.js';
import { beyondLimit, Limits } from './limits.js';
import { applyViewChanges, type ViewChanges } from './view-log.js';
import { ViewTable } from './view-table.js';

export interface PackJob {
  readonly kind: number;
  readonly firstTick: number;
  readonly lastTick: number;
  /** A ticks payload, or the entity part of a keyframe (the view sets are appended here); null: only apply changes. */
  readonly raw: Uint8Array | null;
  /** View changes since the previous job, applied before a keyframe's views are written. */
  readonly changes: ViewChanges;
  /** zlib level, or -1 for no deflate. */
  readonly level: number;
  /** A keyframe whose raw payload holds its view sets already (format 3.1 predicts them on the writer's thread). */
  readonly complete?: boolean;
}

export interface FramedChunk {
  /** Frame and stored payload: one positional write. */
  readonly bytes: Uint8Array;
  readonly storedLength: number;
}

export interface PackedChunk extends FramedChunk {
  /** View pairs after this chunk (the writer sizes the next keyframe interval by the last keyframe). */
  readonly pairs: number;
}

export class ChunkPacker {
  private readonly views = new ViewTable();

  pack(job: PackJob): PackedChunk {
    applyViewChanges(this.views, job.changes);
    if (this.views.pairs > Limits.viewPairs) {
      throw beyondLimit(
        `the world at tick ${job.lastTick} has ${this.views.pairs} view pairs, over the limit of ${Limits.viewPairs}`,
      );
    }
    let raw = job.raw;
    if (raw === null) return { bytes: new Uint8Array(0), storedLength: 0, pairs: this.views.pairs };
    if (job.kind === ChunkKind.Keyframe && job.complete !== true) {
      const out = new ByteWriter(raw.length + this.views.pairs * 2 + 1024);
      out.append(raw);
      encodeViews(out, this.views);
      raw = out.bytes.subarray(0, out.length);
    }
    return { ...frameChunk(job.kind, raw, job.firstTick, job.lastTick, job.level), pairs: this.views.pairs };
  }
}

/**
 * Frame + payload for `raw`, deflated at `level` (-1: never) when that makes it smaller. memLevel 9 (zlib's default
 * is 8): ~15% faster on dense ticks chunks for 0.2% more bytes (docs/benchmarks.md, "aoi-trace").
 */
export function frameChunk(
  kind: number,
  raw: Uint8Array,
  firstTick: number,
  lastTick: number,
  level: number,
): FramedChunk {
  if (raw.length > Limits.chunkPayload) {
    throw beyondLimit(
      `a chunk of ticks ${firstTick}..${lastTick} holds ${raw.length} bytes, over the ${Limits.chunkPayload}-byte limit`,
    );
  }
  let stored = raw;
  let flags = 0;
  if (level >= 0 && raw.length > 64) {
    const packed = deflateRawSync(raw, { level, memLevel: 9 });
    if (packed.length < raw.length) {
      stored = packed;
      flags = CHUNK_DEFLATED;
    }
  }
  const frame = encodeFrame({
    kind,
    flags,
    storedLength: stored.length,
    rawLength: raw.length,
    firstTick,
    lastTick,
    payloadCrc: crc32(stored),
  });
  const bytes = new Uint8Array(frame.length + stored.length);
  bytes.set(frame);
  bytes.set(stored, frame.length);
  return { bytes, storedLength: stored.length };
}
