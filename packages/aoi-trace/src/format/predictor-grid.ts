// The format 3 predictor's candidate grid (event-predictor.ts): the markers (not despawned) bucketed into square
// cells at least half as wide as the longest watcher reach (plus an extra distance: the kinetic schedule's skin), so
// the 5x5 block around a watcher's cell holds every marker within that distance. The cell is widened by a millionth
// (and to at least a millionth of the world's extent) so that rounding in the cell arithmetic can never hide a
// pair. The grid only finds candidates; it never changes what the rule decides. Its block sizes are also the pair
// tests the reader is charged for (Limits.predictionWork), with extra = 0.

import { MARKER, type PredictorWorld, WATCHER } from './predictor-world.js';

/** Grid cells per reach: a watcher looks at the (2 * SPAN + 1)^2 cells around its own (fewer far candidates). */
const SPAN = 2;

export class CandidateGrid {
  cols = 0;
  rows = 0;
  /** Markers per cell: cell c's are cellItems[cellStart[c] .. cellStart[c + 1]) (with `items`). */
  cellStart = new Int32Array(0);
  cellItems = new Int32Array(0);
  /** Cell of each live slot. */
  cellOf = new Int32Array(0);
  /** The block of the last {@link CandidateGrid.block} call: columns x0..x1, rows y0..y1. */
  x0 = 0;
  x1 = 0;
  y0 = 0;
  y1 = 0;

  /**
   * Buckets the world's live entities (`world.order`, up to date). `extra`: added to the longest reach. Without
   * `items` only the counts are kept ({@link CandidateGrid.count} works, the items are not filled).
   */
  build(world: PredictorWorld, despawned: ReadonlySet<number>, extra: number, items: boolean): void {
    const { table, roles, reach, order } = world;
    const { qx: xs, qy: ys } = table;
    let maxReach = 0;
    let minX = Number.POSITIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    let markers = 0;
    const anyDespawned = despawned.size > 0;
    for (const id of order) {
      const s = table.slotOf(id);
      if ((roles[s]! & WATCHER) !== 0 && reach[s]! > maxReach) maxReach = reach[s]!;
      if ((roles[s]! & MARKER) !== 0 && !(anyDespawned && despawned.has(id))) markers++;
      const x = xs[s]!;
      const y = ys[s]!;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    const n = order.length;
    if (n === 0 || markers === 0) {
      this.cols = this.rows = 0;
      return;
    }
    const extent = Math.max(maxX - minX, maxY - minY);
    let cell = Math.max((extra > 0 ? maxReach + extra : maxReach) / SPAN, extent * 1e-6, 1e-300) * (1 + 1e-6);
    let cols = Math.floor((maxX - minX) / cell) + 1;
    let rows = Math.floor((maxY - minY) / cell) + 1;
    if (!(cols * rows <= 4 * n + 16)) {
      cell = Math.max(cell, (extent / Math.sqrt(4 * n)) * (1 + 1e-6));
      cols = Math.floor((maxX - minX) / cell) + 1;
      rows = Math.floor((maxY - minY) / cell) + 1;
    }
    if (!Number.isFinite(cols) || !Number.isFinite(rows)) cols = rows = 1;
    this.cols = cols;
    this.rows = rows;
    const cells = cols * rows;
    if (this.cellStart.length < cells + 1) this.cellStart = new Int32Array(cells + 1);
    if (items && this.cellItems.length < markers) this.cellItems = new Int32Array(markers * 2);
    if (this.cellOf.length < world.ids.length) this.cellOf = new Int32Array(world.ids.length);
    const { cellStart, cellItems, cellOf } = this;
    cellStart.fill(0, 0, cells + 1);
    for (const id of order) {
      const s = table.slotOf(id);
      const cx = Math.min(cols - 1, Math.floor((xs[s]! - minX) / cell));
      const cy = Math.min(rows - 1, Math.floor((ys[s]! - minY) / cell));
      const c = cols === 1 && rows === 1 ? 0 : cy * cols + cx;
      cellOf[s] = c;
      if ((roles[s]! & MARKER) !== 0 && !(anyDespawned && despawned.has(id))) cellStart[c + 1]!++;
    }
    for (let c = 0; c < cells; c++) cellStart[c + 1]! += cellStart[c]!;
    if (!items) return;
    const fill = cellStart.slice(0, cells);
    for (const id of order) {
      const s = table.slotOf(id);
      if ((roles[s]! & MARKER) !== 0 && !(anyDespawned && despawned.has(id))) cellItems[fill[cellOf[s]!]!++] = s;
    }
  }

  /** Sets x0..x1, y0..y1 to the 5x5 block (clipped) around the cell of `slot`. Needs cols > 0. */
  block(slot: number): void {
    const { cols } = this;
    const cell = this.cellOf[slot]!;
    const cx = cell % cols;
    const cy = (cell - cx) / cols;
    this.x0 = cx > SPAN ? cx - SPAN : 0;
    this.x1 = cx + SPAN < cols ? cx + SPAN : cols - 1;
    this.y0 = cy > SPAN ? cy - SPAN : 0;
    this.y1 = cy + SPAN < this.rows ? cy + SPAN : this.rows - 1;
  }

  /** The markers in the block around `slot` (a row's cells x0..x1 are contiguous). Needs cols > 0. */
  count(slot: number): number {
    this.block(slot);
    const { cols, cellStart, x0, x1 } = this;
    let candidates = 0;
    for (let y = this.y0; y <= this.y1; y++) candidates += cellStart[y * cols + x1 + 1]! - cellStart[y * cols + x0]!;
    return candidates;
  }
}
