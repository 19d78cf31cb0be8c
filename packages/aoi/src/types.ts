/** Kinds of visibility events, as stored in {@link EventBatch.kinds}. */
export const EventKind = {
  Enter: 0,
  Leave: 1,
  Move: 2,
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

/** Receives events one by one. Every method is optional; a missing `move` costs nothing. */
export interface AoiListener {
  /** `target` came into `watcher`'s view (distance <= the watcher's view radius). */
  enter?(watcher: number, target: number): void;
  /** `target` left `watcher`'s view (distance > the watcher's leave radius), or one of them was removed. */
  leave?(watcher: number, target: number): void;
  /** `target`, already in `watcher`'s view, moved and stays in view. Only with `moveEvents: true`. */
  move?(watcher: number, target: number): void;
}

/**
 * The events of one delivery (one `tick()`, or one call in immediate mode), in delivery order: first the leaves of
 * the entities removed since the last update, then the other events; each part ascending by watcher, then by target,
 * in the engine's slot order (which depends only on the sequence of calls). An id removed and added again within one
 * tick thus gets its leaves before its enters.
 * The arrays are reused: read them before the next call into the world.
 */
export interface EventBatch {
  /** Number of events; only the first `count` entries of the arrays are meaningful. */
  readonly count: number;
  readonly enterCount: number;
  readonly leaveCount: number;
  readonly moveCount: number;
  /** {@link EventKind} per event. */
  readonly kinds: Uint8Array;
  /** Watcher id per event. */
  readonly watchers: Int32Array;
  /** Target id per event. */
  readonly targets: Int32Array;
}

/** An entity as the world stored it (defaults applied), as passed to {@link AoiObserver.onAdd}. */
export interface EntitySnapshot {
  readonly x: number;
  readonly y: number;
  readonly viewRadius: number;
  readonly leaveRadius: number;
  readonly watcher: boolean;
  readonly marker: boolean;
  readonly tags: number;
  readonly interest: number;
  /** Present once the world has height (docs/aoi.md, "Height"): z and the vertical half-heights (Infinity: none). */
  readonly z?: number;
  readonly viewHeight?: number;
  readonly leaveHeight?: number;
}

/**
 * Sees every batch before listeners do, and optionally every accepted change (the hook for aoi-trace). Costs
 * nothing when none is attached. The change callbacks run after validation, so they only see calls that succeeded.
 */
export interface AoiObserver {
  onBatch(batch: EventBatch): void;
  onAdd?(id: number, entity: EntitySnapshot): void;
  /**
   * A position change (`teleport` tells the two verbs apart). Not called when the position did not change. `z` is
   * the entity's z once the world has height, else undefined.
   */
  onMove?(id: number, x: number, y: number, teleport: boolean, z?: number): void;
  onRemove?(id: number): void;
  /** Radii, roles, tags or interest changed; `entity` is the whole new state. */
  onUpdate?(id: number, entity: EntitySnapshot): void;
}

/** Which spatial algorithm backs the world. */
export type AlgorithmName = 'grid' | 'brute-force';

/** Options of {@link AoiWorld}. */
export interface WorldOptions {
  /** @default 'grid' */
  algorithm?: AlgorithmName;
  /**
   * `immediate`: every mutating call computes and delivers its events before it returns.
   * `batched`: calls only record changes; `tick()` computes and delivers all transitions at once (the fast path).
   * @default 'immediate'
   */
  mode?: 'immediate' | 'batched';
  /** Receives events one by one. */
  listener?: AoiListener;
  /** Produce `move` events for targets that move while in view. @default false */
  moveEvents?: boolean;
  /**
   * Grid only: extra distance kept in the neighbour list so it is rebuilt only when some entity has moved more than
   * half of it. 0 rebuilds every update (a plain grid). @default 25% of the largest leave radius
   */
  skin?: number;
  /** Grid only: cell edge. @default largest leave radius + skin (a 3x3 neighbourhood) */
  cellSize?: number;
  /**
   * Grid, batched mode: the threads that run the bulk of each tick (re-checking the neighbour list, rebuilding it)
   * over shared memory, the caller's thread included: `workers: n` is the caller and n - 1 worker threads (as
   * OpenMP's `num_threads` counts its master thread), so `workers: 2` keeps two cores busy. 0 and 1 run everything
   * on the caller's thread (the plain grid, no worker thread). Same events in the same order for every n. Pays off
   * on large worlds only (see docs/aoi.md, "Parallel ticks"); a world with worker threads must be closed with
   * {@link AoiWorld.close}. @default 0
   */
  workers?: number;
  /**
   * With `workers` >= 1: whether the caller's thread takes a share of each tick. `false` starts `workers` worker
   * threads and the caller only waits for them (one more thread than cores busy: it costs wake-ups and run-queue
   * time; kept for measurement, and for callers who want it). Same events in the same order. @default true
   */
  callerShare?: boolean;
  /**
   * Time every update with `performance.now()` for {@link AoiWorld.stats}' `latency` (two clock reads per update).
   * Off, the world keeps no timer and pays one null check per update. @default false
   */
  metrics?: boolean;
}

/** What an entity is when added. */
export interface EntityOptions {
  x: number;
  y: number;
  /** Distance at which targets enter the view. @default 0 */
  viewRadius?: number;
  /** Distance beyond which targets leave the view; >= viewRadius (hysteresis). @default viewRadius */
  leaveRadius?: number;
  /** Has a view (receives events as watcher). @default true */
  watcher?: boolean;
  /** Can be seen (appears as target). @default true */
  marker?: boolean;
  /** Bit mask of what the entity is. @default 1 */
  tags?: number;
  /** Bit mask of the tags this watcher sees; a target is seen when `interest & tags` is not 0. @default all bits */
  interest?: number;
  /**
   * Height (docs/aoi.md, "Height"). Giving any of these three switches the world to cylinders: a target is in view
   * when its horizontal distance is within the radius AND |dz| is within the view height. @default 0
   */
  z?: number;
  /** Vertical half-height of the view cylinder. @default Infinity (no vertical limit) */
  viewHeight?: number;
  /** Vertical half-height beyond which targets leave; >= viewHeight (hysteresis). @default viewHeight */
  leaveHeight?: number;
}
