// Bytes of a ticks chunk -> TickRecords, the inverse of TickEncoder. Every count is bounded by the bytes left and
// charged to the chunk's budget (limits.ts) before anything is allocated, and every id must exist in the prediction
// table, so damaged or hostile input ends in a CORRUPT or LIMIT error, never in a huge allocation.
// The repeated small fields are read in tick-field-reader.ts, 2.x's events section in event-section-reader.ts, and
// the returned columns come from decoded-columns.ts.

import type { CauseMessage, EntitySpawn, EntityUpdate, MoveColumns, TickRecord } from '../model/types.js';
import { ruleMessage, spawnRule, WorldRule } from '../model/world-rules.js';
import type { ByteReader } from './byte-reader.js';
import { noEvents, noMoves, Scratch } from './decoded-columns.js';
import { skipDeviations } from './deviation-skip.js';
import { decodeDeviations } from './event-deviations.js';
import type { EventPredictor } from './event-predictor.js';
import { readEvents } from './event-section-reader.js';
import { decodeHeights } from './height-codec.js';
import { type ChunkBudget, DecodeCost, Limits } from './limits.js';
import type { PositionTable } from './position-table.js';
import type { Quantizer } from './quantizer.js';
import type { SlotOrder } from './slot-order.js';
import type { StringTableReader } from './string-table.js';
import { readCause, readId, readSpan, readTags } from './tick-field-reader.js';
import { type ChunkContext, ESCAPE, SpawnFlag, TickFlag, UpdateFlag } from './tick-layout.js';

export class TickDecoder {
  private readonly table: PositionTable;
  private readonly quantizer: Quantizer;
  /**
   * When set, the move and event columns of each record are views into buffers that the next decode() reuses: for
   * callers that apply a record and drop it (stateAt), which then allocate nothing per move or event.
   */
  private readonly scratch: Scratch | undefined;
  /** Format 3: the events are rebuilt from this predictor's (see event-deviations.ts). */
  readonly predictor: EventPredictor | undefined;
  /** Format 3.1: the canonical order follows this slot allocation (slot-order.ts). */
  private readonly slots: SlotOrder | undefined;
  /** Format 3: the predictor's view pairs after the last decoded tick's events, before its despawns. */
  eventPairs = 0;

  constructor(
    table: PositionTable,
    quantizer: Quantizer,
    reuseColumns = false,
    predictor?: EventPredictor,
    slots?: SlotOrder,
    /** Format 3 without a predictor: the events section is stepped over and every record has no events. */
    private readonly stepOver = false,
  ) {
    this.table = table;
    this.quantizer = quantizer;
    this.scratch = reuseColumns ? new Scratch() : undefined;
    this.predictor = predictor;
    this.slots = slots;
  }

  decode(input: ByteReader, strings: StringTableReader, context: ChunkContext, budget: ChunkBudget): TickRecord {
    budget.tick();
    const flags = input.u8();
    const tick = context.prevTick + 1 + input.varint();
    if (!Number.isSafeInteger(tick)) throw input.fail('tick out of range');
    const time = flags & TickFlag.TimeF64 ? input.f64() : context.prevTime + input.svarint();
    const eventBase = flags & TickFlag.EventBase ? input.varint() : context.nextEventBase;
    const span = flags & TickFlag.Span ? readSpan(input, strings) : undefined;
    const messages = flags & TickFlag.Messages ? readMessages(input, strings, budget) : [];
    const spawns = flags & TickFlag.Spawns ? this.spawns(input, strings, messages.length, budget) : [];
    const updates = flags & TickFlag.Updates ? readUpdates(input, strings, messages.length, budget, this.table) : [];
    const moves = this.moves(input, messages.length, budget);
    const { predictor } = this;
    let events = predictor === undefined && !this.stepOver ? readEvents(input, this.scratch, budget) : noEvents();
    const despawns: number[] = [];
    if (flags & TickFlag.Despawns) {
      const count = input.count('despawn');
      budget.charge(count, DecodeCost.despawn, 'despawn');
      let prev = 0;
      for (let i = 0; i < count; i++) {
        const id = readId(input, prev);
        prev = id;
        if (this.table.slotOf(id) < 0) throw input.fail(ruleMessage(WorldRule.DespawnMissing, id));
        this.table.remove(id);
        despawns.push(id);
      }
    }
    const height = flags & TickFlag.Height ? decodeHeights(input, spawns, updates) : null;
    if (predictor !== undefined) {
      predictor.begin(
        height === null ? spawns : height.spawns,
        height === null ? updates : height.updates,
        moves,
        despawns,
      );
      this.slots?.begin(spawns, despawns);
      events = decodeDeviations(
        input,
        (moveEvents) =>
          predictor.predict(
            moveEvents,
            (count) => budget.charge(count, DecodeCost.event, 'predicted event'),
            (count) => budget.predictionWork(count),
          ),
        predictor.removedTest(),
        budget,
        this.slots,
      );
      // The events first, then the despawns: the pair count in between is where the view-pair limit is checked.
      predictor.applyEvents(events);
      this.eventPairs = predictor.views.pairs;
      predictor.removeDespawned(despawns);
      this.slots?.end();
    } else if (this.stepOver) skipDeviations(input, budget);
    context.prevTick = tick;
    context.prevTime = time;
    context.nextEventBase = eventBase + events.count;
    const record: TickRecord = {
      tick,
      time,
      eventBase,
      messages,
      spawns: height === null ? spawns : height.spawns,
      updates: height === null ? updates : height.updates,
      moves,
      despawns,
      events,
    };
    return span ? { ...record, span } : record;
  }

