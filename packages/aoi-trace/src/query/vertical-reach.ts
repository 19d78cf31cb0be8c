// The vertical half of a causal chain's explanation, on traces with height (docs/aoi.md, "Height"): a view is a
// cylinder, so whether a pair is in view also depends on |dz| against the watcher's half-heights (hysteresis on both
// extents). Computed only when the watcher or the target has a height field, so a 2D trace's answers are unchanged.

import type { EntityHeight } from './tick-geometry.js';

/** The pair's vertical geometry: z of both, the gap |dz| before and after the tick, the watcher's half-heights. */
export interface VerticalGeometry {
  /** Null when spawned in this tick. */
  readonly watcherZBefore: number | null;
  readonly watcherZAfter: number;
  readonly targetZBefore: number | null;
  readonly targetZAfter: number;
  /** |dz| before the tick; null when either was spawned in it. */
  readonly gapBefore: number | null;
  readonly gapAfter: number;
  /** The watcher's vertical reach: an enter needs gap <= viewHeight, a leave gap > leaveHeight (null: no limit). */
  readonly viewHeight: number | null;
  readonly leaveHeight: number | null;
  /** Where the gap lies: within the view half-height, in the band up to the leave half-height, or beyond it. */
  readonly zone: 'within-view-height' | 'band' | 'beyond-leave-height';
}

/** A 2D entity in a world with height: the engine's defaults. */
const FLAT: EntityHeight = {
  zBefore: 0,
  zAfter: 0,
  viewHeight: Number.POSITIVE_INFINITY,
  leaveHeight: Number.POSITIVE_INFINITY,
};

/** The vertical geometry, or undefined when neither entity has height (a 2D trace). */
export function verticalGeometry(
  watcher: EntityHeight | undefined,
  target: EntityHeight | undefined,
  watcherSpawned: boolean,
  targetSpawned: boolean,
): VerticalGeometry | undefined {
  if (watcher === undefined && target === undefined) return undefined;
  const w = watcher ?? { ...FLAT, zBefore: watcherSpawned ? null : 0 };
  const t = target ?? { ...FLAT, zBefore: targetSpawned ? null : 0 };
  const gapAfter = Math.abs(w.zAfter - t.zAfter);
  const finite = (h: number) => (h === Number.POSITIVE_INFINITY ? null : h);
  return {
    watcherZBefore: w.zBefore,
    watcherZAfter: w.zAfter,
    targetZBefore: t.zBefore,
    targetZAfter: t.zAfter,
    gapBefore: w.zBefore === null || t.zBefore === null ? null : Math.abs(w.zBefore - t.zBefore),
    gapAfter,
    viewHeight: finite(w.viewHeight),
    leaveHeight: finite(w.leaveHeight),
    zone: gapAfter <= w.viewHeight ? 'within-view-height' : gapAfter <= w.leaveHeight ? 'band' : 'beyond-leave-height',
  };
}

const num = (value: number) => String(Math.round(value * 1000) / 1000);
const reach = (h: number | null) => (h === null ? 'no limit' : num(h));

/** One step of the chain in words: the gap against the reach, and what that allows. */
export function describeVertical(v: VerticalGeometry, watcherId: number): string {
  const was = v.gapBefore === null ? '' : ` (was ${num(v.gapBefore)})`;
  const verdict =
    v.zone === 'within-view-height'
      ? 'within the view half-height: in vertical reach'
      : v.zone === 'band'
        ? 'beyond the view half-height, within the leave half-height: a pair in view stays, none enters'
        : 'beyond the leave half-height: out of vertical reach';
  return (
    `vertical gap |dz| ${num(v.gapAfter)}${was} (watcher z ${num(v.watcherZAfter)}, target z ${num(v.targetZAfter)}); ` +
    `watcher ${watcherId} view half-height ${reach(v.viewHeight)}, leave half-height ${reach(v.leaveHeight)}: ${verdict}`
  );
}

/** Whether the vertical rule forbids the event: an enter beyond the view half-height. */
export const enterBeyondReach = (v: VerticalGeometry): boolean => v.zone !== 'within-view-height';

/** Whether the vertical rule explains an exit: the gap passed the leave half-height. */
export const exitByHeight = (v: VerticalGeometry): boolean => v.zone === 'beyond-leave-height';
