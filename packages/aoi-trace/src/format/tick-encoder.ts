// One TickRecord -> bytes of a ticks chunk (layout in docs/aoitrace-format.md, "Tick"). Moves are the hot path:
// flat scratch arrays, no object per move; a position costs half a byte when the entity keeps its velocity to within
// one quantum per axis.
// The flag bits are in tick-layout.ts, the moves section's parts in move-writer.ts, the repeated small fields in
// tick-field-writer.ts, 2.x's events section in event-section-writer.ts, and what format 3's predictor is shown in
// predictor-input.ts.

import type { TickRecord } from '../model/types.js';
import { invalidTick, ruleError, WorldRule } from '../model/world-rules.js';
import type { ByteWriter } from './byte-writer.js';
import { encodeDeviations } from './event-deviations.js';
import type { EventPredictor } from './event-predictor.js';
import { badEventKind, writeEventSection } from './event-section-writer.js';
import { encodeHeights, tickHasHeight } from './height-codec.js';
import { writeIdRuns, writeResiduals, writeSpecials } from './move-writer.js';
import { decodedSpawns, hasMoveEvents, keptMoves } from './predictor-input.js';
import type { Quantizer } from './quantizer.js';
import type { SlotOrder } from './slot-order.js';
import type { StringTableWriter } from './string-table.js';
import { checkId, writeCause, writeSpan, writeTags } from './tick-field-writer.js';
import { type ChunkContext, SpawnFlag, TickFlag, UpdateFlag } from './tick-layout.js';
import type { WorldMirror } from './world-mirror.js';

export class TickEncoder {
  private readonly mirror: WorldMirror;
  private readonly quantizer: Quantizer;
  private readonly epsilon: number;
  private keep = new Int32Array(1024);
  private rx = new Float64Array(1024);
  private ry = new Float64Array(1024);
  /** Format 3: events are stored as their differences from this predictor's (see event-deviations.ts). */
  private readonly predictor: EventPredictor | undefined;
  /** Format 3: pair tests of the prediction since the writer last reset it (the chunk's, Limits.predictionWork). */
  predictionWork = 0;

  /** Format 3.1: the canonical order follows this slot allocation (slot-order.ts). */
  private readonly slots: SlotOrder | undefined;

  constructor(
    mirror: WorldMirror,
    quantizer: Quantizer,
    epsilon: number,
    predictor?: EventPredictor,
    slots?: SlotOrder,
  ) {
    this.mirror = mirror;
    this.quantizer = quantizer;
    this.epsilon = epsilon;
    this.predictor = predictor;
    this.slots = slots;
  }

