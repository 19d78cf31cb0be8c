import type { AoiAlgorithm } from './algorithm.js';
import { createAlgorithm, threadLayout } from './create-algorithm.js';
import { DirtyList } from './dirty-list.js';
import { entitySnapshot } from './entity-snapshot.js';
import { EntityStore, Role } from './entity-store.js';
import { AoiError, AoiErrorCode } from './errors.js';
import { BatchArrays, TransitionBuffer } from './event-queue.js';
import { cellOccupancy } from './occupancy.js';
import type { AlgorithmName, AoiListener, AoiObserver, EntityOptions, EventBatch, WorldOptions } from './types.js';
import { latencyOf, UpdateTimer } from './update-timer.js';
import { checkHeights, checkId, checkMask, checkPosition, checkRadii, checkZ, MAX_COORDINATE } from './validate.js';
import type { AoiStats, StatsOptions } from './world-stats.js';

/**
 * An AOI world: entities with positions, view radii and roles; the engine tells each watcher which targets enter,
 * leave (and optionally move in) its view. See the package README for the rules and the two modes.
 */
export class AoiWorld {
  /** Name of the algorithm in use. */
  readonly algorithm: AlgorithmName;
  /** The `mode` option (a recorder stores it: replaying a recording needs it). */
  readonly mode: 'immediate' | 'batched';
  /** The `moveEvents` option. */
  readonly moveEvents: boolean;
  /** The `skin` option as given; undefined means the grid's default. */
  readonly skin: number | undefined;
  private readonly store: EntityStore;
  private readonly impl: AoiAlgorithm;
  private readonly batched: boolean;
  private readonly listener: AoiListener | undefined;
  private observers: AoiObserver[] = [];
  /** Observers with change callbacks; null when there are none, so the hot calls pay one null check. */
  private changeObservers: AoiObserver[] | null = null;
  private readonly pending = new TransitionBuffer();
  private readonly batch = new BatchArrays();
  private readonly followUp = new BatchArrays();
  private delivering = false;
  /** Null unless `metrics: true`: the hot path then pays one null check per update. */
  private readonly timer: UpdateTimer | null;
  private readonly configuredCellSize: number | undefined;
  private readonly dirty = new DirtyList();

  constructor(options: WorldOptions = {}) {
    const mode = options.mode ?? 'immediate';
    if (mode !== 'immediate' && mode !== 'batched') {
      throw new AoiError(AoiErrorCode.InvalidOption, `mode must be 'immediate' or 'batched', got ${String(mode)}.`);
    }
    this.algorithm = options.algorithm ?? 'grid';
    const layout = threadLayout(options);
    // Worker threads read the entity arrays in place: shared buffers, no copy per tick.
    this.store = new EntityStore(64, layout.workerThreads > 0);
    this.impl = createAlgorithm(this.algorithm, this.store, options, layout);
    this.mode = mode;
    this.batched = mode === 'batched';
    this.moveEvents = options.moveEvents ?? false;
    this.skin = options.skin;
    this.listener = options.listener;
    this.timer = options.metrics === true ? new UpdateTimer() : null;
    this.configuredCellSize = options.cellSize;
    this.resized();
  }

  /** Number of entities. */
  get size(): number {
    return this.store.count;
  }

  has(id: number): boolean {
    return Number.isInteger(id) && id >= 0 && this.store.slotOf(id) >= 0;
  }

