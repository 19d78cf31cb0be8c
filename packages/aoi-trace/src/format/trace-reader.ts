// The .aoitrace reader: lazy, chunk by chunk, with seeking through keyframes. Damaged chunks are reported in
// `integrity` and skipped (the ticks up to the next keyframe cannot be decoded without them); `strict` turns that
// into a CORRUPT error instead.

import { TraceError, TraceErrorCode } from '../errors.js';
import type { SeekableTraceInput, TickRange, TickRecord, TraceHeader } from '../model/types.js';
import type { WorldState } from '../model/world-state.js';
import type { ChunkEntry } from './chunk-index.js';
import { type CorruptChunk, type OpenedLayout, openLayout } from './chunk-scan.js';
import { BytesSource, FileSource, type ReadSource } from './io.js';
import { CHUNK_HEADER_BYTES, ChunkKind } from './layout.js';
import { Quantizer } from './quantizer.js';
import { ReplayWorld } from './replay-world.js';
import { SegmentDecoder } from './segment-decoder.js';

export interface TraceReaderOptions {
  /** Throw CORRUPT at the first damaged chunk instead of skipping to the next keyframe. @default false */
  strict?: boolean;
}

export interface TraceIntegrity {
  /** The writer's close() ran: footer and index intact. */
  readonly complete: boolean;
  /**
   * For a file without an intact footer (crash, kill, copy in progress): where the readable part ends, i.e. the
   * offset of the partial chunk that was cut (or the file's size when it ends between chunks).
   */
  readonly cutAt?: number;
  /** Damaged chunks found so far (all of them after {@link TraceReader.verify}, or when the index was rebuilt). */
  readonly corrupt: readonly CorruptChunk[];
}

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

export class TraceReader implements SeekableTraceInput {
  readonly header: TraceHeader;
  private readonly source: ReadSource;
  private readonly layout: OpenedLayout;
  private readonly quantizer: Quantizer;
  private readonly strict: boolean;
  private readonly corrupt = new Map<number, string>();

  constructor(source: ReadSource, options: TraceReaderOptions = {}) {
    this.source = source;
    this.strict = options.strict ?? false;
    this.layout = guard(() => openLayout(source));
    this.header = this.layout.header;
    this.quantizer = new Quantizer(this.header.quantum);
    for (const entry of this.layout.corrupt) this.corrupt.set(entry.offset, entry.reason);
  }

  get integrity(): TraceIntegrity {
    const corrupt = [...this.corrupt].sort((a, b) => a[0] - b[0]).map(([offset, reason]) => ({ offset, reason }));
    const { complete, cutAt } = this.layout;
    return cutAt === undefined ? { complete, corrupt } : { complete, cutAt, corrupt };
  }

  /** First tick in the file, or undefined when it holds none. */
  get firstTick(): number | undefined {
    return this.tickEntries()[0]?.firstTick;
  }

  get lastTick(): number | undefined {
    return this.tickEntries().at(-1)?.lastTick;
  }

  *ticks(range: TickRange = {}): Iterable<TickRecord> {
    const from = range.from ?? Number.NEGATIVE_INFINITY;
    const to = range.to ?? Number.POSITIVE_INFINITY;
    const entries = this.layout.entries;
    const target = entries.findIndex((e) => e.kind === ChunkKind.Ticks && e.lastTick >= from);
    if (target < 0) return;
    const decoder = new SegmentDecoder(this.source, this.quantizer);
    let start = target - 1;
    while (start >= 0 && (entries[start]!.kind !== ChunkKind.Keyframe || entries[start]!.bad !== undefined)) start--;
    // `broken`: no valid prediction state (not positioned yet, or after damage); a keyframe restores it.
    let broken = start >= 0;
    if (start < 0) {
      decoder.reset();
      start = 0;
    }
    for (let i = start; i < entries.length; i++) {
      const entry = entries[i]!;
      if (entry.kind === ChunkKind.Ticks && entry.firstTick > to) return;
      let records: TickRecord[] = [];
      try {
        if (entry.kind === ChunkKind.Keyframe) {
          if (broken) decoder.keyframe(entry);
          else decoder.table.resetVelocities();
          broken = false;
        } else if (entry.kind === ChunkKind.Ticks) {
          if (!broken) records = decoder.ticks(entry);
        } else {
          throw gap(entry);
        }
      } catch (error) {
        this.damaged(error);
        broken = true;
      }
      for (const record of records) {
        if (record.tick > to) return;
        if (record.tick >= from) yield record;
      }
    }
  }