  /** Encodes `record` and applies it to the mirror. Returns the number of moves stored (after epsilon). */
  encode(out: ByteWriter, strings: StringTableWriter, record: TickRecord, context: ChunkContext): number {
    const { tick, time } = record;
    if (!Number.isSafeInteger(tick) || tick <= context.prevTick || tick < 0) {
      throw invalidTick(
        tick,
        `tick ${tick} does not follow tick ${context.prevTick}: ticks are integers and increase.`,
      );
    }
    const timeDelta = time - context.prevTime;
    const timeAsDelta =
      Number.isSafeInteger(time) && Number.isSafeInteger(context.prevTime) && Math.abs(timeDelta) < 2 ** 50;
    const explicitBase = record.eventBase !== context.nextEventBase;
    const flags =
      (record.span ? TickFlag.Span : 0) |
      (timeAsDelta ? 0 : TickFlag.TimeF64) |
      (explicitBase ? TickFlag.EventBase : 0) |
      (record.messages.length ? TickFlag.Messages : 0) |
      (record.spawns.length ? TickFlag.Spawns : 0) |
      (record.updates.length ? TickFlag.Updates : 0) |
      (record.despawns.length ? TickFlag.Despawns : 0) |
      (tickHasHeight(record) ? TickFlag.Height : 0);
    out.u8(flags);
    out.varint(tick - context.prevTick - 1);
    if (timeAsDelta) out.svarint(timeDelta);
    else out.f64(time);
    if (explicitBase) {
      if (!Number.isSafeInteger(record.eventBase) || record.eventBase < 0) {
        throw invalidTick(tick, `eventBase ${record.eventBase} is not an integer >= 0.`);
      }
      out.varint(record.eventBase);
    }
    if (record.span) writeSpan(out, strings, record.span);
    if (record.messages.length) this.messages(out, strings, record);
    if (record.spawns.length) this.spawns(out, strings, record);
    if (record.updates.length) this.updates(out, strings, record);
    const stored = this.moves(out, record);
    const { predictor } = this;
    // Format 3: the predictor sees the tick as a reader decodes it (quantized, after epsilon) before the despawns.
    if (predictor !== undefined)
      predictor.begin(
        decodedSpawns(record, this.quantizer),
        record.updates,
        keptMoves(record, stored, this.keep, this.quantizer, this.mirror.positions),
        record.despawns,
      );
    if (predictor === undefined) {
      writeEventSection(out, record);
      // The section throws on a bad kind before the view changes are logged.
      if (record.events.count > 0) this.mirror.viewLog.events(record.events);
    } else this.logEvents(record);
    if (record.despawns.length) {
      out.varint(record.despawns.length);
      let prev = 0;
      for (const id of record.despawns) {
        checkId(id, tick);
        out.svarint(id - prev);
        prev = id;
        this.mirror.despawn(id, tick);
      }
    }
    if (flags & TickFlag.Height) encodeHeights(out, record);
    if (predictor !== undefined) {
      const moveEvents = hasMoveEvents(record.events);
      const predicted = predictor.predict(
        moveEvents,
        () => {},
        (count) => {
          this.predictionWork += count;
        },
      );
      this.slots?.begin(record.spawns, record.despawns);
      const deviated = predictor.deviations();
      encodeDeviations(out, predicted, record.events, moveEvents, predictor.removedTest(), this.slots, deviated);
      predictor.finish(record.events, record.despawns);
      this.slots?.end();
    }
    context.prevTick = tick;
    context.prevTime = time;
    context.nextEventBase = record.eventBase + record.events.count;
    this.mirror.endTick(tick, time);
    return stored;
  }

  private messages(out: ByteWriter, strings: StringTableWriter, record: TickRecord): void {
    out.varint(record.messages.length);
    for (const message of record.messages) {
      strings.write(out, message.name);
      writeSpan(out, strings, message.span);
      out.u8((message.parent ? 1 : 0) | (message.entity !== undefined ? 2 : 0));
      if (message.parent) writeSpan(out, strings, message.parent);
      if (message.entity !== undefined) {
        checkId(message.entity, record.tick);
        out.svarint(message.entity);
      }
    }
  }

  private spawns(out: ByteWriter, strings: StringTableWriter, record: TickRecord): void {
    out.varint(record.spawns.length);
    let prev = 0;
    for (const spawn of record.spawns) {
      checkId(spawn.id, record.tick);
      const qx = this.quantize(spawn.x, record.tick, spawn.id);
      const qy = this.quantize(spawn.y, record.tick, spawn.id);
      out.svarint(spawn.id - prev);
      prev = spawn.id;
      out.svarint(qx);
      out.svarint(qy);
      out.number(spawn.viewRadius);
      const same = Object.is(spawn.leaveRadius, spawn.viewRadius);
      out.u8(
        (spawn.watcher ? SpawnFlag.Watcher : 0) |
          (spawn.marker ? SpawnFlag.Marker : 0) |
          (same ? SpawnFlag.SameLeave : 0) |
          (spawn.respawn === true ? SpawnFlag.Respawn : 0),
      );
      if (!same) out.number(spawn.leaveRadius);
      writeTags(out, strings, spawn.tags);
      writeCause(out, spawn.cause, record);
      this.mirror.spawn(spawn, qx, qy, record.tick);
    }
  }

