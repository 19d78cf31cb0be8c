import type { TickRecord } from '../model/types.js';
import type { WorldState } from '../model/world-state.js';
import type { PairChanges } from './pair-changes.js';

/**
 * Where a DetectionStream gets each tick's pairs in the incremental mode: the kinetic schedule itself
 * (KineticPairs), or the same schedule run by a worker over the same file (WorkerSchedule).
 */
export interface PairSchedule {
  /** Call after `state.apply(record)`. */
  update(state: WorldState, record: TickRecord): PairChanges;
  /** The next tick is full (after lost ticks, or when the detectors start over). */
  invalidate(): void;
  /** The trace has height from now on. */
  enableHeight(): void;
}
