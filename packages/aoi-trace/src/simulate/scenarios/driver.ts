import type { AoiWorld } from '@lanes/aoi';
import type { TraceRecorder } from '../../record/recorder.js';

/** Drives a world tick by tick; the simulation closes each tick with the recorder. */
export interface ScenarioDriver {
  /** Tick 0: adds the initial entities. */
  start(world: AoiWorld, recorder: TraceRecorder): void;
  /** Tick `tick` >= 1: moves, spawns, despawns. */
  step(world: AoiWorld, recorder: TraceRecorder, tick: number): void;
}
