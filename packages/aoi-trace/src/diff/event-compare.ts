// Compares the events of one tick in two traces, as multisets (order-insensitive) and optionally as sequences.

import { eventKindAt } from '../model/event-kind-name.js';
import type { EventColumns, TraceEventKindName } from '../model/types.js';

export interface DiffEvent {
  readonly side: 'a' | 'b';
  readonly kind: TraceEventKindName;
  readonly watcher: number;
  readonly target: number;
}

export interface EventComparison {
  onlyInA: number;
  onlyInB: number;
  /** The same events in another order (only looked at when the sets are equal). */
  orderDiffers: boolean;
  /** Up to `limit` of the unmatched events. */
  samples: DiffEvent[];
}

const NONE: EventColumns = {
  count: 0,
  kinds: new Uint8Array(0),
  watchers: new Int32Array(0),
  targets: new Int32Array(0),
};

/** True when both hold the same events in the same order (the fast path: identical traces allocate nothing). */
export function sameSequence(a: EventColumns, b: EventColumns): boolean {
  if (a.count !== b.count) return false;
  for (let i = 0; i < a.count; i++) {
    if (a.kinds[i] !== b.kinds[i] || a.watchers[i] !== b.watchers[i] || a.targets[i] !== b.targets[i]) return false;
  }
  return true;
}

/** Counts the events each side has that the other lacks (with multiplicity). A missing side has no events. */
export function compareEvents(a: EventColumns | null, b: EventColumns | null, limit: number): EventComparison {
  const ea = a ?? NONE;
  const eb = b ?? NONE;
  const result: EventComparison = { onlyInA: 0, onlyInB: 0, orderDiffers: false, samples: [] };
  if (sameSequence(ea, eb)) return result;
  const sa = sortedOrder(ea);
  const sb = sortedOrder(eb);
  let i = 0;
  let j = 0;
  const unmatched = (side: 'a' | 'b', events: EventColumns, k: number) => {
    if (side === 'a') result.onlyInA++;
    else result.onlyInB++;
    if (result.samples.length < limit) {
      result.samples.push({
        side,
        kind: eventKindAt(events, k),
        watcher: events.watchers[k]!,
        target: events.targets[k]!,
      });
    }
  };
  while (i < sa.length || j < sb.length) {
    const order = i < sa.length && j < sb.length ? compareAt(ea, sa[i]!, eb, sb[j]!) : i < sa.length ? -1 : 1;
    if (order === 0) {
      i++;
      j++;
    } else if (order < 0) unmatched('a', ea, sa[i++]!);
    else unmatched('b', eb, sb[j++]!);
  }
  result.orderDiffers = result.onlyInA === 0 && result.onlyInB === 0;
  return result;
}

function sortedOrder(events: EventColumns): Uint32Array {
  const order = new Uint32Array(events.count);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((x, y) => compareAt(events, x, events, y));
}

function compareAt(a: EventColumns, i: number, b: EventColumns, j: number): number {
  return a.watchers[i]! - b.watchers[j]! || a.targets[i]! - b.targets[j]! || a.kinds[i]! - b.kinds[j]!;
}
