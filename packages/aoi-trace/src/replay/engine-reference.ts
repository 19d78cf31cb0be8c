// The engine as the reference for a recording: its events against the engine's, with quantization taken into account.

import { PairMap } from '../detect/pair-map.js';
import { compareEvents } from '../diff/event-compare.js';
import { TraceError, TraceErrorCode } from '../errors.js';
import type { TraceEventKindName, TraceInput } from '../model/types.js';
import { WorldState } from '../model/world-state.js';
import { EngineReplay } from './engine-replay.js';
import type { ReplayOverrides, ResolvedReplaySettings } from './settings.js';

export interface EngineReferenceOptions {
  /**
   * A pair whose distance is within this of the watcher's view or leave radius when the two first disagree is
   * ambiguous: the recording's positions are rounded (the quantum), so the engine cannot decide it as the server
   * did. @default 2 * header.quantum + 3 * header.epsilon (as ground truth)
   */
  readonly tolerance?: number;
  /** Disagreements listed (counts stay exact). @default 100 */
  readonly maxItems?: number;
}

/** One event that one side has and the other has not. */
export interface EngineDisagreement {
  readonly tick: number;
  /** `recorded`: the recording has it and the engine does not; `engine`: the other way round. */
  readonly side: 'recorded' | 'engine';
  readonly kind: TraceEventKindName;
  readonly watcher: number;
  readonly target: number;
  /** Distance of the pair after the tick (null when one of them is gone), and the watcher's radii in the replay. */
  readonly distance: number | null;
  readonly viewRadius: number | null;
  readonly leaveRadius: number | null;
  /** The pair's disagreement began within `tolerance` of a radius: rounding, not a bug. */
  readonly ambiguous: boolean;
}

export interface EngineComparison {
  readonly settings: ResolvedReplaySettings;
  readonly ticks: number;
  readonly tolerance: number;
  /** No disagreement outside the tolerance band. */
  readonly agrees: boolean;
  readonly firstDisagreementTick: number | null;
  /** Unambiguous events only in the recording, and only in the engine's replay. */
  readonly onlyRecorded: number;
  readonly onlyEngine: number;
  /** Events that differ because of a pair's ambiguous start (both sides). */
  readonly ambiguous: number;
  /** Up to `maxItems`, ambiguous ones included, in tick order. */
  readonly disagreements: EngineDisagreement[];
}

/**
 * Replays `input`'s movements through @lanes/aoi and compares the recorded events with the engine's, tick by tick
 * as multisets (a server's NDJSON, say): the full engine semantics, hysteresis included, where ground truth only has
 * the geometry. Each event one side lacks toggles its pair between agreeing and not; a disagreement that begins
 * within `tolerance` of a radius is ambiguous, and so is everything up to the pair's agreeing again (the other
 * side's event a tick later). Reads the input once.
 */
export function compareWithEngine(
  input: TraceInput,
  overrides: ReplayOverrides = {},
  options: EngineReferenceOptions = {},
): EngineComparison {
  const { header } = input;
  const tolerance = options.tolerance ?? 2 * header.quantum + 3 * header.epsilon;
  const maxItems = options.maxItems ?? 100;
  if (!(tolerance >= 0 && Number.isFinite(tolerance)) || !Number.isInteger(maxItems) || maxItems < 0) {
    throw new TraceError(
      TraceErrorCode.InvalidArgument,
      `compareWithEngine: tolerance must be a number >= 0 and maxItems a whole number >= 0 (got ${tolerance}, ${maxItems}).`,
    );
  }
  const replay = new EngineReplay(input, overrides);
  const state = new WorldState();
  /** Pairs that disagree now -> whether their disagreement began ambiguous. */
  const open = new PairMap<boolean>();
  const disagreements: EngineDisagreement[] = [];
  let [ticks, onlyRecorded, onlyEngine, ambiguous] = [0, 0, 0, 0];
  let first: number | null = null;
  for (const [recorded, replayed] of replay.pairs()) {
    ticks++;
    state.apply(replayed);
    const events = compareEvents(recorded.events, replayed.events, Number.MAX_SAFE_INTEGER);
    for (const event of events.samples) {
      const watcher = state.entities.get(event.watcher);
      const target = state.entities.get(event.target);
      const distance = watcher && target ? Math.hypot(watcher.x - target.x, watcher.y - target.y) : null;
      let isAmbiguous = open.get(event.watcher, event.target);
      if (isAmbiguous === undefined) {
        isAmbiguous =
          watcher !== undefined &&
          distance !== null &&
          (Math.abs(distance - watcher.viewRadius) <= tolerance ||
            Math.abs(distance - watcher.leaveRadius) <= tolerance);
        open.set(event.watcher, event.target, isAmbiguous);
      } else open.delete(event.watcher, event.target);
      const side = event.side === 'a' ? 'recorded' : 'engine';
      if (isAmbiguous) ambiguous++;
      else {
        if (side === 'recorded') onlyRecorded++;
        else onlyEngine++;
        first ??= recorded.tick;
      }
      if (disagreements.length < maxItems) {
        disagreements.push({
          tick: recorded.tick,
          side,
          kind: event.kind,
          watcher: event.watcher,
          target: event.target,
          distance,
          viewRadius: watcher?.viewRadius ?? null,
          leaveRadius: watcher?.leaveRadius ?? null,
          ambiguous: isAmbiguous,
        });
      }
    }
  }
  return {
    settings: replay.settings,
    ticks,
    tolerance,
    agrees: onlyRecorded + onlyEngine === 0,
    firstDisagreementTick: first,
    onlyRecorded,
    onlyEngine,
    ambiguous,
    disagreements,
  };
}
