// The figures a designer compares two runs by: churn, oscillation, view-set sizes and an estimate of the bytes sent.

import { DetectionStream } from '../detect/detect.js';
import type { DetectOptions } from '../detect/options.js';
import { TraceError, TraceErrorCode } from '../errors.js';
import type { TickRange, TickRecord, TraceHeader, TraceInput, TraceSink } from '../model/types.js';
import { ViewMirror } from './view-mirror.js';

/**
 * Bytes per message of the bandwidth estimate. The defaults are a lean binary protocol: a 2-byte message type, a
 * 4-byte entity id, a position as two float32 (8 bytes), and for an enter 4 bytes of entity state (kind, tags).
 */
export interface MessageSizes {
  /** A target enters a watcher's view: the client creates it. @default 18 */
  readonly enter: number;
  /** A target leaves it: the client drops it. @default 6 */
  readonly leave: number;
  /** A target in view moved: one position update per watcher that sees it. @default 14 */
  readonly move: number;
}

export const DEFAULT_MESSAGE_SIZES: MessageSizes = { enter: 18, leave: 6, move: 14 };

export interface FiguresOptions {
  /** Entities listed in `topChurn`. @default 10 */
  readonly top?: number;
  readonly messageSizes?: Partial<MessageSizes>;
  /** The oscillation detector's thresholds (`window`, `maxFlipsPerWindow`, ...). */
  readonly oscillation?: Omit<DetectOptions, 'detectors'>;
}

/** A per-tick quantity over the run. Percentiles are nearest-rank. */
export interface Distribution {
  readonly total: number;
  readonly mean: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface EntityChurn {
  readonly entity: number;
  /** Enters plus leaves it received as watcher. */
  readonly churn: number;
  readonly enters: number;
  readonly leaves: number;
}

export interface TraceFigures {
  readonly ticks: number;
  readonly enters: number;
  readonly leaves: number;
  /** Enters plus leaves per tick. */
  readonly churnPerTick: Distribution;
  /** The watchers whose views churned most. */
  readonly topChurn: EntityChurn[];
  /** Findings of the oscillation detector (pairs, entities and regions flapping). */
  readonly oscillationFindings: number;
  /** Size of each live watcher's view set after each tick. */
  readonly viewSize: Omit<Distribution, 'total'>;
  /** Position updates sent: per tick, every watcher that sees a target moved that tick (entering ones excepted). */
  readonly moveUpdates: number;
  /** Estimated bytes sent per tick under `messageSizes`. */
  readonly bytesPerTick: Distribution;
  readonly messageSizes: MessageSizes;
}

/** Computes {@link TraceFigures} from ticks fed one by one: memory is the views, one number per tick and per entity. */
export class FiguresStream implements TraceSink {
  private readonly sizes: MessageSizes;
  private readonly top: number;
  private readonly oscillation: DetectionStream;
  private readonly mirror = new ViewMirror();
  private readonly churn: number[] = [];
  private readonly bytes: number[] = [];
  /** viewSizes[n]: samples of a view of n targets. */
  private readonly viewSizes: number[] = [];
  private readonly perEntity = new Map<number, { enters: number; leaves: number }>();
  private enters = 0;
  private leaves = 0;
  private moveUpdates = 0;

  constructor(options: FiguresOptions = {}) {
    this.sizes = { ...DEFAULT_MESSAGE_SIZES, ...options.messageSizes };
    for (const [key, value] of Object.entries(this.sizes)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new TraceError(
          TraceErrorCode.InvalidArgument,
          `messageSizes.${key} must be a number >= 0, got ${value}.`,
        );
      }
    }
    this.top = options.top ?? 10;
    if (!Number.isInteger(this.top) || this.top < 0) {
      throw new TraceError(TraceErrorCode.InvalidArgument, `top must be a whole number >= 0, got ${options.top}.`);
    }
    this.oscillation = new DetectionStream({ ...options.oscillation, detectors: ['oscillation'] });
  }

  begin(header: TraceHeader): void {
    this.oscillation.begin(header);
  }

