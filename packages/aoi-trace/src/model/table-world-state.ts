// A WorldState whose view sets live in one ViewTable (sorted target lists per watcher slot, format/view-table.ts)
// instead of a Map of Sets: what the detectors replay (issue 15). A dense tick's ~7,200 enters and exits then touch
// one copy of the ~750,000 view pairs instead of two (the Sets and the lists the detectors read), and the tick is
// applied once. `views` stays a Map for readers that want one: a read-only view of the table that builds a fresh
// Set for each watcher asked for, so it is for evidence and tests, not for hot loops (those read `table`).

import { TraceError, TraceErrorCode } from '../errors.js';
import { ViewTable } from '../format/view-table.js';
import { WorldState } from './world-state.js';

export class TableWorldState extends WorldState {
  declare readonly views: TableViews;
  /** The recorded views: watcher -> its targets, ascending. */
  readonly table: ViewTable;

  constructor() {
    super();
    const table = new ViewTable();
    this.table = table;
    Object.defineProperty(this, 'views', {
      value: new TableViews(table),
      writable: false,
      enumerable: true,
      configurable: true,
    });
  }

  /** A TableWorldState holding a copy of `state` (entities copied, views as sorted lists). */
  static of(state: WorldState): TableWorldState {
    const world = new TableWorldState();
    world.tick = state.tick;
    world.time = state.time;
    for (const [id, entity] of state.entities) world.entities.set(id, { ...entity });
    world.adoptViews(state);
    return world;
  }

  /** @internal */
  override removed(id: number): void {
    this.table.deleteWatcher(id);
  }

  /** @internal */
  override enter(watcher: number, target: number): void {
    this.table.add(watcher, target);
  }

  /** @internal */
  override exit(watcher: number, target: number): void {
    this.table.delete(watcher, target);
  }

  override get pairs(): number {
    return this.table.pairs;
  }

  /** A deep copy, views in a table of its own. */
  override clone(): TableWorldState {
    return TableWorldState.of(this);
  }

  /** One lookup in the table (`views.get` would build the watcher's Set). */
  override sees(watcher: number, target: number): boolean {
    return this.table.has(watcher, target);
  }

  override viewOf(watcher: number): number[] {
    const slot = this.table.slotOf(watcher);
    return slot < 0 ? [] : [...this.table.targetsOf(slot)];
  }

  protected override adoptViews(state: WorldState): void {
    const table = this.table;
    for (const watcher of table.sortedWatchers()) table.deleteWatcher(watcher);
    // Ascending watchers, each list built in order: appends, no shifting.
    for (const watcher of [...state.views.keys()].sort((a, b) => a - b)) {
      for (const target of state.viewOf(watcher)) table.add(watcher, target);
    }
  }
}

/** `TableWorldState.views`: the table as a read-only Map of fresh Sets, watchers ascending. */
export class TableViews extends Map<number, Set<number>> {
  constructor(private readonly table: ViewTable) {
    super();
  }

  override get(watcher: number): Set<number> | undefined {
    const slot = this.table.slotOf(watcher);
    return slot < 0 ? undefined : new Set(this.table.targetsOf(slot));
  }

  override has(watcher: number): boolean {
    return this.table.slotOf(watcher) >= 0;
  }

  override get size(): number {
    return this.table.size;
  }

  override *keys(): MapIterator<number> {
    yield* this.table.sortedWatchers();
  }

  override *values(): MapIterator<Set<number>> {
    for (const [, view] of this.entries()) yield view;
  }

  override *entries(): MapIterator<[number, Set<number>]> {
    const table = this.table;
    for (const watcher of table.sortedWatchers()) yield [watcher, new Set(table.targetsOf(table.slotOf(watcher)))];
  }

  override [Symbol.iterator](): MapIterator<[number, Set<number>]> {
    return this.entries();
  }

  override forEach(callback: (view: Set<number>, watcher: number, map: Map<number, Set<number>>) => void): void {
    for (const [watcher, view] of this.entries()) callback(view, watcher, this);
  }

  override set(): this {
    throw readOnly();
  }

  override delete(): boolean {
    throw readOnly();
  }

  override clear(): void {
    throw readOnly();
  }
}

function readOnly(): TraceError {
  return new TraceError(
    TraceErrorCode.InvalidArgument,
    'TableWorldState.views is read-only: the views change through apply().',
  );
}
