// Hot loops over typed arrays: every index is bounded by a count kept beside the arrays, so the non-null assertion
// on an indexed read states that invariant (noUncheckedIndexedAccess) instead of a check per element in inner loops.
import type { EntityStore } from './entity-store.js';
import type { ScanJob } from './parallel-protocol.js';

/**
 * The work of each cell row of a dense rebuild: the candidate pairs the dense scan tests from it (each cell against
 * itself, its right neighbour and the three cells below), plus one per entity. A share's pairs, and so its work on
 * every tick until the next rebuild, grow with the square of the density: cut by entity count, a stripe over a
 * crowd gets most of the pairs (and the edge row, which has no row below it, fewer).
 */
export function rowWork(
  store: EntityStore,
  cell: number,
  gx0: number,
  gy0: number,
  w: number,
  h: number,
): Float64Array {
  const { alive, x, y, end } = store;
  const counts = new Int32Array(w * h);
  for (let s = 0; s < end; s++) {
    if (alive[s] === 0) continue;
    counts[(Math.floor(y[s]! / cell) - gy0) * w + (Math.floor(x[s]! / cell) - gx0)]!++;
  }
  const work = new Float64Array(h);
  for (let row = 0; row < h; row++) {
    let sum = 0;
    const at = row * w;
    const below = row + 1 < h ? at + w : -1;
    for (let cx = 0; cx < w; cx++) {
      const n = counts[at + cx]!;
      if (n === 0) continue;
      let others = (n - 1) / 2;
      if (cx + 1 < w) others += counts[at + cx + 1]!;
      if (below >= 0) {
        others += counts[below + cx]!;
        if (cx > 0) others += counts[below + cx - 1]!;
        if (cx + 1 < w) others += counts[below + cx + 1]!;
      }
      sum += n * (1 + others);
    }
    work[row] = sum;
  }
  return work;
}

/** Rows [from, to) per share: cut where the running work passes each share's equal part (rows stay whole). */
export function cutStripes(work: Float64Array, shares: number): Array<Pick<ScanJob, 'from' | 'to'>> {
  let total = 0;
  for (const v of work) total += v;
  const h = work.length;
  const jobs: Array<Pick<ScanJob, 'from' | 'to'>> = [];
  let row = 0;
  let seen = 0;
  for (let part = 0; part < shares; part++) {
    const from = row;
    const goal = (total * (part + 1)) / shares;
    while (row < h && (part === shares - 1 || seen + work[row]! / 2 < goal)) seen += work[row++]!;
    jobs.push({ from, to: row });
  }
  return jobs;
}
