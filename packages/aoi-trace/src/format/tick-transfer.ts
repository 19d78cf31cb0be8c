// A TickRecord made ready for postMessage to the prediction worker (predict-worker.ts): the columns are copied to
// their count into buffers of their own and transferred, so the caller may reuse its columns at once (TraceSink's
// contract) and structured clone does not copy a reused column's whole buffer. Everything else is cloned as it is.

import type { EventColumns, MoveColumns, TickRecord } from '../model/types.js';

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
  return { record: { ...record, moves, events }, transfer };
}
