import type { CellOccupancy } from './occupancy.js';
import type { UpdateLatency } from './update-timer.js';

/**
 * The seed's health indicators of a world (chapter 1's monitoring table), from {@link AoiWorld.stats}: update
 * latency, entities per cell and their spread, and the backlog of changes not yet computed.
 */
export interface AoiStats {
  readonly entities: number;
  /**
   * Entities changed (added, moved, re-radiused, re-tagged) since the last update and not computed yet: the batched
   * mode's backlog until the next `tick()`; 0 in immediate mode outside a call.
   */
  readonly pendingChanges: number;
  /** Per-cell counts of the current positions; null when no cell size is known (see {@link StatsOptions}). */
  readonly occupancy: CellOccupancy | null;
  /** Null unless the world was created with `metrics: true`. */
  readonly latency: UpdateLatency | null;
}

export interface StatsOptions {
  /**
   * Cell edge for `occupancy`. @default the grid's cell edge (its last rebuild's, else the `cellSize` option); the
   * brute-force algorithm has no cells, so there only the `cellSize` option or this one give an occupancy.
   */
  cellSize?: number;
}