  /** Adds an entity. Throws AOI_DUPLICATE_ID, AOI_INVALID_ID, AOI_INVALID_POSITION, AOI_INVALID_RADIUS. */
  add(id: number, entity: EntityOptions): void {
    checkId(id, 'add');
    if (this.store.slotOf(id) >= 0) {
      throw new AoiError(AoiErrorCode.DuplicateId, `add: an entity with id ${id} already exists.`, id);
    }
    checkPosition(id, entity.x, entity.y, 'add');
    const view = entity.viewRadius ?? 0;
    const leave = checkRadii(id, view, entity.leaveRadius, 'add');
    const tags = checkMask(id, entity.tags ?? 1, 'tags', 'add');
    const interest = checkMask(id, entity.interest ?? -1, 'interest', 'add');
    const { z, viewHeight, leaveHeight } = entity;
    const height = z !== undefined || viewHeight !== undefined || leaveHeight !== undefined;
    const viewH = viewHeight ?? Number.POSITIVE_INFINITY;
    let leaveH = viewH;
    if (height) {
      checkZ(id, z ?? 0, 'add');
      leaveH = checkHeights(id, viewH, leaveHeight, 'add');
    }
    const store = this.store;
    if (height) store.enableHeight();
    const { slot, grew } = store.allocate(id);
    if (grew) this.resized();
    store.x[slot] = entity.x;
    store.y[slot] = entity.y;
    store.setRadius(slot, view, leave);
    if (store.hasHeight) {
      store.z[slot] = z ?? 0;
      store.setHeight(slot, viewH, leaveH);
    }
    store.roles[slot] = (entity.watcher === false ? 0 : Role.Watcher) | (entity.marker === false ? 0 : Role.Marker);
    store.tags[slot] = tags;
    store.interest[slot] = interest;
    this.impl.added(slot);
    this.dirty.mark(slot, false);
    if (this.changeObservers !== null) this.notifyAdd(id, slot);
    this.autoFlush();
  }

  /**
   * Moves an entity; `z` left out keeps its z (a z switches the world to height). In immediate mode its events are
   * delivered before this returns.
   */
  move(id: number, x: number, y: number, z?: number): void {
    const store = this.store;
    // The common case (a known id, a valid 2D position, batched, no change observers) in a few lines: small enough
    // for V8 to inline into the caller's loop, where the doubles then need no boxing (no garbage per call).
    const slot = id >= 0 && id < store.directLimit ? store.directSlot(id) : -1;
    if (
      slot >= 0 &&
      z === undefined &&
      this.batched &&
      this.changeObservers === null &&
      !store.hasHeight &&
      Math.abs(x) <= MAX_COORDINATE &&
      Math.abs(y) <= MAX_COORDINATE
    ) {
      if (store.x[slot] === x && store.y[slot] === y) return;
      store.x[slot] = x;
      store.y[slot] = y;
      this.dirty.mark(slot, true);
      return;
    }
    this.moveChecked(id, x, y, z);
  }

  /** {@link move} in full: every check with its error, height, observers, immediate mode. */
  private moveChecked(id: number, x: number, y: number, z: number | undefined): void {
    const slot = this.store.require(id, 'move');
    checkPosition(id, x, y, 'move');
    if (z !== undefined) checkZ(id, z, 'move');
    this.moveSlot(id, slot, x, y, z, false);
  }

  /**
   * Puts an entity anywhere at once. Same events as {@link move} (leaves at the old place, enters at the new one,
   * moves for watchers that keep it in view); a separate verb so game code and traces can tell them apart.
   */
  teleport(id: number, x: number, y: number, z?: number): void {
    const slot = this.store.require(id, 'teleport');
    checkPosition(id, x, y, 'teleport');
    if (z !== undefined) checkZ(id, z, 'teleport');
    this.moveSlot(id, slot, x, y, z, true);
  }

  private moveSlot(id: number, slot: number, x: number, y: number, z: number | undefined, teleport: boolean): void {
    const store = this.store;
    if (z !== undefined) store.enableHeight();
    const zs = store.hasHeight ? store.z : null;
    const newZ = zs === null ? undefined : (z ?? zs[slot]!);
    if (store.x[slot] === x && store.y[slot] === y && (zs === null || zs[slot] === newZ)) return;
    store.x[slot] = x;
    store.y[slot] = y;
    if (zs !== null) zs[slot] = newZ!;
    this.dirty.mark(slot, true);
    const changeObservers = this.changeObservers;
    if (changeObservers !== null) for (const o of changeObservers) o.onMove?.(id, x, y, teleport, newZ);
    this.autoFlush();
  }

