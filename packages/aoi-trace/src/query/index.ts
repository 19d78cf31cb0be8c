export {
  type CausalChain,
  type CausingChange,
  type ChangeKind,
  causalChain,
  type EntityGeometry,
  type EventGeometry,
} from './causal-chain.js';
export { type EventFilter, eventsOf } from './events-of.js';
export { findEvent } from './find-event.js';
export {
  type LifecycleItem,
  type LifecycleSpawnItem,
  type LifecycleState,
  type LifecycleViewItem,
  lifecycle,
  type ViewDirection,
} from './lifecycle.js';
export { stateAt } from './replay.js';
export type { Point } from './tick-geometry.js';
export type { Region, TraceEvent } from './trace-event.js';
export { type ViewBetween, type ViewChange, viewBetween } from './view-between.js';
export { type VisibilityFilter, type VisibilityInterval, whoSawWhom } from './who-saw-whom.js';
