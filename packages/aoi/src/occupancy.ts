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
  const t = tally(cellSize, end, x, y, alive, true);
  return { ...summarize(cellSize, t.n, t.counts, t.cells), gx: t.gx!, gy: t.gy!, counts: t.counts.slice(0, t.cells) };
}

/** Just the summary of {@link countCells}, without the cell list. */
export function cellOccupancy(
  cellSize: number,
  end: number,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  alive?: ArrayLike<number>,
): CellOccupancy {
  const t = tally(cellSize, end, x, y, alive, false);
  return summarize(cellSize, t.n, t.counts, t.cells);
}

interface Tally {
  n: number;
  cells: number;
  /** Per cell, the first `cells` entries. */
  counts: Int32Array;
  gx?: Float64Array;
  gy?: Float64Array;
}

function tally(
  cellSize: number,
  end: number,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  alive: ArrayLike<number> | undefined,
  withCells: boolean,
): Tally {
  if (!(Number.isFinite(cellSize) && cellSize > 0)) {
    throw new AoiError(AoiErrorCode.InvalidOption, `cellSize must be a finite number > 0, got ${String(cellSize)}.`);
  }
  const cx = new Float64Array(end);
  const cy = new Float64Array(end);
  let n = 0;
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
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
    if (gy > maxY) maxY = gy;
  }
  const counts = new Int32Array(n);
  const gxs = withCells ? new Float64Array(n) : undefined;
  const gys = withCells ? new Float64Array(n) : undefined;
  let cells = 0;
  const width = maxX - minX + 1;
  if (n > 0 && width * (maxY - minY + 1) <= Number.MAX_SAFE_INTEGER) {
    // One exact numeric key per entity, a native sort, then runs of equal keys are cells.
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = (cy[i]! - minY) * width + (cx[i]! - minX);
    keys.sort();
    let previous = -1;
    for (let k = 0; k < n; k++) {
      const key = keys[k]!;
      if (key !== previous) {
        if (gxs !== undefined && gys !== undefined) {
          gxs[cells] = minX + (key % width);
          gys[cells] = minY + Math.floor(key / width);
        }
        cells++;
        previous = key;
      }
      counts[cells - 1]!++;
    }
  } else if (n > 0) {
    // Cell numbers too far apart for one key (absurdly sparse worlds): a comparison sort.
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => cy[a]! - cy[b]! || cx[a]! - cx[b]!);
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      const j = order[k - 1];
      if (k === 0 || cx[i] !== cx[j!] || cy[i] !== cy[j!]) {
        if (gxs !== undefined && gys !== undefined) {
          gxs[cells] = cx[i]!;
          gys[cells] = cy[i]!;
        }
        cells++;
      }
      counts[cells - 1]!++;
    }
  }
  return { n, cells, counts, ...(gxs && gys ? { gx: gxs.slice(0, cells), gy: gys.slice(0, cells) } : {}) };
}

function summarize(cellSize: number, entities: number, counts: Int32Array, cells: number): CellOccupancy {
  if (cells === 0) return { cellSize, entities, cells, max: 0, mean: 0, stdDev: 0 };
  const mean = entities / cells;
  let max = 0;
  let squares = 0;
  for (let i = 0; i < cells; i++) {
    const c = counts[i]!;
    if (c > max) max = c;
    squares += (c - mean) * (c - mean);
  }
  return { cellSize, entities, cells, max, mean, stdDev: Math.sqrt(squares / cells) };
}