  private spawns(
    input: ByteReader,
    strings: StringTableReader,
    messageCount: number,
    budget: ChunkBudget,
  ): EntitySpawn[] {
    const count = input.count('spawn', 6);
    budget.charge(count, DecodeCost.spawn, 'spawn');
    const spawns: EntitySpawn[] = [];
    let prev = 0;
    for (let i = 0; i < count; i++) {
      const id = readId(input, prev);
      prev = id;
      const qx = input.svarint();
      const qy = input.svarint();
      const viewRadius = input.number();
      const flags = input.u8();
      if (flags > 15) throw input.fail(`unknown spawn flags ${flags}`);
      const leaveRadius = flags & SpawnFlag.SameLeave ? viewRadius : input.number();
      const tags = readTags(input, strings, budget);
      const cause = readCause(input, messageCount);
      const respawn = (flags & SpawnFlag.Respawn) !== 0;
      const rule = spawnRule(this.table.slotOf(id) >= 0, respawn);
      if (rule !== undefined) throw input.fail(ruleMessage(rule, id));
      if (respawn) this.table.remove(id);
      if (this.table.size >= Limits.liveEntities) {
        throw input.limit(`spawn of entity ${id} makes more than ${Limits.liveEntities} live entities`);
      }
      this.table.add(id, qx, qy);
      const { quantizer } = this;
      spawns.push({
        id,
        x: quantizer.decode(qx),
        y: quantizer.decode(qy),
        viewRadius,
        leaveRadius,
        watcher: (flags & SpawnFlag.Watcher) !== 0,
        marker: (flags & SpawnFlag.Marker) !== 0,
        tags,
        cause,
        ...(respawn ? { respawn } : {}),
      });
    }
    return spawns;
  }