  writeTick(record: TickRecord): void {
    this.oscillation.writeTick(record);
    if (record.resync !== undefined) this.mirror.reset(record.resync.state);
    this.mirror.apply(record);
    const { kinds, watchers, targets, count } = record.events;
    let enters = 0;
    let leaves = 0;
    const moved = movedIds(record);
    let enteredMovers = 0;
    for (let i = 0; i < count; i++) {
      const kind = kinds[i]!;
      if (kind > 1) continue;
      const entity = this.entity(watchers[i]!);
      if (kind === 0) {
        enters++;
        entity.enters++;
        if (moved.has(targets[i]!)) enteredMovers++;
      } else {
        leaves++;
        entity.leaves++;
      }
    }
    let moves = -enteredMovers;
    for (const id of moved) moves += this.mirror.watchersOf(id);
    moves = Math.max(0, moves);
    this.enters += enters;
    this.leaves += leaves;
    this.moveUpdates += moves;
    this.churn.push(enters + leaves);
    this.bytes.push(enters * this.sizes.enter + leaves * this.sizes.leave + moves * this.sizes.move);
    for (const watcher of this.mirror.watchers) {
      const n = this.mirror.views.get(watcher)?.size ?? 0;
      while (this.viewSizes.length <= n) this.viewSizes.push(0);
      this.viewSizes[n]!++;
    }
  }

  /** The figures of the ticks fed so far. */
  result(): TraceFigures {
    const topChurn = [...this.perEntity]
      .map(([entity, { enters, leaves }]) => ({ entity, churn: enters + leaves, enters, leaves }))
      .sort((a, b) => b.churn - a.churn || a.entity - b.entity)
      .slice(0, this.top);
    const { total: _total, ...viewSize } = histogramDistribution(this.viewSizes);
    return {
      ticks: this.churn.length,
      enters: this.enters,
      leaves: this.leaves,
      churnPerTick: distribution(this.churn),
      topChurn,
      oscillationFindings: this.oscillation.finish().counts.oscillation,
      viewSize,
      moveUpdates: this.moveUpdates,
      bytesPerTick: distribution(this.bytes),
      messageSizes: this.sizes,
    };
  }

  private entity(id: number): { enters: number; leaves: number } {
    let entity = this.perEntity.get(id);
    if (entity === undefined) {
      entity = { enters: 0, leaves: 0 };
      this.perEntity.set(id, entity);
    }
    return entity;
  }
}

/** The figures of a whole trace (or of `range`), read once. */
export function traceFigures(input: TraceInput, options: FiguresOptions = {}, range?: TickRange): TraceFigures {
  const stream = new FiguresStream(options);
  stream.begin(input.header);
  for (const record of input.ticks(range)) stream.writeTick(record);
  return stream.result();
}

/** `input` with every tick read also fed to `sink` (figures computed in the same pass as a diff). */
export function teeInput(input: TraceInput, sink: TraceSink): TraceInput {
  sink.begin(input.header);
  return {
    header: input.header,
    *ticks(range?: TickRange) {
      for (const record of input.ticks(range)) {
        sink.writeTick(record);
        yield record;
      }
    },
  };
}

function movedIds(record: TickRecord): Set<number> {
  const { ids, count } = record.moves;
  const moved = new Set<number>();
  for (let i = 0; i < count; i++) moved.add(ids[i]!);
  return moved;
}

const EMPTY: Distribution = { total: 0, mean: 0, p50: 0, p99: 0, max: 0 };

export function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return EMPTY;
  const sorted = Float64Array.from(values).sort();
  const total = values.reduce((sum, v) => sum + v, 0);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0;
  return { total, mean: total / values.length, p50: rank(0.5), p99: rank(0.99), max: sorted.at(-1) ?? 0 };
}

/** The distribution of values given as counts per value (`counts[v]` samples of value v). */
function histogramDistribution(counts: readonly number[]): Distribution {
  const samples = counts.reduce((sum, c) => sum + c, 0);
  if (samples === 0) return EMPTY;
  let total = 0;
  counts.forEach((count, v) => {
    total += v * count;
  });
  const rank = (p: number) => {
    const wanted = Math.max(1, Math.ceil(p * samples));
    let seen = 0;
    for (const [v, count] of counts.entries()) {
      seen += count;
      if (seen >= wanted) return v;
    }
    return counts.length - 1;
  };
  let max = counts.length - 1;
  while (max > 0 && counts[max] === 0) max--;
  return { total, mean: total / samples, p50: rank(0.5), p99: rank(0.99), max };
}
