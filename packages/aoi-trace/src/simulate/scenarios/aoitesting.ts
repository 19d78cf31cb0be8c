import type { ResolvedSimulateOptions } from '../options.js';
import type { ScenarioDriver } from './driver.js';
import { MovingCrowd } from './moving-crowd.js';

/** The engine benchmark's scenario (bench/aoi): ids 0..n-1, everyone moves every tick, no causes. */
export function aoiTestingDriver(options: ResolvedSimulateOptions): ScenarioDriver {
  const crowd = new MovingCrowd({ n: options.entities, half: options.half, seed: options.seed, step: options.step });
  const { viewRadius, leaveRadius } = options;
  return {
    start(world) {
      for (let i = 0; i < crowd.x.length; i++)
        world.add(i, { x: crowd.x[i]!, y: crowd.y[i]!, viewRadius, leaveRadius });
    },
    step(world) {
      crowd.advance();
      for (let i = 0; i < crowd.x.length; i++) world.move(i, crowd.x[i]!, crowd.y[i]!);
    },
  };
}
