// Format 3: the tick as a reader decodes it (quantized, after epsilon), which is what the writer's EventPredictor must
// see so that it predicts the reader's events (event-deviations.ts).

import type { TickRecord } from '../model/types.js';
import type { PositionTable } from './position-table.js';
import type { Quantizer } from './quantizer.js';

/** Format 3 predicts move events (kind 2) in a tick whose real events hold one (the engine's moveEvents). */
export function hasMoveEvents(events: TickRecord['events']): boolean {
  for (let i = 0; i < events.count; i++) if (events.kinds[i] === 2) return true;
  return false;
}

/** The tick's spawns at their stored positions. */
export function decodedSpawns(record: TickRecord, quantizer: Quantizer): TickRecord['spawns'] {
  if (record.spawns.length === 0) return record.spawns;
  return record.spawns.map((spawn) => ({
    ...spawn,
    x: quantizer.decode(quantizer.encode(spawn.x)),
    y: quantizer.decode(quantizer.encode(spawn.y)),
  }));
}

/** The moves stored (after epsilon; `keep` holds their indexes in the record) at their stored positions. */
export function keptMoves(
  record: TickRecord,
  kept: number,
  keep: Int32Array,
  quantizer: Quantizer,
  table: PositionTable,
): { count: number; ids: Int32Array; xs: Float64Array; ys: Float64Array } {
  const ids = new Int32Array(kept);
  const xs = new Float64Array(kept);
  const ys = new Float64Array(kept);
  for (let k = 0; k < kept; k++) {
    const id = record.moves.ids[keep[k]!]!;
    const slot = table.slotOf(id);
    ids[k] = id;
    xs[k] = quantizer.decode(table.qx[slot]!);
    ys[k] = quantizer.decode(table.qy[slot]!);
  }
  return { count: kept, ids, xs, ys };
}
