// A WorldState's `views` map whose Sets are built on first use. Building ~750,000 Set entries for a dense world
// takes longer than everything else stateAt does (decoding a keyframe and replaying dozens of ticks into typed
// arrays), and most callers look at a few watchers. Every Map method behaves as on a plain map of the same content:
// get/has/set/delete touch one watcher, anything that walks the map (size excepted) builds the remaining Sets first.

import { WorldState } from '../model/world-state.js';

export class LazyViews extends Map<number, Set<number>> {
  /** Watchers whose Set is not built yet: their targets, ascending (views into the reader's lists). */
  private readonly pending: Map<number, Int32Array>;

  constructor(pending: Map<number, Int32Array>) {
    super();
    this.pending = pending;
  }

  /** Watchers whose Set has not been built yet (for tests and the bench). */
  get pendingCount(): number {
    return this.pending.size;
  }

  override get(watcher: number): Set<number> | undefined {
    const built = super.get(watcher);
    if (built !== undefined || this.pending.size === 0) return built;
    return this.build(watcher);
  }

  override has(watcher: number): boolean {
    return super.has(watcher) || this.pending.has(watcher);
  }

  override set(watcher: number, view: Set<number>): this {
    this.pending.delete(watcher);
    return super.set(watcher, view);
  }

  override delete(watcher: number): boolean {
    const wasPending = this.pending.delete(watcher);
    return super.delete(watcher) || wasPending;
  }

  override clear(): void {
    this.pending.clear();
    super.clear();
  }

  override get size(): number {
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
