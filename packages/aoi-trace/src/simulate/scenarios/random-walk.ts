import type { AoiWorld } from '@lanes/aoi';
import { mulberry32 } from '../mulberry32.js';
import type { ResolvedSimulateOptions } from '../options.js';
import type { ScenarioDriver } from './driver.js';

/** Per player per tick. */
const DESPAWN_RATE = 0.004;
const TELEPORT_RATE = 0.003;
/** Per initial entity per tick, so the population stays about constant. */
const SPAWN_RATE = 0.004;
/** Share of entities that are items: seen by players, seeing nothing, never moving. */
const ITEM_SHARE = 0.1;
const ITEM_TAG = 2;

/**
 * Players walking with slowly turning headings, plus items; players log in and out and sometimes teleport. Every
 * change is caused by a message (login, logout, move-request, teleport), recorded with recorder.beginMessage.
 * Ids are never reused.
 */
export function randomWalkDriver(options: ResolvedSimulateOptions): ScenarioDriver {
  const { half, step, viewRadius, leaveRadius } = options;
  const rnd = mulberry32(options.seed);
  const players = new Map<number, { x: number; y: number; heading: number }>();
  let nextId = 0;
  const anywhere = () => (rnd() * 2 - 1) * half;
  const reflect = (v: number) => (v > half ? 2 * half - v : v < -half ? -2 * half - v : v);

  const spawn = (world: AoiWorld, isItem: boolean) => {
    const id = nextId++;
    const x = anywhere();
    const y = anywhere();
    if (isItem) {
      world.add(id, { x, y, watcher: false, tags: ITEM_TAG });
    } else {
      world.add(id, { x, y, viewRadius, leaveRadius });
      players.set(id, { x, y, heading: rnd() * 2 * Math.PI });
    }
  };

  return {
    start(world, recorder) {
      recorder.beginMessage('world-load');
      for (let i = 0; i < options.entities; i++) spawn(world, rnd() < ITEM_SHARE);
      recorder.endMessage();
    },
    step(world, recorder) {
      for (const [id, p] of [...players]) {
        const roll = rnd();
        if (roll < DESPAWN_RATE) {
          recorder.beginMessage('logout', { entity: id });
          world.remove(id);
          players.delete(id);
        } else if (roll < DESPAWN_RATE + TELEPORT_RATE) {
          recorder.beginMessage('teleport', { entity: id });
          p.x = anywhere();
          p.y = anywhere();
          world.teleport(id, p.x, p.y);
        } else {
          recorder.beginMessage('move-request', { entity: id });
          p.heading += (rnd() - 0.5) * 0.8;
          p.x = reflect(p.x + Math.cos(p.heading) * step);
          p.y = reflect(p.y + Math.sin(p.heading) * step);
          world.move(id, p.x, p.y);
        }
        recorder.endMessage();
      }
      const spawns = Math.floor(options.entities * SPAWN_RATE + rnd());
      for (let i = 0; i < spawns; i++) {
        recorder.beginMessage('login', { entity: nextId });
        spawn(world, false);
        recorder.endMessage();
      }
    },
  };
}