  /** Removes an entity: every watcher that saw it and every target it saw get a leave. */
  remove(id: number): void {
    const slot = this.store.require(id, 'remove');
    this.impl.remove(slot, this.pending);
    this.store.retire(slot);
    const changeObservers = this.changeObservers;
    if (changeObservers !== null) for (const o of changeObservers) o.onRemove?.(id);
    this.autoFlush();
  }

  /** Changes the view radius and the leave radius (default: the new view radius). */
  setRadius(id: number, viewRadius: number, leaveRadius?: number): void {
    const slot = this.store.require(id, 'setRadius');
    const leave = checkRadii(id, viewRadius, leaveRadius, 'setRadius');
    this.store.setRadius(slot, viewRadius, leave);
    this.dirty.mark(slot, false);
    if (this.changeObservers !== null) this.notifyUpdate(id, slot);
    this.autoFlush();
  }

  /**
   * Changes the vertical half-heights of the view cylinder (leave: default the new view height; Infinity: no
   * vertical limit). Switches the world to height (docs/aoi.md, "Height").
   */
  setHeight(id: number, viewHeight: number, leaveHeight?: number): void {
    const slot = this.store.require(id, 'setHeight');
    const leave = checkHeights(id, viewHeight, leaveHeight, 'setHeight');
    this.store.enableHeight();
    this.store.setHeight(slot, viewHeight, leave);
    this.dirty.mark(slot, false);
    if (this.changeObservers !== null) this.notifyUpdate(id, slot);
    this.autoFlush();
  }

  /** Changes roles, tags or interest mask; fields left out keep their value. */
  setRoles(id: number, roles: Pick<EntityOptions, 'watcher' | 'marker' | 'tags' | 'interest'>): void {
    const slot = this.store.require(id, 'setRoles');
    const store = this.store;
    const tags = roles.tags === undefined ? store.tags[slot]! : checkMask(id, roles.tags, 'tags', 'setRoles');
    const interest =
      roles.interest === undefined ? store.interest[slot]! : checkMask(id, roles.interest, 'interest', 'setRoles');
    const old = store.roles[slot]!;
    const watcher = roles.watcher ?? (old & Role.Watcher) !== 0;
    const marker = roles.marker ?? (old & Role.Marker) !== 0;
    store.roles[slot] = (watcher ? Role.Watcher : 0) | (marker ? Role.Marker : 0);
    store.tags[slot] = tags;
    store.interest[slot] = interest;
    this.impl.rolesChanged(slot);
    this.dirty.mark(slot, false);
    if (this.changeObservers !== null) this.notifyUpdate(id, slot);
    this.autoFlush();
  }

  /** Current position of an entity (with `z` once the world has height). */
  position(id: number): { x: number; y: number; z?: number } {
    const store = this.store;
    const slot = store.require(id, 'position');
    const at = { x: store.x[slot]!, y: store.y[slot]! };
    return store.hasHeight ? { ...at, z: store.z[slot]! } : at;
  }

  /** Whether some entity has had a z or a view height: views are then cylinders (docs/aoi.md, "Height"). */
  get hasHeight(): boolean {
    return this.store.hasHeight;
  }

  /** Ids the watcher sees, ascending (as of the last delivered update). */
  viewOf(id: number): number[] {
    const slot = this.store.require(id, 'viewOf');
    const ids: number[] = [];
    this.impl.forEachSeen(slot, (t) => ids.push(this.store.ids[t]!));
    return ids.sort((a, b) => a - b);
  }

  /** Ids of the watchers that see the target, ascending. */
  watchersOf(id: number): number[] {
    const slot = this.store.require(id, 'watchersOf');
    const ids: number[] = [];
    this.impl.forEachWatcher(slot, (w) => ids.push(this.store.ids[w]!));
    return ids.sort((a, b) => a - b);
  }

  /**
   * Computes and delivers everything recorded since the last update (batched mode; in immediate mode there is
   * usually nothing left). Returns this update's events; the arrays are reused by the next call. Events caused by
   * calls made from listeners are delivered afterwards, in this same call.
   */
  tick(): EventBatch {
    if (this.delivering) {
      throw new AoiError(AoiErrorCode.ReentrantTick, 'tick: called from a listener or observer during delivery.');
    }
    return this.flush();
  }