  private moves(input: ByteReader, messageCount: number, budget: ChunkBudget): MoveColumns {
    // Each move takes at least half a byte (its residual nibble).
    const count = input.varint();
    if (count > input.remaining * 2) throw input.fail(`move count ${count} exceeds the payload`);
    if (count === 0 && this.scratch === undefined) return noMoves();
    budget.charge(count, DecodeCost.move, 'move');
    const moves: MoveColumns = this.scratch?.moves(count) ?? {
      count,
      ids: new Int32Array(count),
      xs: new Float64Array(count),
      ys: new Float64Array(count),
      teleports: new Uint8Array(count),
      causes: new Int32Array(count).fill(-1),
    };
    if (count === 0) return moves;
    const runs = input.count('id run', 2);
    let k = 0;
    let prevEnd = 0;
    for (let r = 0; r < runs; r++) {
      const start = prevEnd + input.svarint();
      const length = input.varint() + 1;
      if (length > count - k) throw input.fail('id runs hold more ids than moves');
      if (start < -0x80000000 || start + length - 1 > 0x7fffffff) throw input.fail('entity id out of range');
      for (let j = 0; j < length; j++) moves.ids[k++] = start + j;
      prevEnd = start + length;
    }
    if (k !== count) throw input.fail('id runs hold fewer ids than moves');
    const specials = input.count('special move', 3);
    let index = 0;
    for (let s = 0; s < specials; s++) {
      index += input.varint();
      if (index >= count) throw input.fail('special move index out of range');
      moves.teleports[index] = input.u8() === 1 ? 1 : 0;
      moves.causes[index] = readCause(input, messageCount);
    }
    const nibbles = input.take((count + 1) >> 1, 'move residuals');
    const { table, quantizer } = this;
    for (let i = 0; i < count; i++) {
      const code = (nibbles[i >> 1]! >> ((i & 1) * 4)) & 15;
      let rx: number;
      let ry: number;
      if (code === ESCAPE) {
        rx = input.svarint();
        ry = input.svarint();
      } else if (code < 9) {
        rx = ((code / 3) | 0) - 1;
        ry = (code % 3) - 1;
      } else {
        throw input.fail(`bad residual code ${code}`);
      }
      const slot = table.slotOf(moves.ids[i]!);
      if (slot < 0) throw input.fail(ruleMessage(WorldRule.MoveMissing, moves.ids[i]!));
      const lastX = table.qx[slot]!;
      const lastY = table.qy[slot]!;
      const qx = lastX + table.vx[slot]! + rx;
      const qy = lastY + table.vy[slot]! + ry;
      if (!Number.isSafeInteger(qx) || !Number.isSafeInteger(qy)) throw input.fail('position out of range');
      const teleport = moves.teleports[i] === 1;
      table.vx[slot] = teleport ? 0 : qx - lastX;
      table.vy[slot] = teleport ? 0 : qy - lastY;
      table.qx[slot] = qx;
      table.qy[slot] = qy;
      moves.xs[i] = quantizer.decode(qx);
      moves.ys[i] = quantizer.decode(qy);
    }
    return moves;
  }
}

function readUpdates(
  input: ByteReader,
  strings: StringTableReader,
  messageCount: number,
  budget: ChunkBudget,
  table: PositionTable,
): EntityUpdate[] {
  const count = input.count('update', 3);
  budget.charge(count, DecodeCost.update, 'update');
  const updates: EntityUpdate[] = [];
  let prev = 0;
  for (let i = 0; i < count; i++) {
    const id = readId(input, prev);
    prev = id;
    if (table.slotOf(id) < 0) throw input.fail(ruleMessage(WorldRule.UpdateMissing, id));
    const flags = input.u8();
    const update: {
      id: number;
      viewRadius?: number;
      leaveRadius?: number;
      watcher?: boolean;
      marker?: boolean;
      tags?: readonly string[];
      cause: number;
    } = { id, cause: -1 };
    if (flags & UpdateFlag.View) update.viewRadius = input.number();
    if (flags & UpdateFlag.Leave) update.leaveRadius = input.number();
    if (flags & UpdateFlag.Watcher) update.watcher = (flags & UpdateFlag.WatcherOn) !== 0;
    if (flags & UpdateFlag.Marker) update.marker = (flags & UpdateFlag.MarkerOn) !== 0;
    if (flags & UpdateFlag.Tags) update.tags = readTags(input, strings, budget);
    update.cause = readCause(input, messageCount);
    updates.push(update);
  }
  return updates;
}

function readMessages(input: ByteReader, strings: StringTableReader, budget: ChunkBudget): CauseMessage[] {
  const count = input.count('message', 4);
  budget.charge(count, DecodeCost.message, 'message');
  const messages: CauseMessage[] = [];
  for (let i = 0; i < count; i++) {
    const name = strings.read(input);
    const span = readSpan(input, strings);
    const flags = input.u8();
    const parent = flags & 1 ? readSpan(input, strings) : undefined;
    const entity = flags & 2 ? readId(input, 0) : undefined;
    messages.push({ name, span, ...(parent ? { parent } : {}), ...(entity !== undefined ? { entity } : {}) });
  }
  return messages;
}
