export {
  compareWithEngine,
  type EngineComparison,
  type EngineDisagreement,
  type EngineReferenceOptions,
} from './engine-reference.js';
export { EngineReplay, REPLAY_ATTRIBUTE, type ReplayRunStats } from './engine-replay.js';
export {
  type ReplayOverrides,
  type ResolvedReplaySettings,
  resolveReplaySettings,
  type SettingSource,
} from './settings.js';
export {
  MAX_SWEEP_COMBINATIONS,
  parseSweep,
  SWEEP_KEYS,
  type SweepDimension,
  type SweepKey,
  type SweepOptions,
  type SweepProgress,
  type SweepResult,
  type SweepRow,
  sweep,
  sweepCombinations,
} from './sweep.js';