  private updates(out: ByteWriter, strings: StringTableWriter, record: TickRecord): void {
    out.varint(record.updates.length);
    let prev = 0;
    for (const update of record.updates) {
      checkId(update.id, record.tick);
      out.svarint(update.id - prev);
      prev = update.id;
      const { viewRadius, leaveRadius, watcher, marker, tags } = update;
      out.u8(
        (viewRadius !== undefined ? UpdateFlag.View : 0) |
          (leaveRadius !== undefined ? UpdateFlag.Leave : 0) |
          (watcher !== undefined ? UpdateFlag.Watcher : 0) |
          (marker !== undefined ? UpdateFlag.Marker : 0) |
          (tags !== undefined ? UpdateFlag.Tags : 0) |
          (watcher ? UpdateFlag.WatcherOn : 0) |
          (marker ? UpdateFlag.MarkerOn : 0),
      );
      if (viewRadius !== undefined) out.number(viewRadius);
      if (leaveRadius !== undefined) out.number(leaveRadius);
      if (tags !== undefined) writeTags(out, strings, tags);
      writeCause(out, update.cause, record);
      this.mirror.update(update, record.tick);
    }
  }

  private moves(out: ByteWriter, record: TickRecord): number {
    const moves = record.moves;
    const count = moves.count;
    if (count > this.keep.length) this.grow(count);
    const table = this.mirror.positions;
    const { keep, rx, ry, quantizer, epsilon } = this;
    const { ids, xs, ys, teleports } = moves;
    // The table's arrays do not grow while moves are applied, so they can be held in locals.
    const { qx: lastXs, qy: lastYs, vx: velocityXs, vy: velocityYs } = table;
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const slot = table.slotOf(ids[i]!);
      if (slot < 0) throw ruleError(record.tick, WorldRule.MoveMissing, ids[i]!);
      const qx = quantizer.encode(xs[i]!);
      const qy = quantizer.encode(ys[i]!);
      if (Number.isNaN(qx) || Number.isNaN(qy)) this.quantize(Number.NaN, record.tick, ids[i]!);
      const lastX = lastXs[slot]!;
      const lastY = lastYs[slot]!;
      const teleport = teleports[i] === 1;
      if (epsilon > 0 && !teleport) {
        const dx = quantizer.decode(qx) - quantizer.decode(lastX);
        const dy = quantizer.decode(qy) - quantizer.decode(lastY);
        if (dx < epsilon && dx > -epsilon && dy < epsilon && dy > -epsilon) continue;
      }
      const stepX = qx - lastX;
      const stepY = qy - lastY;
      rx[kept] = stepX - velocityXs[slot]!;
      ry[kept] = stepY - velocityYs[slot]!;
      velocityXs[slot] = teleport ? 0 : stepX;
      velocityYs[slot] = teleport ? 0 : stepY;
      lastXs[slot] = qx;
      lastYs[slot] = qy;
      keep[kept++] = i;
    }
    out.varint(kept);
    if (kept === 0) return 0;
    writeIdRuns(out, ids, keep, kept);
    writeSpecials(out, moves.teleports, moves.causes, keep, kept, record);
    writeResiduals(out, rx, ry, kept);
    return kept;
  }

  /**
   * Checks the kinds and logs the view changes (format 3 writes the events after the height block). Format 3.1 logs
   * none: its keyframes take their views from the predictor, which keeps the same view sets (trace-writer.ts).
   */
  private logEvents(record: TickRecord): void {
    const { count, kinds } = record.events;
    for (let i = 0; i < count; i++) {
      if (kinds[i]! > 2) throw badEventKind(record.tick, i, kinds[i]!);
    }
    if (this.slots === undefined) this.mirror.viewLog.events(record.events);
  }

  private quantize(value: number, tick: number, id: number): number {
    const q = this.quantizer.encode(value);
    if (Number.isNaN(q))
      throw invalidTick(
        tick,
        `entity ${id}: position ${value} is not finite or too large for quantum ${this.quantizer.quantum}.`,
      );
    return q;
  }

  private grow(count: number): void {
    let size = this.keep.length;
    while (size < count) size *= 2;
    this.keep = new Int32Array(size);
    this.rx = new Float64Array(size);
    this.ry = new Float64Array(size);
  }
}
