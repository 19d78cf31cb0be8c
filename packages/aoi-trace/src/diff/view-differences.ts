// Tracks which (watcher, target) pairs one trace sees and the other does not, tick after tick, rechecking only the
// pairs a tick can have changed.

import type { TickRecord } from '../model/types.js';
import type { WorldState } from '../model/world-state.js';
import { sameSequence } from './event-compare.js';

/** A time during which one trace's watcher saw a target the other's did not. */
export interface ViewDifference {
  readonly watcher: number;
  readonly target: number;
  /** The trace that sees it. */
  readonly seenIn: 'a' | 'b';
  readonly fromTick: number;
  /** First tick after which both agree again; null while they still differ. */
  resolvedAt: number | null;
}

export class ViewDifferences {
  /** Open differences by watcher, then target. */
  private readonly open = new Map<number, Map<number, ViewDifference>>();
  openCount = 0;
  total = 0;
  readonly listed: ViewDifference[] = [];

  constructor(private readonly limit: number) {}

  /** Before applying the tick: the pairs it may change (flat [watcher, target, ...]). Empty when none can. */
  candidates(a: WorldState, b: WorldState, ra: TickRecord | null, rb: TickRecord | null): number[] {
    const pairs: number[] = [];
    const quiet =
      this.openCount === 0 &&
      ra !== null &&
      rb !== null &&
      sameSequence(ra.events, rb.events) &&
      ra.despawns.length === rb.despawns.length &&
      ra.despawns.every((id, i) => rb.despawns[i] === id);
    if (quiet) return pairs;
    for (const [watcher, targets] of this.open) for (const target of targets.keys()) pairs.push(watcher, target);
    for (const record of [ra, rb]) {
      if (record === null) continue;
      const events = record.events;
      for (let i = 0; i < events.count; i++) pairs.push(events.watchers[i]!, events.targets[i]!);
      // A despawned watcher's view is dropped without events; its pairs must be looked at too.
      for (const id of record.despawns) {
        for (const view of [a.views.get(id), b.views.get(id)]) for (const target of view ?? []) pairs.push(id, target);
      }
    }
    return pairs;
  }

  /** After applying the tick: rechecks `pairs`. */
  update(a: WorldState, b: WorldState, pairs: readonly number[], tick: number): void {
    for (let i = 0; i < pairs.length; i += 2) {
      const watcher = pairs[i]!;
      const target = pairs[i + 1]!;
      const inA = a.views.get(watcher)?.has(target) ?? false;
      const inB = b.views.get(watcher)?.has(target) ?? false;
      const current = this.open.get(watcher)?.get(target);
      const seenIn = inA === inB ? undefined : inA ? 'a' : 'b';
      if (current !== undefined && current.seenIn !== seenIn) this.close(current, tick);
      if (seenIn !== undefined && (current === undefined || current.seenIn !== seenIn)) {
        this.start({ watcher, target, seenIn, fromTick: tick, resolvedAt: null });
      }
    }
  }

  private start(difference: ViewDifference): void {
    let targets = this.open.get(difference.watcher);
    if (targets === undefined) {
      targets = new Map();
      this.open.set(difference.watcher, targets);
    }
    targets.set(difference.target, difference);
    this.openCount++;
    this.total++;
    if (this.listed.length < this.limit) this.listed.push(difference);
  }

  private close(difference: ViewDifference, tick: number): void {
    difference.resolvedAt = tick;
    const targets = this.open.get(difference.watcher)!;
    targets.delete(difference.target);
    if (targets.size === 0) this.open.delete(difference.watcher);
    this.openCount--;
  }
}
