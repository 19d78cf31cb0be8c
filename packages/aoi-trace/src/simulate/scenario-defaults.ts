import type { ScenarioName } from './options.js';

/** What a scenario uses for an option the caller leaves out (see SimulateOptions for each option's meaning). */
export interface ScenarioDefaults {
  entities: number;
  /** The map's half side, from the entity count and view radius (border-crowd's lattice depends on both). */
  half(entities: number, viewRadius: number): number;
  viewRadius: number;
  leaveRadius(viewRadius: number, step: number): number;
  ticks: number;
  seed: number;
  step: number;
}

const aoitesting = (half: number): ScenarioDefaults => ({
  entities: 10_000,
  half: () => half,
  viewRadius: 100,
  leaveRadius: (view) => view,
  ticks: 100,
  seed: 12345,
  step: 0.6,
});

export const SCENARIO_DEFAULTS: Readonly<Record<ScenarioName, ScenarioDefaults>> = {
  'aoitesting-dense': aoitesting(1000),
  'aoitesting-sparse': aoitesting(10_000),
  'random-walk': {
    entities: 200,
    half: () => 500,
    viewRadius: 60,
    leaveRadius: (view) => view + 10,
    ticks: 200,
    seed: 1,
    step: 3,
  },
  'border-crowd': {
    entities: 400,
    half: (entities, view) => Math.max((Math.ceil(Math.sqrt(entities)) * view) / 2, 1),
    viewRadius: 50,
    leaveRadius: (view, step) => view + 6 * step,
    ticks: 100,
    seed: 1,
    step: 2,
  },
  floors: {
    entities: 300,
    half: () => 200,
    viewRadius: 40,
    leaveRadius: (view) => view + 8,
    ticks: 200,
    seed: 1,
    step: 2,
  },
};
