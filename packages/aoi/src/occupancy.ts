import { AoiError, AoiErrorCode } from './errors.js';

/**
 * How the entities spread over square cells of edge `cellSize` (cell (gx, gy) holds `gx*cellSize <= x <
 * (gx+1)*cellSize`, same for y): the seed's "entity count per cell and its standard deviation". Only occupied
 * cells count, since an unbounded world has infinitely many empty ones; a crowd shows as a high `max` and `stdDev`.
 */
export interface CellOccupancy {
  readonly cellSize: number;
  readonly entities: number;
  /** Cells holding at least one entity. */
  readonly cells: number;
  /** Entities in the fullest cell (0 without entities). */
  readonly max: number;
  /** entities / cells (0 without entities). */
  readonly mean: number;
  /** Population standard deviation of the per-cell counts over the occupied cells. */
  readonly stdDev: number;
}

/** {@link CellOccupancy} with the cells themselves, ascending by row (`gy`), then column (`gx`). */
export interface CellCounts extends CellOccupancy {
  readonly gx: Float64Array;
  readonly gy: Float64Array;
  readonly counts: Int32Array;
}

/**
 * Counts entities per cell: entity i is at (`x[i]`, `y[i]`) for i < `end`, skipped when `alive[i] === 0`. O(n log n)
 * (one native sort of numeric cell keys), computed on demand only, so a world that never asks pays nothing.
 */
export function countCells(
  cellSize: number,
  end: number,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  alive?: ArrayLike<number>,
): CellCounts {
  if (!(Number.isFinite(cellSize) && cellSize > 0)) {
    throw new AoiError(AoiErrorCode.InvalidOption, `cellSize must be a finite number > 0, got ${String(cellSize)}.`);
  }
  const cx = new Float64Array(end);
  const cy = new Float64Array(end);
  let n = 0;
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  for (let i = 0; i < end; i++) {
    if (alive !== undefined && alive[i] === 0) continue;
    const gx = Math.floor(x[i]! / cellSize);
    const gy = Math.floor(y[i]! / cellSize);
    cx[n] = gx;
    cy[n] = gy;
    n++;
    if (gx < minX) minX = gx;
    if (gx > maxX) maxX = gx;
    if (gy < minY) minY = gy;
  }
  const width = maxX - minX + 1;
  const cells = { gx: [] as number[], gy: [] as number[], counts: [] as number[] };
  const add = (gx: number, gy: number) => {
    const last = cells.counts.length - 1;
    if (last >= 0 && cells.gx[last] === gx && cells.gy[last] === gy) cells.counts[last]!++;
    else {
      cells.gx.push(gx);
      cells.gy.push(gy);
      cells.counts.push(1);
    }
  };
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) if (cy[i]! > maxY) maxY = cy[i]!;
  if (width * (maxY - minY + 1) <= Number.MAX_SAFE_INTEGER) {
    // One exact numeric key per entity and a native sort.
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = (cy[i]! - minY) * width + (cx[i]! - minX);
    keys.sort();
    for (let k = 0; k < n; k++) add(minX + (keys[k]! % width), minY + Math.floor(keys[k]! / width));
  } else {
    // Cell numbers too far apart for one key (absurdly sparse worlds): a comparison sort.
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => cy[a]! - cy[b]! || cx[a]! - cx[b]!);
    for (const i of order) add(cx[i]!, cy[i]!);
  }
  return {
    ...summarize(cellSize, n, cells.counts),
    gx: Float64Array.from(cells.gx),
    gy: Float64Array.from(cells.gy),
    counts: Int32Array.from(cells.counts),
  };
}

/** Just the summary of {@link countCells}. */
export function cellOccupancy(
  cellSize: number,
  end: number,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  alive?: ArrayLike<number>,
): CellOccupancy {
  const { entities, cells, max, mean, stdDev } = countCells(cellSize, end, x, y, alive);
  return { cellSize, entities, cells, max, mean, stdDev };
}

function summarize(cellSize: number, entities: number, counts: readonly number[]): CellOccupancy {
  const cells = counts.length;
  if (cells === 0) return { cellSize, entities, cells, max: 0, mean: 0, stdDev: 0 };
  const mean = entities / cells;
  let max = 0;
  let squares = 0;
  for (const c of counts) {
    if (c > max) max = c;
    squares += (c - mean) * (c - mean);
  }
  return { cellSize, entities, cells, max, mean, stdDev: Math.sqrt(squares / cells) };
}
