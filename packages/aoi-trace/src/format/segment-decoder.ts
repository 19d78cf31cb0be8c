// Decodes whole chunks against a prediction table. A chunk is decoded completely before any of its ticks are handed
// out, so a chunk that turns out to be damaged halfway never yields data.

import { TraceError } from '../errors.js';
import type { TickRecord } from '../model/types.js';
import { ByteReader } from './byte-reader.js';
import type { ChunkFrame } from './chunk-frame.js';
import type { ChunkEntry } from './chunk-index.js';
import { corrupt, loadChunk } from './chunk-io.js';
import { EventsNeeded } from './deviation-skip.js';
import { EventPredictor } from './event-predictor.js';
import type { ReadSource } from './io.js';
import { decodeKeyframe } from './keyframe-codec.js';
import { decodeKeyframeRule } from './keyframe-views.js';
import { ChunkKind, type PredictedMinor } from './layout.js';
import { ChunkBudget } from './limits.js';
import { PositionTable } from './position-table.js';
import type { Quantizer } from './quantizer.js';
import type { ReplayWorld } from './replay-world.js';
import { SlotOrder } from './slot-order.js';
import { StringTableReader } from './string-table.js';
import { TickDecoder } from './tick-decoder.js';
import type { ChunkContext } from './tick-layout.js';

export class SegmentDecoder {
  readonly table = new PositionTable();
  private readonly source: ReadSource;
  private readonly quantizer: Quantizer;
  private readonly decoder: TickDecoder;

  /** `reuseColumns`: records handed to {@link SegmentDecoder.replay}'s callback are only valid during the call. */
  /** Format 3: the predictor the events are rebuilt with, positioned with the table. */
  private readonly predictor: EventPredictor | undefined;
  /** Format 3.1: the slot allocation the canonical event order follows (slot-order.ts). */
  private readonly slots: SlotOrder | undefined;
  /** The ticks chunk {@link SegmentDecoder.replay} stopped in, if it stopped before the chunk's end. */
  private open: OpenChunk | undefined;

  /**
   * `predicted`: a format 3 file's minor (events stored against the prediction); undefined for 2.x. `positionsOnly`
   * (format 3): no prediction, the records have no events and keyframes no view sets (a seek's positions, state-at.ts).
   */
  constructor(
    source: ReadSource,
    quantizer: Quantizer,
    reuseColumns = false,
    predicted?: PredictedMinor,
    private readonly positionsOnly = false,
  ) {
    this.source = source;
    this.quantizer = quantizer;
    const predicting = predicted !== undefined && !positionsOnly;
    this.predictor = predicting ? new EventPredictor({ leaveHeightFollowsView: predicted >= 1 }) : undefined;
    this.slots = predicting && predicted >= 1 ? new SlotOrder() : undefined;
    this.decoder = new TickDecoder(this.table, quantizer, reuseColumns, this.predictor, this.slots, positionsOnly);
  }

  /** Starts from an empty world (the start of the trace). */
  reset(): void {
    this.open = undefined;
    this.table.clear();
    this.predictor?.clear();
    this.slots?.clear();
  }

  /**
   * Positions the table on a keyframe and returns the world it holds. `follow`: the world then shares the 3.x
   * predictor's view sets and must only be replayed through this decoder (see {@link SegmentDecoder.follow}).
   */
  keyframe(entry: ChunkEntry, follow = false): ReplayWorld {
    this.open = undefined;
    if (entry.bad !== undefined) throw corrupt(entry.offset, entry.bad);
    const { payload, frame } = loadChunk(this.source, entry.offset, ChunkKind.Keyframe);
    checkPlace(entry, frame);
    const { slots } = this;
    const world = decodeKeyframe(
      new ByteReader(payload, entry.offset, 'keyframe'),
      entry.lastTick,
      this.table,
      this.quantizer,
      this.positionsOnly
        ? (input) => input.take(input.remaining, 'keyframe view sets')
        : slots === undefined
          ? undefined
          : (input, at) =>
              decodeKeyframeRule(
                input,
                [...at.entities.values()],
                at.views,
                slots,
                new ChunkBudget((what) => input.limit(what)),
              ),
    );
    if (this.predictor !== undefined) {
      loadPredictor(this.predictor, world, this.table, this.quantizer, follow);
      if (follow) this.follow(world);
    }
    return world;
  }

  /**
   * A 3.x replay (stateAt): `world` keeps no view sets of its own but uses the predictor's, which the decoding of
   * each tick updates anyway, instead of applying every event a second time. Call again after {@link reset}.
   */
  follow(world: ReplayWorld): void {
    const { predictor, decoder } = this;
    if (predictor !== undefined) world.follow(predictor.views, () => decoder.eventPairs);
  }