  /**
   * Terminates the world's worker threads (option `workers` above 1, or `callerShare: false`); resolves once they
   * have exited. Later calls that need them throw AOI_CLOSED. Worlds without worker threads have nothing to release.
   */
  close(): Promise<void> {
    return this.impl.close?.() ?? Promise.resolve();
  }

  /** Edge of the grid's cells: its last rebuild's, else the `cellSize` option; undefined when neither is known. */
  get cellSize(): number | undefined {
    const built = this.impl.cellSize;
    return built !== undefined && built > 0 ? built : this.configuredCellSize;
  }

  /**
   * The health indicators (see {@link AoiStats}). Occupancy is counted now from the current positions, O(n log n):
   * call it when scraped, not per tick. Throws AOI_INVALID_OPTION for a bad `cellSize`.
   */
  stats(options: StatsOptions = {}): AoiStats {
    const cellSize = options.cellSize ?? this.cellSize;
    const { x, y, alive, end } = this.store;
    return {
      entities: this.store.count,
      pendingChanges: this.dirty.count,
      occupancy: cellSize === undefined ? null : cellOccupancy(cellSize, end, x, y, alive),
      latency: this.timer === null ? null : latencyOf(this.timer),
    };
  }

  /** Attaches an observer that sees every batch before the listener; returns a function that detaches it. */
  observe(observer: AoiObserver): () => void {
    this.setObservers([...this.observers, observer]);
    return () => this.setObservers(this.observers.filter((o) => o !== observer));
  }

  private setObservers(observers: AoiObserver[]): void {
    this.observers = observers;
    const withChanges = observers.filter((o) => o.onAdd || o.onMove || o.onRemove || o.onUpdate);
    this.changeObservers = withChanges.length > 0 ? withChanges : null;
  }

  private notifyAdd(id: number, slot: number): void {
    const entity = entitySnapshot(this.store, slot);
    for (const o of this.changeObservers ?? []) o.onAdd?.(id, entity);
  }

  private notifyUpdate(id: number, slot: number): void {
    const entity = entitySnapshot(this.store, slot);
    for (const o of this.changeObservers ?? []) o.onUpdate?.(id, entity);
  }

  private resized(): void {
    const capacity = this.store.capacity;
    this.dirty.grow(capacity);
    this.impl.resize(capacity);
  }

  private autoFlush(): void {
    if (!this.batched && !this.delivering) this.flush();
  }

  /** Updates the algorithm with the dirty set; the transitions land in `pending`. */
  private compute(): void {
    const dirty = this.dirty;
    if (dirty.count > 0) {
      this.impl.update(dirty, this.pending, this.moveEvents);
      dirty.clear(this.store.end);
    }
  }

  private flush(): EventBatch {
    const timer = this.timer;
    let start = timer === null ? 0 : performance.now();
    let spent = 0;
    this.compute();
    this.batch.fill(this.pending, this.store);
    if (timer !== null) spent += performance.now() - start;
    this.deliver(this.batch);
    while (this.dirty.count > 0 || this.pending.count > 0) {
      if (timer !== null) start = performance.now();
      this.compute();
      this.followUp.fill(this.pending, this.store);
      if (timer !== null) spent += performance.now() - start;
      this.deliver(this.followUp);
    }
    this.store.releaseFreed();
    if (timer !== null) timer.record(spent);
    return this.batch;
  }

  private deliver(batch: EventBatch): void {
    const listener = this.listener;
    const observers = this.observers;
    if (batch.count === 0 || (listener === undefined && observers.length === 0)) return;
    this.delivering = true;
    try {
      for (const observer of observers) observer.onBatch(batch);
      if (listener === undefined) return;
      const { kinds, watchers, targets, count } = batch;
      for (let i = 0; i < count; i++) {
        const kind = kinds[i];
        if (kind === 0) listener.enter?.(watchers[i]!, targets[i]!);
        else if (kind === 1) listener.leave?.(watchers[i]!, targets[i]!);
        else listener.move?.(watchers[i]!, targets[i]!);
      }
    } finally {
      this.delivering = false;
    }
  }
}
