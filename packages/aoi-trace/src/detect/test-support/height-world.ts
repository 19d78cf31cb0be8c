// Recorded @lanes/aoi runs with height, for the detectors' tests: floors of walkers stacked at the same x, y, flying
// units crossing the floors' half-heights, hovering in the vertical hysteresis band, half-height changes, teleports
// that jump floors, logins and logouts.

import { AoiWorld } from '@lanes/aoi';
import { MemoryTrace } from '../../model/memory-trace.js';
import type { TraceSink } from '../../model/types.js';
import { recordWorld } from '../../record/recorder.js';
import { mulberry32 } from '../../simulate/mulberry32.js';

export interface HeightWorldOptions {
  entities?: number;
  ticks?: number;
  seed?: number;
  algorithm?: 'grid' | 'brute-force';
  /** The map is [-half, half]^2. */
  half?: number;
}

/** Floors 10 apart; a walker sees its own floor (half-height 4, leave 6), never the next one. */
export const FLOOR = 10;
const VIEW = 20;
const LEAVE = 24;

interface Unit {
  x: number;
  y: number;
  z: number;
  heading: number;
  /** Vertical speed of a flyer (0: a walker). */
  climb: number;
}

/** Records the run into `sink` (a MemoryTrace when left out) and returns it. */
export function recordHeightWorld(options: HeightWorldOptions = {}, sink: TraceSink = new MemoryTrace()): TraceSink {
  const { entities = 40, ticks = 40, seed = 1, algorithm = 'grid', half = 40 } = options;
  const rnd = mulberry32(seed);
  const world = new AoiWorld({ mode: 'batched', algorithm });
  let time = 0;
  const recorder = recordWorld(world, sink, { now: () => (time += 100), attributes: { scenario: 'height-world' } });
  const units = new Map<number, Unit>();
  let nextId = 0;
  const floor = () => FLOOR * Math.floor(rnd() * 3);
  // Integer positions (exact in the quantum) and stacked towers: several units at one x, y on different floors.
  const spot = () => Math.round((rnd() * 2 - 1) * half);
  const add = () => {
    const id = nextId++;
    const stack = rnd() < 0.3 ? [...units.values()][Math.floor(rnd() * units.size)] : undefined;
    const u: Unit = {
      x: stack?.x ?? spot(),
      y: stack?.y ?? spot(),
      z: floor(),
      heading: rnd() * 2 * Math.PI,
      climb: rnd() < 0.25 ? (rnd() < 0.5 ? -1 : 1) * (0.3 + rnd() * 0.7) : 0,
    };
    const roll = rnd();
    // Most see their floor; some see everything (no viewHeight: a 2D entity in a world with height), some are towers.
    const vertical =
      roll < 0.7 ? { viewHeight: 4, leaveHeight: 6 } : roll < 0.85 ? {} : { viewHeight: 12, leaveHeight: 15 };
    world.add(id, { x: u.x, y: u.y, z: u.z, viewRadius: VIEW, leaveRadius: LEAVE, ...vertical });
    units.set(id, u);
  };
  for (let i = 0; i < entities; i++) add();
  recorder.tick();
  for (let tick = 1; tick < ticks; tick++) {
    for (const [id, u] of units) {
      const roll = rnd();
      if (roll < 0.01) {
        world.remove(id);
        units.delete(id);
      } else if (roll < 0.02) {
        u.x = spot();
        u.y = spot();
        u.z = floor();
        world.teleport(id, u.x, u.y, u.z);
      } else if (roll < 0.03) {
        // A half-height change, with a vertical band (without one, a flyer hovering at the edge flaps, legally).
        const h = [2, 4, 5, 8][Math.floor(rnd() * 4)]!;
        world.setHeight(id, h, h + 2);
      } else if (u.climb !== 0) {
        // Flyers: up and down across the floors, turning at the top and bottom; some hover in place (x, y fixed).
        u.z += u.climb;
        if (u.z > 2 * FLOOR + 6 || u.z < -6) u.climb = -u.climb;
        if (rnd() < 0.5) world.move(id, u.x, u.y, u.z);
        else {
          u.x = Math.round(u.x + Math.cos(u.heading) * 2);
          u.y = Math.round(u.y + Math.sin(u.heading) * 2);
          world.move(id, u.x, u.y, u.z);
        }
      } else if (rnd() < 0.6) {
        u.heading += (rnd() - 0.5) * 0.8;
        u.x = Math.max(-half, Math.min(half, u.x + Math.cos(u.heading) * 1.5));
        u.y = Math.max(-half, Math.min(half, u.y + Math.sin(u.heading) * 1.5));
        world.move(id, u.x, u.y);
      }
    }
    if (rnd() < 0.2) add();
    recorder.tick();
  }
  recorder.close();
  return sink;
}
