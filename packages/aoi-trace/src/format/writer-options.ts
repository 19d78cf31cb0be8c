// The TraceWriter's options: what each one bounds, their defaults, and the checks against the format's limits.

import { TraceError, TraceErrorCode } from '../errors.js';
import { FORMAT_VERSIONS, type FormatVersion } from './layout.js';
import { Limits } from './limits.js';

export interface TraceWriterOptions {
  /**
   * The format version: `2.2` stores every event; `3.0` stores only the events that differ from what the recorded
   * rule predicts (docs/aoitrace-format.md, "Version 3"): much smaller, slower to write and seek on dense worlds,
   * unreadable by 2.x readers. @default '2.2'
   */
  format?: FormatVersion;
  /** A keyframe at least every this many ticks (bounds stateAt's replay in ticks). @default 128 */
  keyframeInterval?: number;
  /** A keyframe once this many bytes of ticks were encoded (before deflate) since the last one (bounds the replay in bytes). @default 8 MiB */
  keyframeBytes?: number;
  /**
   * A keyframe once the replay since the last one (moves + events + spawns + updates + despawns) reaches this many
   * steps, or half the size of the last keyframe (entities + view pairs) if larger: replaying a step costs stateAt
   * about twice what decoding a keyframe entry does, so the replay never takes longer than decoding the keyframe.
   * Measured on the dense bench map (docs/benchmarks.md): a keyframe every ~22 ticks. @default 250000
   */
  keyframeWork?: number;
  /** A ticks chunk is flushed once its payload reaches this size (at most half the format's chunk limit). @default 256 KiB */
  chunkBytes?: number;
  /**
   * ...or once it holds this many ticks (at most the format's limit), or once its ticks would decode to more than
   * the format's limit (docs/aoitrace-format.md, "Limits"). @default 64
   */
  chunkTicks?: number;
  /** Raw-deflate each chunk payload (kept only when it is smaller). @default true */
  deflate?: boolean;
  /** zlib level for `deflate`. @default 1 */
  deflateLevel?: number;
  /**
   * Pack chunks on two worker threads: keeping the view sets for keyframes, writing a keyframe's views, deflate and
   * checksums leave the caller's thread (on the dense bench map, ~3/4 of the writer's CPU). Same bytes either way.
   * Chunks reach the target a few chunks later; flush() and close() wait for all of them. With format 3.x the whole
   * writer moves to a worker instead (`backgroundTicks`), and a record's error is thrown by the next writeTick, flush
   * or close after the worker reaches it (the file keeps every tick before the bad one). Needs the compiled workers
   * (`encode-worker.js`, `writer-thread.js`: next to this module, or in dist/ when running from sources). @default false
   */
  background?: boolean;
  /** With `background`: chunks that may be unfinished before writeTick blocks until the workers catch up. @default 8 */
  backgroundQueue?: number;
  /**
   * With `background` and format 3.x, the whole writer (prediction, deviations, chunking, keyframes, deflate) runs on
   * one worker thread and the caller only copies each tick's columns: this many ticks may be in flight before
   * writeTick blocks until the worker has finished one (memory: about this many ticks' columns). A worker that falls
   * behind slows the caller to its rate. @default 8
   */
  backgroundTicks?: number;
}

/** Every option given, defaults filled in. */
export type ResolvedWriterOptions = Required<TraceWriterOptions>;

/** Fills in the defaults; an option that is not positive, or over the format's limit, is INVALID_ARGUMENT. */
export function resolveWriterOptions(options: TraceWriterOptions): ResolvedWriterOptions {
  return {
    keyframeInterval: positive(options.keyframeInterval ?? 128, 'keyframeInterval'),
    keyframeBytes: positive(options.keyframeBytes ?? 8 * 1024 * 1024, 'keyframeBytes'),
    keyframeWork: positive(options.keyframeWork ?? 250_000, 'keyframeWork'),
    chunkBytes: atMost(positive(options.chunkBytes ?? 256 * 1024, 'chunkBytes'), Limits.chunkPayload / 2, 'chunkBytes'),
    chunkTicks: atMost(positive(options.chunkTicks ?? 64, 'chunkTicks'), Limits.chunkTicks, 'chunkTicks'),
    deflate: options.deflate ?? true,
    deflateLevel: options.deflateLevel ?? 1,
    background: options.background ?? false,
    backgroundQueue: positive(options.backgroundQueue ?? 8, 'backgroundQueue'),
    backgroundTicks: positive(options.backgroundTicks ?? 8, 'backgroundTicks'),
    format: formatVersion(options.format ?? '2.2'),
  };
}

function formatVersion(value: string): FormatVersion {
  const known = FORMAT_VERSIONS.find((version) => version === value);
  if (known === undefined) throw argument(`format must be one of ${FORMAT_VERSIONS.join(', ')}, got ${value}.`);
  return known;
}

function positive(value: number, name: string): number {
  if (!(value > 0) || !Number.isFinite(value)) throw argument(`${name} must be a positive number, got ${value}.`);
  return value;
}

function atMost(value: number, limit: number, name: string): number {
  if (value > limit)
    throw argument(`${name} must be at most ${limit} (docs/aoitrace-format.md, "Limits"), got ${value}.`);
  return value;
}

const argument = (message: string) => new TraceError(TraceErrorCode.InvalidArgument, message);
