/** A distance against a watcher's thresholds, as the kinetic schedule (kinetic-pairs.ts) keeps it: its side and its margin. */

/** Thresholds per watcher: its view and leave radius, each minus, at and plus the tolerance. */
const THRESHOLDS = 6;
/** The side of a pair beyond every threshold (2 per threshold): out of reach. */
export const FAR = 2 * THRESHOLDS;

/**
 * Which side of the watcher's THRESHOLDS thresholds d2 is on, 2 per threshold beyond and 1 at it: the thresholds'
 * squares are the same expressions as the detectors' comparisons (band(), the grid's reach, divergence's inner
 * radius), so two distances with the same side decide the same everywhere.
 */
export function sideOf(d2: number, v: number, l: number, tol: number): number {
  const view = sideAt(d2, Math.max(0, v - tol) ** 2) + sideAt(d2, v * v) + sideAt(d2, (v + tol) ** 2);
  // Equal radii (no hysteresis band, the common case): the leave thresholds are the same three numbers.
  if (v === l) return 2 * view;
  return view + sideAt(d2, Math.max(0, l - tol) ** 2) + sideAt(d2, l * l) + sideAt(d2, (l + tol) ** 2);
}

function sideAt(d2: number, x2: number): number {
  return d2 > x2 ? 2 : d2 === x2 ? 1 : 0;
}

/** Distance d's margin to the nearest of the watcher's thresholds (r - tol, r, r + tol for both radii), less a hair. */
export function marginOf(d: number, v: number, l: number, tol: number): number {
  let margin = Math.min(Math.abs(d - (v - tol)), Math.abs(d - v), Math.abs(d - (v + tol)));
  // Equal radii: the leave thresholds are the view thresholds (see sideOf).
  if (v !== l) margin = Math.min(margin, Math.abs(d - (l - tol)), Math.abs(d - l), Math.abs(d - (l + tol)));
  return margin - 1e-9 * (1 + d + (l + tol));
}
