import type { TraceInput } from '../model/types.js';
import { checkIndex, invalidArgument, requireTickInTrace } from './arguments.js';
import { markSeen } from './events-of.js';
import { openReplay } from './replay.js';

/** One enter or exit of the watcher's view between the two ticks. */
export interface ViewChange {
  readonly tick: number;
  readonly time: number;
  readonly kind: 'enter' | 'exit';
  readonly target: number;
  readonly eventId: number;
}

export interface ViewBetween {
  readonly watcher: number;
  readonly t1: number;
  readonly t2: number;
  /** What the watcher saw after `t1`, ascending. */
  readonly viewAt1: number[];
  /** What the watcher saw after `t2`, ascending. */
  readonly viewAt2: number[];
  /** In view at t2, not at t1. */
  readonly entered: number[];
  /** In view at t1, not at t2. */
  readonly exited: number[];
  /** In view at both (possibly leaving and coming back in between: see `changes`). */
  readonly stayed: number[];
  /** Every enter and exit of the watcher's view in ticks t1+1..t2, in order. */
  readonly changes: ViewChange[];
}

/**
 * The view of `watcher` after `t1` and after `t2`, their difference and every change in between. Throws
 * INVALID_ARGUMENT when a tick is outside the trace, `t1 > t2`, or the watcher appears nowhere in t1..t2.
 */
export function viewBetween(input: TraceInput, watcher: number, t1: number, t2: number): ViewBetween {
  checkIndex(watcher, 'watcher');
  requireTickInTrace(input, t1, 't1');
  requireTickInTrace(input, t2, 't2');
  if (t1 > t2) throw invalidArgument(`t1 (${t1}) is after t2 (${t2}).`, 't1', t1);
  const { state, records } = openReplay(input, t1 + 1, t2);
  const viewAt1 = state.viewOf(watcher);
  const unseen = new Set([watcher]);
  markSeen(unseen, state);
  const changes: ViewChange[] = [];
  for (const record of records) {
    const events = record.events;
    for (let i = 0; i < events.count; i++) {
      const kind = events.kinds[i];
      if (events.watchers[i] !== watcher || (kind !== 0 && kind !== 1)) continue;
      const change = kind === 0 ? 'enter' : 'exit';
      changes.push({
        tick: record.tick,
        time: record.time,
        kind: change,
        target: events.targets[i]!,
        eventId: record.eventBase + i,
      });
    }
    state.apply(record);
    if (unseen.size > 0) markSeen(unseen, state, record.despawns);
  }
  if (unseen.size > 0) {
    throw invalidArgument(`entity ${watcher} never appears in ticks ${t1}..${t2}.`, 'watcher', t1);
  }
  const viewAt2 = state.viewOf(watcher);
  const before = new Set(viewAt1);
  const after = new Set(viewAt2);
  return {
    watcher,
    t1,
    t2,
    viewAt1,
    viewAt2,
    entered: viewAt2.filter((id) => !before.has(id)),
    exited: viewAt1.filter((id) => !after.has(id)),
    stayed: viewAt1.filter((id) => after.has(id)),
    changes,
  };
}
