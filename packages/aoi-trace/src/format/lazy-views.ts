// A WorldState's `views` map whose Sets are built on first use. Building ~750,000 Set entries for a dense world
// takes longer than everything else stateAt does (decoding a keyframe and replaying dozens of ticks into typed
// arrays), and most callers look at a few watchers. Every Map method behaves as on a plain map of the same content:
// get/has/set/delete touch one watcher, anything that walks the map (size excepted) builds the remaining Sets first.

import { WorldState } from '../model/world-state.js';

export class LazyViews extends Map<number, Set<number>> {
  /** Watchers whose Set is not built yet: their targets, ascending (views into the reader's lists). */
  private pending: Map<number, Int32Array>;
  /**
   * Set when the lists themselves are not known yet (a 3.x seek hands out positions first, state-at.ts): called
   * once, by the first method that needs the views, to rebuild them.
   */
  private load: (() => LazyViews) | undefined;

  constructor(pending: Map<number, Int32Array> | (() => LazyViews)) {
    super();
    if (typeof pending === 'function') {
      this.pending = new Map();
      this.load = pending;
    } else this.pending = pending;
  }

  /** Watchers whose Set has not been built yet (for tests and the bench; does not rebuild deferred lists). */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Whether the lists are still to be rebuilt (nothing has asked for a view yet). */
  get deferred(): boolean {
    return this.load !== undefined;
  }

  /** Until a view is asked for, the lists are `load`'s (this map must be empty so far). */
  defer(load: () => LazyViews): void {
    this.pending.clear();
    super.clear();
    this.load = load;
  }

  /** Rebuilds deferred lists: takes over those of the state the loader returns. */
  private ready(): void {
    const load = this.load;
    if (load === undefined) return;
    const loaded = load();
    this.load = undefined;
    this.pending = loaded.pending;
    Map.prototype.forEach.call(loaded, (view: Set<number>, watcher: number) => super.set(watcher, view));
  }

  override get(watcher: number): Set<number> | undefined {
    this.ready();
    const built = super.get(watcher);
    if (built !== undefined || this.pending.size === 0) return built;
    return this.build(watcher);
  }

  override has(watcher: number): boolean {
    this.ready();
    return super.has(watcher) || this.pending.has(watcher);
  }

  override set(watcher: number, view: Set<number>): this {
    this.ready();
    this.pending.delete(watcher);
    return super.set(watcher, view);
  }

  override delete(watcher: number): boolean {
    this.ready();
    const wasPending = this.pending.delete(watcher);
    return super.delete(watcher) || wasPending;
  }

  override clear(): void {
    this.load = undefined;
    this.pending.clear();
    super.clear();
  }

  override get size(): number {
    this.ready();
    return super.size + this.pending.size;
  }

  override forEach(callback: (view: Set<number>, watcher: number, map: Map<number, Set<number>>) => void): void {
    this.buildAll();
    super.forEach(callback, undefined);
  }

  override keys(): MapIterator<number> {
    this.buildAll();
    return super.keys();
  }

  override values(): MapIterator<Set<number>> {
    this.buildAll();
    return super.values();
  }

  override entries(): MapIterator<[number, Set<number>]> {
    this.buildAll();
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[number, Set<number>]> {
    return this.entries();
  }

  private build(watcher: number): Set<number> | undefined {
    const targets = this.pending.get(watcher);
    if (targets === undefined) return undefined;
    this.pending.delete(watcher);
    const view = new Set<number>();
    for (let i = 0; i < targets.length; i++) view.add(targets[i]!);
    super.set(watcher, view);
    return view;
  }

  private buildAll(): void {
    this.ready();
    if (this.pending.size === 0) return;
    for (const watcher of [...this.pending.keys()]) this.build(watcher);
  }
}

/** A WorldState whose views are a {@link LazyViews}: what TraceReader.stateAt returns. */
export class SeekWorldState extends WorldState {
  declare readonly views: LazyViews;

  constructor(views: LazyViews) {
    super();
    Object.defineProperty(this, 'views', { value: views, writable: false, enumerable: true, configurable: true });
  }
}
