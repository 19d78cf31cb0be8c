// A TickRecord made ready for postMessage to a background 3.x writer's thread (writer-thread.ts): the columns are copied to
// their count into buffers of their own and transferred, so the caller may reuse its columns at once (TraceSink's
// contract) and structured clone does not copy a reused column's whole buffer. A resync's world (a WorldState, maybe a
// reader's with lazy views) goes as plain entities and view lists and is rebuilt as a WorldState on the worker
// (structured clone keeps no class). Everything else is cloned as it is.

import type { EventColumns, MoveColumns, TickRecord, TraceResync } from '../model/types.js';
import { type EntityState, WorldState } from '../model/world-state.js';

/** A resync's world as structured clone carries it. */
interface PlainWorld {
  readonly tick: number;
  readonly time: number;
  readonly entities: EntityState[];
  readonly views: [number, number[]][];
}

export interface TransferableTick {
  readonly record: TickRecord;
  readonly transfer: ArrayBuffer[];
}

/** The caller's whole share of a background 3.x tick: one copy of each column, no encoding. */
export function transferableTick(record: TickRecord): TransferableTick {
  const m = record.moves;
  const e = record.events;
  const moves: MoveColumns = {
    count: m.count,
    ids: m.ids.slice(0, m.count),
    xs: m.xs.slice(0, m.count),
    ys: m.ys.slice(0, m.count),
    teleports: m.teleports.slice(0, m.count),
    causes: m.causes.slice(0, m.count),
  };
  const events: EventColumns = {
    count: e.count,
    kinds: e.kinds.slice(0, e.count),
    watchers: e.watchers.slice(0, e.count),
    targets: e.targets.slice(0, e.count),
  };
  const transfer = [moves.ids, moves.xs, moves.ys, moves.teleports, moves.causes, events.kinds, events.watchers]
    .map((column) => column.buffer as ArrayBuffer)
    .concat(events.targets.buffer as ArrayBuffer);
  const resync = record.resync && { ...record.resync, state: plainWorld(record.resync.state) };
  return {
    record: { ...record, moves, events, ...(resync ? { resync: resync as unknown as TraceResync } : {}) },
    transfer,
  };
}

/** On the worker: the tick as the writer takes it (a resync's world a WorldState again). */
export function receivedTick(record: TickRecord): TickRecord {
  if (record.resync === undefined) return record;
  const plain = record.resync.state as unknown as PlainWorld;
  const state = new WorldState();
  state.tick = plain.tick;
  state.time = plain.time;
  for (const entity of plain.entities) state.entities.set(entity.id, entity);
  for (const [watcher, targets] of plain.views) for (const target of targets) state.enter(watcher, target);
  return { ...record, resync: { ...record.resync, state } };
}

function plainWorld(state: WorldState): PlainWorld {
  const views = [...state.views.keys()].map((watcher): [number, number[]] => [watcher, state.viewOf(watcher)]);
  return { tick: state.tick, time: state.time, entities: [...state.entities.values()], views };
}
