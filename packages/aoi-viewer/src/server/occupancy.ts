import { stateOccupancy, traceCellSize, type WorldState } from '@lanes/aoi-trace';
import type { OccupancyResult } from '../protocol/api-types.js';
import type { ViewerDataSource } from './data-source.js';
import { bad } from './params.js';

/** The most cells one answer lists (the fullest ones), so a huge sparse world cannot make a huge answer. */
export const MAX_OCCUPANCY_CELLS = 100_000;

/** Per-cell entity counts of `state` (see {@link OccupancyResult}); `cellSizeParam` is the raw query value, if any. */
export function occupancyAt(
  source: ViewerDataSource,
  state: WorldState,
  cellSizeParam: string | null,
): OccupancyResult {
  const { cellSize, from } = pickCellSize(source, cellSizeParam);
  const cells = stateOccupancy(state, cellSize);
  let keep = Array.from(cells.counts.keys());
  const truncated = keep.length > MAX_OCCUPANCY_CELLS;
  if (truncated) {
    // The fullest cells, back in row order.
    keep = keep.sort((a, b) => cells.counts[b]! - cells.counts[a]! || a - b).slice(0, MAX_OCCUPANCY_CELLS);
    keep.sort((a, b) => a - b);
  }
  return {
    tick: state.tick,
    cellSize,
    cellSizeFrom: from,
    entities: cells.entities,
    cells: cells.cells,
    max: cells.max,
    mean: cells.mean,
    stdDev: cells.stdDev,
    gx: keep.map((i) => cells.gx[i]!),
    gy: keep.map((i) => cells.gy[i]!),
    counts: keep.map((i) => cells.counts[i]!),
    truncated,
  };
}

function pickCellSize(
  source: ViewerDataSource,
  raw: string | null,
): { cellSize: number; from: OccupancyResult['cellSizeFrom'] } {
  if (raw !== null && raw !== '') {
    const value = Number(raw);
    if (!(Number.isFinite(value) && value > 0))
      throw bad('cellSize', `the query parameter 'cellSize' must be a number > 0, got '${raw}'.`);
    return { cellSize: value, from: 'query' };
  }
  const header = source.header();
  if (header === undefined)
    throw bad('cellSize', 'the live stream has not begun: no header to take the cell size from.');
  const { cellSize, from } = traceCellSize(header);
  return { cellSize, from };
}
