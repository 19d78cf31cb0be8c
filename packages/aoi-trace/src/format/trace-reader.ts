// The .aoitrace reader: lazy, chunk by chunk, with seeking through keyframes. Damaged chunks are reported in
// `integrity` and skipped (the ticks up to the next keyframe cannot be decoded without them); `strict` turns that
// into a CORRUPT error instead. The pass over the ticks is read-ticks.ts's, a seek state-at.ts's.

import { TraceError, TraceErrorCode } from '../errors.js';
import type { SeekableTraceInput, TickRange, TickRecord, TraceHeader } from '../model/types.js';
import type { WorldState } from '../model/world-state.js';
import { reasonOf } from './chunk-errors.js';
import type { ChunkEntry } from './chunk-index.js';
import { type CorruptChunk, type OpenedLayout, openLayout } from './chunk-scan.js';
import { DamageLog } from './damage-log.js';
import type { DamageEntry } from './damage-report.js';
import { BytesSource, FileSource, type ReadSource } from './io.js';
import { ChunkKind, type PredictedMinor } from './layout.js';
import { Quantizer } from './quantizer.js';
import { readTicks, type TickPassInput } from './read-ticks.js';
import { SegmentDecoder } from './segment-decoder.js';
import { type OnDamage, type SeekCursor, stateAt } from './state-at.js';
import { type TraceStats, traceStats } from './trace-stats.js';

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

export class TraceReader implements SeekableTraceInput {
  readonly header: TraceHeader;
  private readonly source: ReadSource;
  private readonly layout: OpenedLayout;
  private readonly quantizer: Quantizer;
  private readonly strict: boolean;
  private readonly corrupt = new Map<number, string>();
  private readonly damage: DamageLog;
  /** Where the last seek's replay stands (format 3.x): a later seek in the same keyframe span goes on from it. */
  private seekCursor: SeekCursor | undefined;

  constructor(source: ReadSource, options: TraceReaderOptions = {}) {
    this.source = source;
    this.strict = options.strict ?? false;
    this.layout = guard(() => openLayout(source));
    this.header = this.layout.header;
    this.quantizer = new Quantizer(this.header.quantum);
    for (const entry of this.layout.corrupt) this.corrupt.set(entry.offset, entry.reason);
    this.damage = new DamageLog(this.layout, source.size);
  }

  /**
   * Everything found wrong so far, in file order: gaps (ticks lost, where reading resumed), out-of-order chunks,
   * damage that cost no ticks, a cut. Complete after a full `ticks()` pass or {@link TraceReader.verify}.
   */
  get damageReport(): DamageEntry[] {
    const entries = this.damage.list();
    const known = new Set(entries.map((e) => e.offset));
    for (const [offset, reason] of this.corrupt) {
      if (!known.has(offset)) entries.push({ type: 'damaged', offset, chunk: 'unread', reason });
    }
    return entries.sort((a, b) => a.offset - b.offset);
  }

  get integrity(): TraceIntegrity {
    const corrupt = [...this.corrupt].sort((a, b) => a[0] - b[0]).map(([offset, reason]) => ({ offset, reason }));
    const { complete, cutAt } = this.layout;
    return cutAt === undefined ? { complete, corrupt } : { complete, cutAt, corrupt };
  }

  /** The file's format major version: 2, or 3 (events stored against the prediction, see event-predictor.ts). */
  get formatMajor(): number {
    return this.layout.major;
  }

  /** The file's format minor: for 3.x, the rule its events and keyframes are stored against. */
  get formatMinor(): number | undefined {
    return this.layout.predicted;
  }

  private get predicted(): PredictedMinor | undefined {
    return this.layout.predicted;
  }

  /** First tick in the file, or undefined when it holds none. */
  get firstTick(): number | undefined {
    return this.tickEntries()[0]?.firstTick;
  }

  get lastTick(): number | undefined {
    return this.tickEntries().at(-1)?.lastTick;
  }

  ticks(range: TickRange = {}): Iterable<TickRecord> {
    return readTicks(this.passInput(), range, false);
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

  /** The world after `tick`: the latest keyframe at or before it, then a replay (see stateAt in state-at.ts). */
  stateAt(tick: number): WorldState {
    const cursor = this.seekCursor;
    this.seekCursor = undefined; // a seek that throws leaves no cursor behind
    const damaged: OnDamage = (error, rethrowWhenStrict) => this.damaged(error, rethrowWhenStrict);
    const { source, quantizer, layout, predicted } = this;
    const seek = stateAt(source, quantizer, layout.entries, tick, damaged, predicted, cursor, (later) => {
      this.seekCursor = later;
    });
    this.seekCursor = seek.cursor;
    return seek.state;
  }

  /** Reads every chunk once to check its checksum and structure; returns the integrity with every damaged chunk. */
  verify(): TraceIntegrity {
    for (const _ of readTicks(this.passInput(), {}, true)) {
      // Decoding is the check.
    }
    for (const entry of this.layout.entries) {
      if (entry.kind !== ChunkKind.Keyframe) continue;
      try {
        new SegmentDecoder(this.source, this.quantizer, false, this.predicted).keyframe(entry);
      } catch (error) {
        this.damaged(error);
        this.damage.damaged(entry, reasonOf(error as TraceError));
      }
    }
    return this.integrity;
  }

  stats(): TraceStats {
    return traceStats(this.layout, this.source.size, () => this.ticks());
  }

  close(): void {
    this.seekCursor = undefined;
    this.source.close();
  }

  /** What a pass over the ticks (read-ticks.ts) reads from. */
  private passInput(): TickPassInput {
    const { source, quantizer, layout, predicted, damage } = this;
    return { source, quantizer, entries: layout.entries, predicted, damage, damaged: (error) => this.damaged(error) };
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

function guard<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof TraceError) throw error;
    throw new TraceError(TraceErrorCode.Corrupt, `unreadable trace (${(error as Error).message}).`);
  }
}
