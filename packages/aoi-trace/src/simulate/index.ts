export type { Injection, InjectionKind } from './inject/types.js';
export { INJECTION_KINDS } from './inject/types.js';
export { mulberry32 } from './mulberry32.js';
export {
  ALGORITHM_NAMES,
  type DelayedBroadcastInjection,
  type FlatLeaveInjection,
  type InjectOptions,
  type OscillationInjection,
  type RaceInjection,
  type ResolvedSimulateOptions,
  resolveSimulateOptions,
  SCENARIO_NAMES,
  type ScenarioName,
  type SimulateOptions,
  type TornViewInjection,
} from './options.js';
export { MovingCrowd, type MovingCrowdOptions } from './scenarios/moving-crowd.js';
export { type SimulateSummary, simulate } from './simulate.js';
