// Who sees whom, kept from a trace's events with WorldState's rules, plus how many watchers see each target: the
// count a bandwidth estimate needs for every move (one update per watcher that sees the mover).

import type { TickRecord } from '../model/types.js';
import type { WorldState } from '../model/world-state.js';

export class ViewMirror {
  /** watcher -> targets it sees (non-empty sets only). */
  readonly views = new Map<number, Set<number>>();
  /** target -> number of watchers that see it (entries > 0 only). */
  private readonly seenBy = new Map<number, number>();
  /** Live entities with a view (they count in view-set sizes even when they see nothing). */
  readonly watchers = new Set<number>();

  /** Replaces everything with a keyframe's world (a resync after lost ticks). */
  reset(state: WorldState): void {
    this.views.clear();
    this.seenBy.clear();
    this.watchers.clear();
    for (const [id, entity] of state.entities) if (entity.watcher) this.watchers.add(id);
    for (const [watcher, targets] of state.views) for (const target of targets) this.enter(watcher, target);
  }

  /** Applies a tick: respawned ids go first, then roles, events in order, despawns. */
  apply(record: TickRecord): void {
    for (const spawn of record.spawns) {
      if (spawn.respawn === true) this.drop(spawn.id);
      if (spawn.watcher) this.watchers.add(spawn.id);
    }
    for (const update of record.updates) {
      if (update.watcher === true) this.watchers.add(update.id);
      else if (update.watcher === false) this.watchers.delete(update.id);
    }
    const { kinds, watchers, targets, count } = record.events;
    for (let i = 0; i < count; i++) {
      if (kinds[i] === 0) this.enter(watchers[i]!, targets[i]!);
      else if (kinds[i] === 1) this.exit(watchers[i]!, targets[i]!);
    }
    for (const id of record.despawns) this.drop(id);
  }

  /** Watchers that see `target` now. */
  watchersOf(target: number): number {
    return this.seenBy.get(target) ?? 0;
  }

  private enter(watcher: number, target: number): void {
    let view = this.views.get(watcher);
    if (view === undefined) {
      view = new Set();
      this.views.set(watcher, view);
    }
    if (view.has(target)) return;
    view.add(target);
    this.seenBy.set(target, (this.seenBy.get(target) ?? 0) + 1);
  }

  private exit(watcher: number, target: number): void {
    const view = this.views.get(watcher);
    if (view === undefined || !view.delete(target)) return;
    if (view.size === 0) this.views.delete(watcher);
    const n = (this.seenBy.get(target) ?? 1) - 1;
    if (n > 0) this.seenBy.set(target, n);
    else this.seenBy.delete(target);
  }

  /** An entity is gone: its view goes (as WorldState drops it); as a target it is seen by no one any more. */
  private drop(id: number): void {
    for (const target of this.views.get(id) ?? []) this.exit(id, target);
    this.watchers.delete(id);
    this.seenBy.delete(id);
  }
}
