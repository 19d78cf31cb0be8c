import { type CellCounts, countCells } from '@lanes/aoi';
import { TraceError, TraceErrorCode } from '../errors.js';
import { CELL_SIZE_ATTRIBUTE } from '../record/engine-settings.js';
import type { TraceHeader } from './types.js';
import type { WorldState } from './world-state.js';

/** Which cell edge a trace's occupancy is counted with, and where it came from. */
export interface TraceCellSize {
  readonly cellSize: number;
  /** `header`: the engine's own (attribute `aoi.cellSize`); `regionSize`: the header's region edge, a stand-in. */
  readonly from: 'header' | 'regionSize';
}

/** The engine's cell edge as recorded in the header, else its region size (always there). */
export function traceCellSize(header: TraceHeader): TraceCellSize {
  const recorded = Number(header.attributes[CELL_SIZE_ATTRIBUTE]);
  return Number.isFinite(recorded) && recorded > 0
    ? { cellSize: recorded, from: 'header' }
    : { cellSize: header.regionSize, from: 'regionSize' };
}

/**
 * Entities per cell of edge `cellSize` in a recorded state: the seed's occupancy indicator after the fact, counted
 * from the recorded positions as the engine's `stats()` counts the live ones.
 */
export function stateOccupancy(state: WorldState, cellSize: number): CellCounts {
  if (!(Number.isFinite(cellSize) && cellSize > 0)) {
    throw new TraceError(TraceErrorCode.InvalidArgument, `cellSize must be a finite number > 0, got ${cellSize}.`);
  }
  const xs = new Float64Array(state.entities.size);
  const ys = new Float64Array(state.entities.size);
  let i = 0;
  for (const entity of state.entities.values()) {
    xs[i] = entity.x;
    ys[i] = entity.y;
    i++;
  }
  return countCells(cellSize, i, xs, ys);
}