  /** Every tick of a ticks chunk, decoded against (and advancing) the table. */
  ticks(entry: ChunkEntry): TickRecord[] {
    if (entry.bad !== undefined) throw corrupt(entry.offset, entry.bad);
    const { payload, frame } = loadChunk(this.source, entry.offset, ChunkKind.Ticks);
    checkPlace(entry, frame);
    const input = new ByteReader(payload, entry.offset, 'ticks');
    const budget = new ChunkBudget((what) => input.limit(what));
    const strings = new StringTableReader();
    const context = { prevTick: frame.firstTick - 1, prevTime: 0, nextEventBase: -1 };
    const records: TickRecord[] = [];
    try {
      while (input.remaining > 0) {
        const record = this.decoder.decode(input, strings, context, budget);
        if (record.tick > frame.lastTick) throw input.fail(`tick ${record.tick} is after the chunk's last tick`);
        records.push(record);
      }
    } catch (error) {
      if (error instanceof TraceError) throw error;
      throw corrupt(entry.offset, `undecodable (${(error as Error).message})`);
    }
    if (records.length === 0 || records[0]!.tick !== frame.firstTick || records.at(-1)!.tick !== frame.lastTick) {
      throw corrupt(entry.offset, 'the ticks do not match the chunk frame');
    }
    return records;
  }

  /**
   * Decodes a ticks chunk tick by tick, handing each record to `apply` as soon as it is decoded, and stops after
   * tick `to`: stateAt's path, which keeps no record and leaves the table positioned exactly on `to`. Returns
   * whether the chunk was read to its end; if not, {@link SegmentDecoder.resume} goes on from there. Ticks before
   * a damaged spot may have been applied when this throws.
   */
  replay(entry: ChunkEntry, to: number, apply: (record: TickRecord) => void): boolean {
    if (entry.bad !== undefined) throw corrupt(entry.offset, entry.bad);
    const { payload, frame } = loadChunk(this.source, entry.offset, ChunkKind.Ticks);
    checkPlace(entry, frame);
    const input = new ByteReader(payload, entry.offset, 'ticks');
    this.open = {
      entry,
      lastTick: frame.lastTick,
      input,
      budget: new ChunkBudget((what) => input.limit(what)),
      strings: new StringTableReader(),
      context: { prevTick: frame.firstTick - 1, prevTime: 0, nextEventBase: -1 },
      last: -1,
    };
    return this.resume(to, apply);
  }

  /** Whether a chunk {@link SegmentDecoder.replay} stopped in is still open (its next tick not decoded yet). */
  get stopped(): boolean {
    return this.open !== undefined;
  }

  /** Goes on with the chunk the last {@link SegmentDecoder.replay} stopped in, up to tick `to` (see replay). */
  resume(to: number, apply: (record: TickRecord) => void): boolean {
    const open = this.open;
    if (open === undefined) return true;
    const { entry, input, strings, context, budget } = open;
    try {
      while (input.remaining > 0) {
        // Decoding moves the table, so a tick after `to` must be recognized before it is decoded: peek its number.
        const at = input.pos;
        input.u8();
        const next = context.prevTick + 1 + input.varint();
        input.pos = at;
        if (next > to) return false;
        const record = this.decoder.decode(input, strings, context, budget);
        if (record.tick > open.lastTick) throw input.fail(`tick ${record.tick} is after the chunk's last tick`);
        if (open.last < 0 && record.tick !== entry.firstTick) throw frameMismatch(entry);
        open.last = record.tick;
        apply(record);
      }
    } catch (error) {
      this.open = undefined;
      if (error instanceof TraceError || error instanceof EventsNeeded) throw error;
      throw corrupt(entry.offset, `undecodable (${(error as Error).message})`);
    }
    this.open = undefined;
    if (open.last !== open.lastTick) throw frameMismatch(entry);
    return true;
  }
}

/** A ticks chunk being replayed: where its decoding stands. */
interface OpenChunk {
  readonly entry: ChunkEntry;
  readonly lastTick: number;
  readonly input: ByteReader;
  readonly budget: ChunkBudget;
  readonly strings: StringTableReader;
  readonly context: ChunkContext;
  last: number;
}

/** Positions a predictor on a decoded keyframe: its entities at their stored positions, its view sets. */
function loadPredictor(
  predictor: EventPredictor,
  world: ReplayWorld,
  table: PositionTable,
  quantizer: Quantizer,
  share: boolean,
): void {
  const entities = [...world.entities.values()].map((entity) => {
    const slot = table.slotOf(entity.id);
    return { ...entity, x: quantizer.decode(table.qx[slot]!), y: quantizer.decode(table.qy[slot]!) };
  });
  predictor.load(entities, []);
  predictor.views = share ? world.views : world.views.clone();
}

/** The frame must hold the ticks the index puts there: a frame moved to other ticks is out of order. */
function checkPlace(entry: ChunkEntry, frame: ChunkFrame): void {
  if (frame.firstTick === entry.firstTick && frame.lastTick === entry.lastTick) return;
  throw corrupt(
    entry.offset,
    `out of order: the frame holds ticks ${frame.firstTick}..${frame.lastTick}, the index puts ticks ${entry.firstTick}..${entry.lastTick} here`,
  );
}

const frameMismatch = (entry: ChunkEntry) => corrupt(entry.offset, 'the ticks do not match the chunk frame');
