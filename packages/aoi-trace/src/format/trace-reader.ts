// The .aoitrace reader: lazy, chunk by chunk, with seeking through keyframes. Damaged chunks are reported in
// `integrity` and skipped (the ticks up to the next keyframe cannot be decoded without them); `strict` turns that
// into a CORRUPT error instead.

import { TraceError, TraceErrorCode } from '../errors.js';
import type { SeekableTraceInput, TickRange, TickRecord, TraceHeader, TraceResync } from '../model/types.js';
import type { WorldState } from '../model/world-state.js';
import { gap, reasonOf } from './chunk-errors.js';
import type { ChunkEntry } from './chunk-index.js';
import { type CorruptChunk, type OpenedLayout, openLayout } from './chunk-scan.js';
import { chunkName, DamageLog } from './damage-log.js';
import type { DamageEntry } from './damage-report.js';
import { BytesSource, FileSource, type ReadSource } from './io.js';
import { ChunkKind, type PredictedMinor } from './layout.js';
import { Quantizer } from './quantizer.js';
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
    return this.read(range, false);
  }

  /** ticks(); with `replayCheck`, every keyframe is also compared with the replay that reaches it (verify()). */
  private *read(range: TickRange, replayCheck: boolean): Iterable<TickRecord> {
    const from = range.from ?? Number.NEGATIVE_INFINITY;
    const to = range.to ?? Number.POSITIVE_INFINITY;
    const entries = this.layout.entries;
    const target = entries.findIndex((e) => e.kind === ChunkKind.Ticks && e.lastTick >= from);
    if (target < 0) return;
    const decoder = new SegmentDecoder(this.source, this.quantizer, false, this.predicted);
    let start = target - 1;
    while (start >= 0 && (entries[start]!.kind !== ChunkKind.Keyframe || entries[start]!.bad !== undefined)) start--;
    // `broken`: no valid prediction state (not positioned yet, or after damage); a keyframe restores it.
    let broken = start >= 0;
    if (start < 0) {
      decoder.reset();
      start = 0;
    }
    // The last tick decoded (what the prediction state holds), the ticks chunk before the current entry, whether
    // ticks were lost since the last one read, and the resync the next returned record carries.
    let lastRead: number | undefined;
    let previousTicks = entries.slice(0, start).findLast((e) => e.kind === ChunkKind.Ticks)?.lastTick;
    let lost: string | undefined;
    let resync: TraceResync | undefined;
    // The loss being skipped: where it started, and its first tick (null: unknown) as the damage report has it.
    let opened: { index: number; reason: string; lastRead: number | undefined; fromTick: number | null } | undefined;
    let lastKeyframe = start < entries.length && entries[start]!.kind === ChunkKind.Keyframe ? undefined : -1;
    for (let i = start; i < entries.length; i++) {
      const entry = entries[i]!;
      if (entry.kind === ChunkKind.Ticks && entry.firstTick > to) return;
      let records: TickRecord[] = [];
      try {
        if (entry.kind === ChunkKind.Keyframe) {
          // A keyframe that does not hold the state after the ticks before it records a gap (see TraceWriter).
          const recorded = entry.bad === undefined && entry.lastTick !== previousTicks;
          if (broken || recorded) {
            const world = decoder.keyframe(entry);
            const resume = entries.slice(i).find((e) => e.kind === ChunkKind.Ticks && e.bad === undefined);
            if (recorded && lost === undefined)
              this.damage.recordedGap(entry, lastRead ?? previousTicks, resume?.firstTick ?? null);
            const reason = lost ?? (recorded ? 'ticks lost before the file was written' : undefined);
            if (reason !== undefined && entry.lastTick >= from - 1) {
              const before = lastRead ?? previousTicks;
              const lostFrom = opened !== undefined ? opened.fromTick : before === undefined ? null : before + 1;
              resync = { state: world.toWorldState(decoder.table, this.quantizer), lostFrom, reason };
            }
          } else {
            // A keyframe out of place means chunks around it are out of place too: the replay cannot go on.
            if (entry.bad !== undefined && this.damage.outOfOrder(entry)) throw gap(entry);
            if (entry.bad !== undefined) this.damage.damaged(entry, entry.bad);
            else if (replayCheck && !this.replayReaches(entry, decoder)) {
              // A chunk is missing or out of place: the ticks since the last keyframe were replayed from a wrong
              // state. Reading goes on from this keyframe's world.
              this.damage.discontinuity(i, lastKeyframe);
              decoder.keyframe(entry);
            }
            decoder.table.resetVelocities();
          }
          broken = false;
          lost = undefined;
          opened = undefined;
          // A damaged keyframe passed over (the replay did not need it) is no tick read.
          if (entry.bad === undefined) {
            lastKeyframe = entry.lastTick;
            lastRead = entry.lastTick;
          }
        } else if (entry.kind === ChunkKind.Ticks) {
          previousTicks = entry.lastTick;
          if (!broken) {
            records = decoder.ticks(entry);
            lastRead = entry.lastTick;
          }
        } else {
          throw gap(entry);
        }
      } catch (error) {
        this.damaged(error);
        const reason = entry.bad ?? reasonOf(error as TraceError);
        // Flagged, so that later passes and the gap's end (the next intact keyframe) skip it too.
        entry.bad = reason;
        if (!broken) opened = { index: i, reason, lastRead, fromTick: null };
        // Where the loss ends depends on which keyframe is intact: (re)computed whenever one fails.
        if (opened !== undefined) opened.fromTick = this.damage.gap(opened.index, opened.reason, opened.lastRead);
        if (!broken || entry.kind === ChunkKind.Keyframe) {
          lost = `ticks lost to the ${chunkName(entry)} chunk at byte ${entry.offset}: ${reason}`;
        }
        broken = true;
      }
      for (const record of records) {
        if (record.tick > to) return;
        if (record.tick < from) {
          resync = undefined;
          continue;
        }
        if (resync === undefined) {
          yield record;
        } else {
          yield { ...record, resync };
          resync = undefined;
        }
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
    for (const _ of this.read({}, true)) {
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

  /** Whether the replay in `decoder` holds exactly the entities and positions the keyframe holds. */
  private replayReaches(keyframe: ChunkEntry, decoder: SegmentDecoder): boolean {
    const check = new SegmentDecoder(this.source, this.quantizer, false, this.predicted);
    const world = check.keyframe(keyframe);
    const replayed = decoder.table;
    if (replayed.size !== check.table.size) return false;
    for (const id of world.entities.keys()) {
      const slot = replayed.slotOf(id);
      const expected = check.table.slotOf(id);
      if (
        slot < 0 ||
        replayed.qx[slot] !== check.table.qx[expected] ||
        replayed.qy[slot] !== check.table.qy[expected]
      ) {
        return false;
      }
    }
    return true;
  }

  close(): void {
    this.seekCursor = undefined;
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

function guard<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof TraceError) throw error;
    throw new TraceError(TraceErrorCode.Corrupt, `unreadable trace (${(error as Error).message}).`);
  }
}