  /**
   * The ticks of the chunk that holds event `eventId`, from the index's per-chunk event counts (event ids count
   * events from the trace start), so a lookup by id decodes one chunk instead of every tick before it. Undefined
   * when the index cannot tell (counts unknown after a rebuilt index, unreadable bytes) or the id is past the end.
   */
  ticksOfEvent(eventId: number): TickRange | undefined {
    let before = 0;
    for (const entry of this.layout.entries) {
      if (entry.kind === ChunkKind.Keyframe) continue;
      if (entry.kind !== ChunkKind.Ticks || entry.events === undefined) return undefined;
      if (eventId < before + entry.events) return { from: entry.firstTick, to: entry.lastTick };
      before += entry.events;
    }
    return undefined;
  }

  /**
   * The world after `tick`: the latest keyframe at or before it, then a replay into typed arrays. The view Sets of
   * the returned state are built per watcher on first use (see LazyViews), so a caller that reads a few watchers
   * never pays for the ~750,000 Set entries of a dense world; walking `views` builds them all.
   */
  stateAt(tick: number): WorldState {
    if (!Number.isFinite(tick)) throw new TraceError(TraceErrorCode.InvalidArgument, `stateAt: bad tick ${tick}.`);
    const entries = this.layout.entries;
    const decoder = new SegmentDecoder(this.source, this.quantizer, true);
    let state: ReplayWorld | undefined;
    let start = 0;
    for (let k = entries.length - 1; k >= 0 && state === undefined; k--) {
      const entry = entries[k]!;
      if (entry.kind !== ChunkKind.Keyframe || entry.lastTick > tick) continue;
      try {
        state = decoder.keyframe(entry);
        start = k + 1;
      } catch (error) {
        this.damaged(error);
      }
    }
    if (state === undefined) {
      state = new ReplayWorld();
      decoder.reset();
    }
    const world = state;
    const apply = (record: TickRecord) => world.apply(record);
    for (let i = start; i < entries.length; i++) {
      const entry = entries[i]!;
      if (entry.kind === ChunkKind.Keyframe) {
        decoder.table.resetVelocities();
        continue;
      }
      if (entry.kind === ChunkKind.Ticks && entry.firstTick > tick) break;
      try {
        if (entry.kind !== ChunkKind.Ticks) throw gap(entry);
        decoder.replay(entry, tick, apply);
      } catch (error) {
        this.damaged(error, false);
        throw error;
      }
      if (entry.lastTick >= tick) break;
    }
    return world.toWorldState(decoder.table, this.quantizer);
  }

  /** Reads every chunk once to check its checksum and structure; returns the integrity with every damaged chunk. */
  verify(): TraceIntegrity {
    for (const _ of this.ticks()) {
      // Decoding is the check.
    }
    for (const entry of this.layout.entries) {
      if (entry.kind !== ChunkKind.Keyframe) continue;
      try {
        new SegmentDecoder(this.source, this.quantizer).keyframe(entry);
      } catch (error) {
        this.damaged(error);
      }
    }
    return this.integrity;
  }

  stats(): TraceStats {
    const entries = this.layout.entries;
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
      for (const record of this.ticks()) {
        ticks++;
        moves += record.moves.count;
        events += record.events.count;
      }
    }
    const first = entries[0]?.offset ?? this.layout.cutAt ?? this.source.size;
    bytes.header = Math.min(first, this.source.size);
    bytes.index = Math.max(0, this.source.size - bytes.header - bytes.keyframe - bytes.ticks - bytes.damaged);
    const keyframes = entries.filter((e) => e.kind === ChunkKind.Keyframe).length;
    return { fileBytes: this.source.size, chunks: entries.length, keyframes, ticks, moves, events, bytesByKind: bytes };
  }

  close(): void {
    this.source.close();
  }

  private tickEntries(): ChunkEntry[] {
    return this.layout.entries.filter((e) => e.kind === ChunkKind.Ticks && e.bad === undefined);
  }

  /** Notes a damaged chunk; rethrows anything that is not a format error, and format errors when strict. */
  private damaged(error: unknown, rethrowWhenStrict = true): void {
    if (!(error instanceof TraceError)) throw error;
    if (error.details.offset !== undefined) this.corrupt.set(error.details.offset, error.message);
    if (this.strict && rethrowWhenStrict) throw error;
  }
}

/** Opens a trace file for reading (only the header, footer and index are read now). */
export function openTraceReader(path: string, options: TraceReaderOptions = {}): TraceReader {
  const source = new FileSource(path);
  try {
    return new TraceReader(source, options);
  } catch (error) {
    source.close();
    throw error;
  }
}

/** Reads a trace held in memory. */
export function readTraceBytes(bytes: Uint8Array, options: TraceReaderOptions = {}): TraceReader {
  return new TraceReader(new BytesSource(bytes), options);
}

const gap = (entry: ChunkEntry) =>
  new TraceError(TraceErrorCode.Corrupt, `damaged bytes at ${entry.offset}: ${entry.bad}.`, { offset: entry.offset });

function guard<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof TraceError) throw error;
    throw new TraceError(TraceErrorCode.Corrupt, `unreadable trace (${(error as Error).message}).`);
  }
}
