import type { EntityStore } from './entity-store.js';
import type { TransitionBuffer } from './event-queue.js';
import { PairFlag } from './pair-list.js';
import { EventKind } from './types.js';

const { ASeesB, BSeesA, ACan, BCan } = PairFlag;

// Height (docs/aoi.md, "Height"): a view is a cylinder, horizontal distance <= radius AND |dz| <= half-height, with
// hysteresis on both extents. The grids index and store pairs by horizontal distance only, so the vertical test is
// folded into the squared radius a pair is compared with: -1 (nothing is within) when the target is outside the
// watcher's vertical extent. Only called once the store has height; 2D worlds never reach this file.

/** Watcher `w`'s squared view radius toward target `t`, or -1 when `t` is above or below w's view cylinder. */
export function viewLimit(store: EntityStore, w: number, t: number): number {
  return Math.abs(store.z[w]! - store.z[t]!) <= store.viewH[w]! ? store.view2[w]! : -1;
}

/** Watcher `w`'s squared leave radius toward target `t`, or -1 when `t` is above or below w's leave cylinder. */
export function leaveLimit(store: EntityStore, w: number, t: number): number {
  return Math.abs(store.z[w]! - store.z[t]!) <= store.leaveH[w]! ? store.leave2[w]! : -1;
}

/** The pairs of a grid's neighbour list as its hot loop walks them: runs sharing the entity `a`. */
export interface PairRuns {
  readonly b: Int32Array;
  readonly flags: Uint8Array;
  readonly runCount: number;
  readonly runSlot: Int32Array;
  readonly runStart: Int32Array;
}

/**
 * The grids' hot loop (GridAlgorithm.updateAll, the parallel grid's workers) with the vertical test: every stored
 * pair, one horizontal distance and one |dz|, both directions. A separate loop, so the 2D one stays as it was.
 */
export function updateRunsWithHeight(
  store: EntityStore,
  list: PairRuns,
  out: TransitionBuffer,
  moved: Uint8Array | null,
): void {
  const { x, y, z, view2, leave2, viewH, leaveH } = store;
  const { b, flags, runCount, runSlot, runStart } = list;
  for (let r = 0; r < runCount; r++) {
    const i = runSlot[r]!;
    const xi = x[i]!;
    const yi = y[i]!;
    const zi = z[i]!;
    const viewI = view2[i]!;
    const leaveI = leave2[i]!;
    const viewHI = viewH[i]!;
    const leaveHI = leaveH[i]!;
    const movedI = moved !== null && moved[i] === 1;
    const pEnd = runStart[r + 1]!;
    for (let p = runStart[r]!; p < pEnd; p++) {
      const f = flags[p]!;
      if (f === 0) continue;
      const j = b[p]!;
      const dx = xi - x[j]!;
      const dy = yi - y[j]!;
      const d2 = dx * dx + dy * dy;
      const adz = Math.abs(zi - z[j]!);
      let g = f;
      if (f & ACan) {
        if (f & ASeesB) {
          if (d2 > leaveI || adz > leaveHI) {
            g ^= ASeesB;
            out.push(i, j, EventKind.Leave);
          } else if (moved !== null && moved[j] === 1) out.push(i, j, EventKind.Move);
        } else if (d2 <= viewI && adz <= viewHI) {
          g |= ASeesB;
          out.push(i, j, EventKind.Enter);
        }
      }
      if (f & BCan) {
        if (f & BSeesA) {
          if (d2 > leave2[j]! || adz > leaveH[j]!) {
            g ^= BSeesA;
            out.push(j, i, EventKind.Leave);
          } else if (movedI) out.push(j, i, EventKind.Move);
        } else if (d2 <= view2[j]! && adz <= viewH[j]!) {
          g |= BSeesA;
          out.push(j, i, EventKind.Enter);
        }
      }
      if (g !== f) flags[p] = g;
    }
  }
}
