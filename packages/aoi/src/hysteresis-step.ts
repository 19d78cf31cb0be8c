import type { TransitionBuffer } from './event-queue.js';
import { EventKind } from './types.js';

/** One direction of a pair under the hysteresis rule; returns the new flags. Shared with the parallel grid. */
export function step(
  f: number,
  bit: number,
  w: number,
  t: number,
  d2: number,
  view2: number,
  leave2: number,
  targetMoved: boolean,
  out: TransitionBuffer,
): number {
  if (f & bit) {
    if (d2 > leave2) {
      out.push(w, t, EventKind.Leave);
      return f ^ bit;
    }
    if (targetMoved) out.push(w, t, EventKind.Move);
    return f;
  }
  if (d2 <= view2) {
    out.push(w, t, EventKind.Enter);
    return f | bit;
  }
  return f;
}
