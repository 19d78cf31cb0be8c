import type { EntityStore } from './entity-store.js';
import type { TransitionBuffer } from './event-queue.js';

/** What the world tells an algorithm about the entities that changed since the last update. */
export interface DirtySet {
  /** Slots that were added, moved, teleported or changed radius/roles/tags (may include removed slots: skip them). */
  readonly slots: Int32Array;
  readonly count: number;
  /** Per slot: 1 when in `slots`. */
  readonly flag: Uint8Array;
  /** Per slot: 1 when its position changed (drives `move` events). */
  readonly moved: Uint8Array;
}

/**
 * A spatial algorithm behind the world. It owns the view relation (who sees whom) and keeps it equal to the
 * hysteresis rule: watcher w sees target t after an update iff `canSee(w, t)` and either (w saw t before and
 * d² <= leave²(w)) or d² <= view²(w), with d² = dx*dx + dy*dy in double precision.
 */
export interface AoiAlgorithm {
  readonly name: string;
  /** Edge of the cells the algorithm indexes by, once known (the grid after its first update). */
  readonly cellSize?: number;
  /** The store's arrays grew to `capacity` slots. */
  resize(capacity: number): void;
  /** A slot was added (its state is in the store; it is also in the next update's dirty set). */
  added(slot: number): void;
  /** A slot's roles or tags changed (its position or radius changes arrive through `update`). */
  rolesChanged(slot: number): void;
  /** Pushes a leave for every pair in view that involves `slot` (both directions) and forgets them. */
  remove(slot: number, out: TransitionBuffer): void;
  /** Re-evaluates every pair that involves a dirty slot; pushes each transition exactly once. */
  update(dirty: DirtySet, out: TransitionBuffer, moveEvents: boolean): void;
  /** Calls `fn` with each target slot that watcher slot `w` sees. */
  forEachSeen(w: number, fn: (target: number) => void): void;
  /** Calls `fn` with each watcher slot that sees target slot `t`. */
  forEachWatcher(t: number, fn: (watcher: number) => void): void;
  /** Releases threads or other resources (the parallel grid); resolves when they are gone. */
  close?(): Promise<void>;
}

export type AlgorithmFactory = (store: EntityStore, options: { skin?: number; cellSize?: number }) => AoiAlgorithm;
