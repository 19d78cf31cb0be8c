// The canonical order format 3 compares a tick's real and predicted events in (docs/aoitrace-format.md, "Version 3:
// predicted events"): removal leaves first, then by watcher, target, kind; ids in 3.0, the engine-like slots of
// slot-order.ts in 3.1. event-deviations.ts stores the real events against the predicted ones in this order.

import type { EventColumns } from '../model/types.js';
import type { SlotOrder } from './slot-order.js';

/**
 * Whether an id was respawned or despawned in the tick (its pairs' leaves sort first); undefined when the tick
 * removed nobody.
 */
export type RemovedTest = ((id: number) => boolean) | undefined;

/** Events with their canonical sort keys: part (0 a removal leave, else 1), then watcher key, target key, kind. */
export interface Keyed extends EventColumns {
  readonly parts: Uint8Array;
  readonly wk: Float64Array;
  readonly tk: Float64Array;
}

/**
 * The sort keys of `events`: ids (3.0), or the slots of `slots` (3.1: removal leaves by the removed ids' old slots).
 * A removal leave is a leave naming an id respawned or despawned in the tick.
 */
export function keyed(events: EventColumns, removed: RemovedTest, slots: SlotOrder | undefined): Keyed {
  const { count, kinds, watchers, targets } = events;
  const parts = new Uint8Array(count).fill(1);
  if (removed !== undefined) {
    for (let i = 0; i < count; i++) {
      if (kinds[i] === 1 && (removed(watchers[i]!) || removed(targets[i]!))) parts[i] = 0;
    }
  }
  const wk = new Float64Array(count);
  const tk = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    if (slots === undefined) {
      wk[i] = watchers[i]!;
      tk[i] = targets[i]!;
    } else {
      wk[i] = slots.key(watchers[i]!, parts[i] === 0);
      tk[i] = slots.key(targets[i]!, parts[i] === 0);
    }
  }
  return { count, kinds, watchers, targets, parts, wk, tk };
}

/** Canonical order of event `i` of `a` against event `j` of `b`: part, then watcher, target, kind ascending. */
export function compare(a: Keyed, i: number, b: Keyed, j: number): number {
  return a.parts[i]! - b.parts[j]! || a.wk[i]! - b.wk[j]! || a.tk[i]! - b.tk[j]! || a.kinds[i]! - b.kinds[j]!;
}

/** Indices of `events` in canonical order (stable); the identity when they already are. */
export function canonicalOrder(events: Keyed): Int32Array {
  const { count } = events;
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  let sorted = true;
  for (let i = 1; i < count && sorted; i++) sorted = compare(events, i - 1, events, i) <= 0;
  if (sorted) return order;
  const list = Array.from(order);
  list.sort((a, b) => compare(events, a, events, b) || a - b);
  return Int32Array.from(list);
}

/** `events` in canonical order: itself when already sorted (3.0's prediction always is), else a sorted copy. */
export function sortedKeyed(events: Keyed): Keyed {
  const order = canonicalOrder(events);
  let identity = true;
  for (let i = 0; i < order.length && identity; i++) identity = order[i] === i;
  if (identity) return events;
  const pick = <T extends Uint8Array | Int32Array | Float64Array>(from: T, to: T): T => {
    for (let i = 0; i < order.length; i++) to[i] = from[order[i]!]!;
    return to;
  };
  const n = events.count;
  return {
    count: n,
    kinds: pick(events.kinds, new Uint8Array(n)),
    watchers: pick(events.watchers, new Int32Array(n)),
    targets: pick(events.targets, new Int32Array(n)),
    parts: pick(events.parts, new Uint8Array(n)),
    wk: pick(events.wk, new Float64Array(n)),
    tk: pick(events.tk, new Float64Array(n)),
  };
}
