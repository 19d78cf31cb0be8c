import { mulberry32 } from '../mulberry32.js';
import type { ResolvedSimulateOptions } from '../options.js';
import type { ScenarioDriver } from './driver.js';

/**
 * Entities on a square lattice whose spacing is the view radius, each jittering up to `step` around its anchor every
 * tick: every lattice neighbour sits on the view border. With the default leave radius (view + 6 * step) a pair
 * that entered never leaves; with leaveRadius = viewRadius the pairs flap in and out (the oscillation scenario).
 */
export function borderCrowdDriver(options: ResolvedSimulateOptions): ScenarioDriver {
  const { entities: n, half, step: jitter, viewRadius, leaveRadius } = options;
  const rnd = mulberry32(options.seed);
  const side = Math.ceil(Math.sqrt(n));
  const spacing = (2 * half) / side;
  const anchorX = (i: number) => -half + spacing * ((i % side) + 0.5);
  const anchorY = (i: number) => -half + spacing * (Math.floor(i / side) + 0.5);
  const jittered = (anchor: number) => anchor + (rnd() * 2 - 1) * jitter;
  return {
    start(world, recorder) {
      recorder.beginMessage('world-load');
      for (let i = 0; i < n; i++) {
        world.add(i, { x: jittered(anchorX(i)), y: jittered(anchorY(i)), viewRadius, leaveRadius });
      }
      recorder.endMessage();
    },
    step(world) {
      for (let i = 0; i < n; i++) world.move(i, jittered(anchorX(i)), jittered(anchorY(i)));
    },
  };
}
