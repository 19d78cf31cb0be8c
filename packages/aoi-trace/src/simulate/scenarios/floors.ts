import type { AoiWorld } from '@lanes/aoi';
import { mulberry32 } from '../mulberry32.js';
import type { ResolvedSimulateOptions } from '../options.js';
import type { ScenarioDriver } from './driver.js';

/** Storeys are FLOOR apart; the building has STOREYS of them, z = 0, 10, 20, 30. */
export const FLOOR = 10;
export const STOREYS = 4;
/** A walker sees its own storey only: the next one (FLOOR away) is beyond its leave half-height. */
export const WALKER_HEIGHT = { viewHeight: 4, leaveHeight: 6 } as const;
/** A flyer sees a little more, still not two storeys at once. */
export const FLYER_HEIGHT = { viewHeight: 6, leaveHeight: 8 } as const;
const TOP = (STOREYS - 1) * FLOOR;
const FLYER_SHARE = 0.2;
/** Per walker per tick: takes the stairs (one storey up or down, a vertical move), at most once per STAIRS_REST. */
const STAIRS_RATE = 0.005;
/** Ticks a walker stays on a storey after the stairs: nobody runs up and down for nothing. */
const STAIRS_REST = 50;
/** Per unit per tick, and per initial unit per tick, so the population stays about constant. */
const LOGOUT_RATE = 0.002;
const LOGIN_RATE = 0.002;

interface Unit {
  x: number;
  y: number;
  z: number;
  heading: number;
  /** A flyer's vertical speed per tick (signed); 0 for a walker. */
  climb: number;
  /** A hovering flyer keeps x and y: every move it makes is vertical only. */
  hovers: boolean;
  /** The tick a walker last took the stairs. */
  stairs: number;
}

/**
 * A multi-storey building with flyers: walkers on discrete storeys (random walks with slowly turning headings, now
 * and then taking the stairs to the next storey), and flyers climbing and descending through all storeys at a few
 * tenths of `step` per tick, some hovering in place (moves that change z only), some drifting. The half-heights are
 * such that storeys hide each other: two walkers one above the other never see each other, a flyer is seen from a
 * storey only while it passes through that storey's band. Everyone logs in and out; every change has a message.
 */
export function floorsDriver(options: ResolvedSimulateOptions): ScenarioDriver {
  const { half, step, viewRadius, leaveRadius } = options;
  const rnd = mulberry32(options.seed);
  const units = new Map<number, Unit>();
  let nextId = 0;
  const anywhere = () => (rnd() * 2 - 1) * half;
  const reflect = (v: number, low: number, high: number) => (v > high ? 2 * high - v : v < low ? 2 * low - v : v);

  const spawn = (world: AoiWorld) => {
    const id = nextId++;
    const flyer = rnd() < FLYER_SHARE;
    const u: Unit = {
      x: anywhere(),
      y: anywhere(),
      z: flyer ? rnd() * TOP : FLOOR * Math.floor(rnd() * STOREYS),
      heading: rnd() * 2 * Math.PI,
      climb: flyer ? (rnd() < 0.5 ? -1 : 1) * step * (0.1 + rnd() * 0.2) : 0,
      hovers: flyer && rnd() < 0.5,
      stairs: Number.NEGATIVE_INFINITY,
    };
    const heights = flyer ? FLYER_HEIGHT : WALKER_HEIGHT;
    world.add(id, { x: u.x, y: u.y, z: u.z, viewRadius, leaveRadius, ...heights });
    units.set(id, u);
  };

  const walk = (u: Unit, distance: number) => {
    u.heading += (rnd() - 0.5) * 0.8;
    u.x = reflect(u.x + Math.cos(u.heading) * distance, -half, half);
    u.y = reflect(u.y + Math.sin(u.heading) * distance, -half, half);
  };

  return {
    start(world, recorder) {
      recorder.beginMessage('world-load');
      for (let i = 0; i < options.entities; i++) spawn(world);
      recorder.endMessage();
    },
    step(world, recorder, tick) {
      for (const [id, u] of [...units]) {
        const roll = rnd();
        if (roll < LOGOUT_RATE) {
          recorder.beginMessage('logout', { entity: id });
          world.remove(id);
          units.delete(id);
        } else if (u.climb !== 0) {
          recorder.beginMessage('fly', { entity: id });
          const z = u.z + u.climb;
          if (z < 0 || z > TOP) u.climb = -u.climb;
          u.z = reflect(z, 0, TOP);
          if (!u.hovers) walk(u, step / 2);
          world.move(id, u.x, u.y, u.z);
        } else if (roll < LOGOUT_RATE + STAIRS_RATE && tick - u.stairs > STAIRS_REST) {
          recorder.beginMessage('stairs', { entity: id });
          u.stairs = tick;
          u.z = u.z === 0 ? FLOOR : u.z === TOP ? TOP - FLOOR : u.z + (rnd() < 0.5 ? -FLOOR : FLOOR);
          world.move(id, u.x, u.y, u.z);
        } else {
          recorder.beginMessage('move-request', { entity: id });
          walk(u, step);
          world.move(id, u.x, u.y);
        }
        recorder.endMessage();
      }
      const logins = Math.floor(options.entities * LOGIN_RATE + rnd());
      for (let i = 0; i < logins; i++) {
        recorder.beginMessage('login', { entity: nextId });
        spawn(world);
        recorder.endMessage();
      }
    },
  };
}
