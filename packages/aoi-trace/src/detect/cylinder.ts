// The vertical half of the engine's view rule, for the detectors (docs/aoi.md, "Height"): with height a view is a
// cylinder, so a pair is in view when the horizontal rule says so AND |dz| is within the watcher's half-height, with
// hysteresis on both extents. The horizontal comparisons stay where they are (each detector's, with its tolerance
// band); every detector combines them with the vertical zone computed here, and only once the trace has shown height
// (DetectionStream latches it), so a 2D trace never reaches this file. z is stored exactly (not quantized like x and
// y), so the vertical test has no ambiguous band: |dz| is compared as is, in double precision, like the engine does.

import { type HeightFields, hasHeight } from '../model/height.js';
import type { EntityUpdate, TickRecord } from '../model/types.js';
import type { WorldState } from '../model/world-state.js';

/**
 * Where |dz| lies against the watcher's half-heights: 0 within the view half-height (an enter is allowed), 1 beyond it
 * but within the leave half-height (the vertical hysteresis band: what is in view stays, nothing enters), 2 beyond
 * the leave half-height (whatever is in view leaves).
 */
export type VerticalZone = 0 | 1 | 2;

export function verticalZone(adz: number, viewHeight: number, leaveHeight: number): VerticalZone {
  return adz <= viewHeight ? 0 : adz <= leaveHeight ? 1 : 2;
}

/** The engine's defaults for what a trace leaves out: z 0, no vertical limit, the leave half-height the view's. */
export const zOf = (e: Readonly<HeightFields>): number => e.z ?? 0;
export const viewHeightOf = (e: Readonly<HeightFields>): number => e.viewHeight ?? Number.POSITIVE_INFINITY;
export const leaveHeightOf = (e: Readonly<HeightFields>): number =>
  e.leaveHeight ?? e.viewHeight ?? Number.POSITIVE_INFINITY;

/** The zone of target `t` for watcher `w`, both as the trace world holds them. */
export function entityZone(w: Readonly<HeightFields>, t: Readonly<HeightFields>): VerticalZone {
  return verticalZone(Math.abs(zOf(w) - zOf(t)), viewHeightOf(w), leaveHeightOf(w));
}

/** Whether two watchers decide alike vertically (same half-heights): needed before an asymmetry is a tear. */
export const sameHalfHeights = (a: Readonly<HeightFields>, b: Readonly<HeightFields>): boolean =>
  viewHeightOf(a) === viewHeightOf(b) && leaveHeightOf(a) === leaveHeightOf(b);

/**
 * The height columns of a TickGeometry: z and the resolved half-heights per slot, in the slots' order (the world's
 * entity order, as TickGeometry.load walks it). Present only once the trace has height.
 */
export class HeightColumns {
  zs = new Float64Array(0);
  viewHeights = new Float64Array(0);
  leaveHeights = new Float64Array(0);

  /** Fills slots 0 .. n-1 from the world's entities, in their iteration order (TickGeometry.load's). */
  load(state: WorldState, capacity: number): void {
    if (this.zs.length < capacity) {
      this.zs = new Float64Array(capacity);
      this.viewHeights = new Float64Array(capacity);
      this.leaveHeights = new Float64Array(capacity);
    }
    let i = 0;
    for (const e of state.entities.values()) {
      this.zs[i] = zOf(e);
      this.viewHeights[i] = viewHeightOf(e);
      this.leaveHeights[i] = leaveHeightOf(e);
      i++;
    }
  }

  /** Target slot `t`'s zone for watcher slot `w`. */
  zone(w: number, t: number): VerticalZone {
    return verticalZone(Math.abs(this.zs[w]! - this.zs[t]!), this.viewHeights[w]!, this.leaveHeights[w]!);
  }

  /**
   * How far |dz| of the pair is from the nearer of `w`'s half-heights, less a hair for rounding: |dz| cannot cross
   * either before the two entities' vertical displacements add up to this (the kinetic schedule's margin).
   */
  gap(w: number, t: number): number {
    const adz = Math.abs(this.zs[w]! - this.zs[t]!);
    const view = this.viewHeights[w]!;
    const leave = this.leaveHeights[w]!;
    const gap = Math.min(Math.abs(adz - view), Math.abs(adz - leave));
    // Infinity - Infinity is NaN for an unbounded one; an unbounded half-height is never crossed.
    const finite = Math.max(
      view === Number.POSITIVE_INFINITY ? 0 : view,
      leave === Number.POSITIVE_INFINITY ? 0 : leave,
    );
    return gap - 1e-9 * (1 + adz + finite);
  }
}

/**
 * A vertical move as the recorder writes it (format 2.2: the move columns stay 2D): an update of `z` alone. It moves
 * an entity and changes no rule, so the kinetic schedule and torn-view follow it like a move.
 */
export function isVerticalMove(update: EntityUpdate): boolean {
  return (
    update.z !== undefined &&
    update.viewRadius === undefined &&
    update.leaveRadius === undefined &&
    update.watcher === undefined &&
    update.marker === undefined &&
    update.tags === undefined &&
    update.viewHeight === undefined &&
    update.leaveHeight === undefined
  );
}

/** Whether a tick gives some entity a height field: from then on the trace's views are cylinders. */
export function recordHasHeight(record: TickRecord): boolean {
  for (const spawn of record.spawns) if (hasHeight(spawn)) return true;
  for (const update of record.updates) if (hasHeight(update)) return true;
  return record.resync !== undefined && stateHasHeight(record.resync.state);
}

/** Whether some entity of `state` has a height field. */
export function stateHasHeight(state: WorldState): boolean {
  for (const e of state.entities.values()) if (hasHeight(e)) return true;
  return false;
}
