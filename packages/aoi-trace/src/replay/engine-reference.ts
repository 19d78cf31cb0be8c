import { type DiffOptions, diffTraces, type TraceDiff } from '../diff/diff-traces.js';
import type { TraceInput } from '../model/types.js';
import { EngineReplay } from './engine-replay.js';
import type { ReplayOverrides, ResolvedReplaySettings } from './settings.js';

export interface EngineComparison {
  readonly settings: ResolvedReplaySettings;
  /** `a` is the recording, `b` the engine's replay of its movements. */
  readonly diff: TraceDiff;
}

/**
 * The engine as the reference for a recording (any server's NDJSON, say): its movements replayed through
 * @lanes/aoi, and the recorded events compared with the engine's, tick by tick (as multisets unless `order` says
 * otherwise). Unlike ground truth, this is the full engine semantics, hysteresis included.
 */
export function compareWithEngine(
  input: TraceInput,
  overrides: ReplayOverrides = {},
  options: DiffOptions = {},
): EngineComparison {
  const replay = new EngineReplay(input, overrides);
  return { settings: replay.settings, diff: diffTraces(input, replay, options) };
}
